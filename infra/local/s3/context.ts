import { isSignedStreaming } from '../edge/sigv4.ts';
import type { ServiceRequest, ServiceResponse } from '../edge/types.ts';
import type { LambdaInvoker } from '../lambda/invoker.ts';
import type { TraceBus } from '../trace/bus.ts';
import { type Checksum, md5Hex, verifyChecksums } from './checksums.ts';
import { decodeAwsChunked, isAwsChunked } from './chunked.ts';
import { S3Error } from './errors.ts';
import { amzId2, buildS3EventRecord, nextSequencer } from './event.ts';
import { matchingConfigurations } from './notifications.ts';
import type { BucketRecord, ObjectHeaders, ObjectRecord, S3Store } from './store.ts';
import { MAX_KEY_BYTES } from './validation.ts';
import { parseXml, toXml, type XmlElement, type XmlNode, XmlSyntaxError } from './xml.ts';

/** Everything an action needs: the request, where it points, the store and the notification hook. */
export interface S3Context {
  readonly request: ServiceRequest;
  readonly operation: string;
  /** '' for ListBuckets. */
  readonly bucket: string;
  /** '' for bucket operations. */
  readonly key: string;
  readonly store: S3Store;
  readonly lambda: Pick<LambdaInvoker, 'functionExists' | 'invokeAsync'>;
  readonly trace: TraceBus;
  /** The service's default region (where buckets created without a LocationConstraint live). */
  readonly region: string;
}

export type S3Action = (ctx: S3Context) => Promise<ServiceResponse>;

export function header(ctx: S3Context, name: string): string | undefined {
  const value = ctx.request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function requireBucket(ctx: S3Context, name = ctx.bucket): BucketRecord {
  const bucket = ctx.store.getBucket(name);
  if (bucket === undefined) throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
  return bucket;
}

export function requireObject(ctx: S3Context, bucket = ctx.bucket, key = ctx.key): ObjectRecord {
  requireBucket(ctx, bucket);
  const object = ctx.store.getObject(bucket, key);
  if (object === undefined) throw new S3Error('NoSuchKey', undefined, { Key: key });
  return object;
}

export function requireKeyLength(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > MAX_KEY_BYTES)
    throw new S3Error('KeyTooLongError', undefined, { Size: size, MaxSizeAllowed: MAX_KEY_BYTES });
}

/** Headers every S3 response carries. */
export function baseHeaders(ctx: S3Context): Record<string, string> {
  return { 'x-amz-request-id': ctx.request.requestId, 'x-amz-id-2': amzId2(ctx.request.requestId) };
}

export function xmlResponse(
  ctx: S3Context,
  root: string,
  content: XmlNode | string,
  { status = 200, headers = {} }: { status?: number; headers?: Record<string, string> } = {},
): ServiceResponse {
  return {
    status,
    headers: { ...baseHeaders(ctx), 'content-type': 'application/xml', ...headers },
    body: toXml(root, content),
  };
}

/** A general purpose bucket's ARN: no region, no account (`arn:aws:s3:::bucket`). */
export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;

export function emptyResponse(ctx: S3Context, status = 200, headers: Record<string, string> = {}): ServiceResponse {
  return { status, headers: { ...baseHeaders(ctx), 'content-length': '0', ...headers } };
}

/** Parses the request body as XML; anything not well-formed is MalformedXML. */
export function parseBodyXml(ctx: S3Context): XmlElement {
  const { chunks, size } = requestBody(ctx);
  if (size === 0) throw new S3Error('MalformedXML');
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  try {
    return parseXml(body);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new S3Error('MalformedXML', undefined, {}, { cause: error });
    throw error;
  }
}

/** A request's payload: the pieces it arrived in (never joined), its size, MD5 and checksum. */
export interface Payload {
  readonly chunks: readonly Buffer[];
  readonly size: number;
  readonly checksum?: Checksum;
  /** MD5 hex (the ETag), computed once. */
  md5(): string;
}

const decoded = new WeakMap<ServiceRequest, Payload>();

/** The payload with `aws-chunked` framing removed and flexible checksums / Content-MD5 verified. */
export function requestBody(ctx: S3Context): Payload {
  const cached = decoded.get(ctx.request);
  if (cached) return cached;
  const get = (name: string) => header(ctx, name);
  let chunks: readonly Buffer[] = ctx.request.bodyChunks ?? [ctx.request.body];
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  let lookup = get;
  let md5 = ctx.request.bodyMd5;
  if (isAwsChunked(get)) {
    md5 = undefined;
    const length = get('x-amz-decoded-content-length');
    const signatures = ctx.request.chunkSignatures;
    // Signed chunks verify only against the request's own signature: without it, nothing can vouch for them.
    if (signatures === undefined && isSignedStreaming(get('x-amz-content-sha256')))
      throw new S3Error(
        'SignatureDoesNotMatch',
        'The chunk signatures of this body cannot be verified without its seed signature (Authorization header).',
      );
    const result = decodeAwsChunked(chunks, length === undefined ? undefined : Number(length), signatures);
    chunks = result.chunks;
    size = result.size;
    lookup = (name) => result.trailers.get(name) ?? get(name);
  }
  const md5Once = () => (md5 ??= md5Hex(chunks));
  const result = { chunks, size, checksum: verifyChecksums(chunks, lookup, md5Once), md5: md5Once };
  decoded.set(ctx.request, result);
  return result;
}

/** Checksum response headers (`x-amz-checksum-crc32: …`, `x-amz-checksum-type`). */
export function checksumHeaders(checksum: Checksum | undefined): Record<string, string> {
  if (checksum === undefined) return {};
  const composite = checksum.value.includes('-');
  return {
    [`x-amz-checksum-${checksum.algorithm}`]: checksum.value,
    'x-amz-checksum-type': composite ? 'COMPOSITE' : 'FULL_OBJECT',
  };
}

/** Representation headers and `x-amz-meta-*` of a PUT / CreateMultipartUpload / CopyObject(REPLACE). */
export function readObjectHeaders(ctx: S3Context): ObjectHeaders {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.request.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  // aws-chunked is transfer framing, not a property of the object.
  const encoding = (header(ctx, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked')
    .join(',');
  return {
    // S3's default when none is sent (recorded: s3-error-headobject-404.json, ContentType binary/octet-stream)
    contentType: header(ctx, 'content-type') || 'binary/octet-stream',
    contentEncoding: encoding || undefined,
    cacheControl: header(ctx, 'cache-control'),
    contentDisposition: header(ctx, 'content-disposition'),
    contentLanguage: header(ctx, 'content-language'),
    expires: header(ctx, 'expires'),
    metadata,
  };
}

/** RFC 7231 date, as S3 writes Last-Modified. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/** S3's XML timestamps: ISO-8601 with milliseconds. */
export function xmlDate(iso: string): string {
  return new Date(iso).toISOString();
}

/** The event a bucket notification may send for an object, after the change is stored. */
export function notify(
  ctx: S3Context,
  bucket: BucketRecord,
  eventName: string,
  object: { key: string; size?: number; etag?: string },
): void {
  // The change itself, whether or not a notification is configured (the workbench shows it).
  ctx.trace.publish(
    eventName.startsWith('ObjectCreated') ? 's3.object.created' : 's3.object.removed',
    { bucket: bucket.name, key: object.key, eventName, size: object.size, caller: ctx.request.caller.principalArn },
    ctx.request.requestId,
  );
  const configs = matchingConfigurations(bucket.notification, eventName, object.key);
  if (configs.length === 0) return;
  const sequencer = nextSequencer();
  const forwarded = header(ctx, 'x-forwarded-for')?.split(',')[0]?.trim();
  for (const config of configs) {
    const record = buildS3EventRecord({
      eventName,
      region: bucket.region,
      bucket: bucket.name,
      key: object.key,
      size: object.size,
      etag: object.etag,
      configurationId: config.id,
      requestId: ctx.request.requestId,
      principalId: `AWS:${ctx.request.caller.accessKeyId}`,
      ownerAccountId: ctx.request.caller.accountId,
      sourceIPAddress: forwarded || '127.0.0.1',
      sequencer,
    });
    const detail = { bucket: bucket.name, key: object.key, eventName, functionArn: config.functionArn };
    try {
      // S3 invokes the function asynchronously (InvocationType Event) with {Records: [record]}.
      // The writer's X-Ray trace header travels with the event: Lambda's recursive loop detection.
      const invocationId = ctx.lambda.invokeAsync(
        config.functionArn,
        { Records: [record] },
        { source: 'aws:s3', traceHeader: header(ctx, 'x-amzn-trace-id') },
      );
      ctx.trace.publish('s3.notification', { ...detail, invocationId }, ctx.request.requestId);
    } catch (error) {
      ctx.trace.publish(
        's3.notification',
        { ...detail, error: error instanceof Error ? error.message : String(error) },
        ctx.request.requestId,
      );
    }
  }
}
