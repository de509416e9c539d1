import { createHash } from 'node:crypto';
import type { S3EventRecord } from 'aws-lambda';

/** What happened to which object, as the builder needs it. */
export interface S3EventInput {
  /** Without the `s3:` prefix: `ObjectCreated:Put`, `ObjectRemoved:Delete`, … */
  readonly eventName: string;
  readonly region: string;
  readonly bucket: string;
  readonly key: string;
  /** ObjectCreated only. */
  readonly size?: number;
  /** Unquoted ETag; ObjectCreated only. */
  readonly etag?: string;
  readonly versionId?: string;
  readonly configurationId: string;
  readonly requestId: string;
  /** Requester (`userIdentity.principalId`). */
  readonly principalId: string;
  /** Bucket owner's account id (→ `ownerIdentity.principalId`). */
  readonly ownerAccountId: string;
  readonly sourceIPAddress: string;
  readonly sequencer: string;
  readonly time?: Date;
}

type S3EventObject = S3EventRecord['s3']['object'];

/** The record S3 sends; ObjectRemoved records carry no size and eTag (recorded: s3-notification-objectremoved-delete.json). */
export type S3NotificationRecord = Omit<S3EventRecord, 's3'> & {
  s3: Omit<S3EventRecord['s3'], 'object'> & {
    object: Omit<S3EventObject, 'size' | 'eTag'> & Partial<Pick<S3EventObject, 'size' | 'eTag'>>;
  };
};

/**
 * Encodes a key the way S3 writes it into event records: form-style, so a space becomes '+'
 * and '@' becomes '%40' (recorded: s3-notification-key-encoding.json); '/' stays as is.
 * Handlers decode with `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/** A stable, opaque principal id for an account, in the style of S3's owner ids. */
export function ownerPrincipalId(accountId: string): string {
  return `A${createHash('sha256').update(accountId).digest('hex').slice(0, 13).toUpperCase()}`;
}

/** S3's `x-amz-id-2` for a request id. */
export function amzId2(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64');
}

let lastSequencer = 0n;
/** Hex, strictly increasing across the process (and across restarts, being time-based), so per key too. */
export function nextSequencer(): string {
  const now = BigInt(Date.now()) << 16n;
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

/** Builds one S3 notification record (eventVersion 2.1), field order as AWS sends it. */
export function buildS3EventRecord(input: S3EventInput): S3NotificationRecord {
  const created = input.eventName.startsWith('ObjectCreated:');
  const object: S3NotificationRecord['s3']['object'] = {
    key: encodeEventKey(input.key),
    ...(created ? { size: input.size ?? 0, eTag: input.etag ?? '' } : {}),
    ...(input.versionId !== undefined ? { versionId: input.versionId } : {}),
    sequencer: input.sequencer,
  };
  return {
    // S3 sends eventVersion 2.1 (recorded: test/recordings/aws/s3-notification-objectcreated-put.json)
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: input.region,
    eventTime: (input.time ?? new Date()).toISOString(),
    eventName: input.eventName,
    userIdentity: { principalId: input.principalId },
    requestParameters: { sourceIPAddress: input.sourceIPAddress },
    responseElements: { 'x-amz-request-id': input.requestId, 'x-amz-id-2': amzId2(input.requestId) },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: input.configurationId,
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: ownerPrincipalId(input.ownerAccountId) },
        arn: `arn:aws:s3:::${input.bucket}`,
      },
      object,
    },
  };
}
