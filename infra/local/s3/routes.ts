import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './errors.ts';

export type Target = 'service' | 'bucket' | 'object';

interface Route {
  readonly method: string;
  readonly target: Target;
  /** Subresource (query parameter) that selects this route. */
  readonly subresource?: string;
  /** Header that selects this route (x-amz-copy-source). */
  readonly header?: string;
  readonly operation: string;
  /**
   * The IAM action the operation needs (Service Authorization Reference, Amazon S3; S3 User Guide,
   * "Required permissions for Amazon S3 API operations"): HeadBucket needs s3:ListBucket, HeadObject
   * s3:GetObject, multipart uploads s3:PutObject.
   */
  readonly iamAction: string;
}

/** The supported operations, first match wins (as s3rver's routes.js / dynalite's action list). */
export const ROUTES: readonly Route[] = [
  { method: 'GET', target: 'service', operation: 'ListBuckets', iamAction: 's3:ListAllMyBuckets' },
  {
    method: 'PUT',
    target: 'bucket',
    subresource: 'notification',
    operation: 'PutBucketNotificationConfiguration',
    iamAction: 's3:PutBucketNotification',
  },
  { method: 'PUT', target: 'bucket', operation: 'CreateBucket', iamAction: 's3:CreateBucket' },
  { method: 'HEAD', target: 'bucket', operation: 'HeadBucket', iamAction: 's3:ListBucket' },
  { method: 'DELETE', target: 'bucket', operation: 'DeleteBucket', iamAction: 's3:DeleteBucket' },
  {
    method: 'GET',
    target: 'bucket',
    subresource: 'location',
    operation: 'GetBucketLocation',
    iamAction: 's3:GetBucketLocation',
  },
  {
    method: 'GET',
    target: 'bucket',
    subresource: 'notification',
    operation: 'GetBucketNotificationConfiguration',
    iamAction: 's3:GetBucketNotification',
  },
  {
    method: 'GET',
    target: 'bucket',
    subresource: 'versioning',
    operation: 'GetBucketVersioning',
    iamAction: 's3:GetBucketVersioning',
  },
  { method: 'GET', target: 'bucket', subresource: 'list-type', operation: 'ListObjectsV2', iamAction: 's3:ListBucket' },
  { method: 'GET', target: 'bucket', operation: 'ListObjects', iamAction: 's3:ListBucket' },
  { method: 'POST', target: 'bucket', subresource: 'delete', operation: 'DeleteObjects', iamAction: 's3:DeleteObject' },
  {
    method: 'PUT',
    target: 'object',
    subresource: 'uploadId',
    header: 'x-amz-copy-source',
    operation: 'UploadPartCopy',
    iamAction: 's3:PutObject',
  },
  { method: 'PUT', target: 'object', subresource: 'uploadId', operation: 'UploadPart', iamAction: 's3:PutObject' },
  { method: 'PUT', target: 'object', header: 'x-amz-copy-source', operation: 'CopyObject', iamAction: 's3:PutObject' },
  { method: 'PUT', target: 'object', operation: 'PutObject', iamAction: 's3:PutObject' },
  {
    method: 'GET',
    target: 'object',
    subresource: 'uploadId',
    operation: 'ListParts',
    iamAction: 's3:ListMultipartUploadParts',
  },
  { method: 'GET', target: 'object', operation: 'GetObject', iamAction: 's3:GetObject' },
  { method: 'HEAD', target: 'object', operation: 'HeadObject', iamAction: 's3:GetObject' },
  {
    method: 'DELETE',
    target: 'object',
    subresource: 'uploadId',
    operation: 'AbortMultipartUpload',
    iamAction: 's3:AbortMultipartUpload',
  },
  { method: 'DELETE', target: 'object', operation: 'DeleteObject', iamAction: 's3:DeleteObject' },
  {
    method: 'POST',
    target: 'object',
    subresource: 'uploads',
    operation: 'CreateMultipartUpload',
    iamAction: 's3:PutObject',
  },
  {
    method: 'POST',
    target: 'object',
    subresource: 'uploadId',
    operation: 'CompleteMultipartUpload',
    iamAction: 's3:PutObject',
  },
];

/** The IAM action of an operation by name (see Route.iamAction). */
export const IAM_ACTION_BY_OPERATION: Readonly<Record<string, string>> = Object.fromEntries(
  ROUTES.map((route) => [route.operation, route.iamAction]),
);

/**
 * Query parameters that name a subresource, with the name part of the AWS operation they select,
 * so what is not implemented is answered by name (e.g. `GetBucketTagging`).
 */
const SUBRESOURCES: Readonly<Record<string, string>> = {
  uploadId: 'Upload',
  uploads: 'Uploads',
  'list-type': 'Objects',
  delete: 'Objects',
  notification: 'NotificationConfiguration',
  location: 'Location',
  versioning: 'Versioning',
  acl: 'Acl',
  accelerate: 'AccelerateConfiguration',
  analytics: 'AnalyticsConfiguration',
  attributes: 'Attributes',
  cors: 'Cors',
  encryption: 'Encryption',
  'intelligent-tiering': 'IntelligentTieringConfiguration',
  inventory: 'InventoryConfiguration',
  'legal-hold': 'LegalHold',
  lifecycle: 'LifecycleConfiguration',
  logging: 'Logging',
  metadataTable: 'MetadataTableConfiguration',
  metrics: 'MetricsConfiguration',
  'object-lock': 'LockConfiguration',
  ownershipControls: 'OwnershipControls',
  partNumber: 'Part',
  policy: 'Policy',
  policyStatus: 'PolicyStatus',
  publicAccessBlock: 'PublicAccessBlock',
  replication: 'Replication',
  requestPayment: 'RequestPayment',
  restore: 'Restore',
  retention: 'Retention',
  select: 'Content',
  session: 'Session',
  tagging: 'Tagging',
  torrent: 'Torrent',
  versions: 'Versions',
  website: 'Website',
};

/** AWS names that do not follow the Verb + Bucket/Object + subresource pattern. */
const SPECIAL_NAMES: Readonly<Record<string, string>> = {
  'GET bucket uploads': 'ListMultipartUploads',
  'GET bucket versions': 'ListObjectVersions',
  'GET bucket object-lock': 'GetObjectLockConfiguration',
  'PUT bucket object-lock': 'PutObjectLockConfiguration',
  'GET object attributes': 'GetObjectAttributes',
  'POST object select': 'SelectObjectContent',
  'POST object restore': 'RestoreObject',
  'GET object torrent': 'GetObjectTorrent',
  'GET bucket session': 'CreateSession',
  'POST bucket': 'PostObject (HTML form upload)',
};

/** Precedence when several subresources are present (UploadPart has both uploadId and partNumber). */
const PRECEDENCE = ['uploadId', 'uploads', 'delete', 'list-type'];

const VERBS: Readonly<Record<string, string>> = {
  GET: 'Get',
  PUT: 'Put',
  DELETE: 'Delete',
  POST: 'Post',
  HEAD: 'Head',
};

/** Picks the operation for a request, or throws NotImplemented / MethodNotAllowed naming what was asked. */
export function resolveOperation(
  method: string,
  target: Target,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): string {
  const present = [...query.keys()].filter((name) => name in SUBRESOURCES);
  present.sort((a, b) => rank(a) - rank(b));
  const subresource = present[0];
  const route = ROUTES.find(
    (r) =>
      r.method === method &&
      r.target === target &&
      r.subresource === subresource &&
      (r.header === undefined || headers[r.header] !== undefined),
  );
  if (route !== undefined) return route.operation;
  const verb = VERBS[method];
  if (verb === undefined || !ROUTES.some((r) => r.method === method)) {
    throw new S3Error('MethodNotAllowed', undefined, {
      Method: method,
      ResourceType: target === 'object' ? 'OBJECT' : target === 'bucket' ? 'BUCKET' : 'SERVICE',
    });
  }
  const special = SPECIAL_NAMES[`${method} ${target} ${subresource ?? ''}`.trim()];
  const name =
    special !== undefined
      ? `${special}${subresource === undefined ? '' : ` (?${subresource})`}`
      : subresource === undefined
        ? `${verb}${target === 'object' ? 'Object' : target === 'bucket' ? 'Bucket' : 'Service'}`
        : `${verb}${target === 'object' ? 'Object' : 'Bucket'}${SUBRESOURCES[subresource]} (?${subresource})`;
  throw new S3Error('NotImplemented', `The local cloud does not implement ${name} (${method} on ${target}).`);
}

function rank(name: string): number {
  const i = PRECEDENCE.indexOf(name);
  return i === -1 ? PRECEDENCE.length : i;
}

/** Bucket named by a virtual-hosted-style Host (`<bucket>.localhost`, `<bucket>.s3.localhost`, `<bucket>.s3.<region>.localhost`). */
export function bucketFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  const match = /^(.+?)\.s3(?:[.-][a-z0-9-]+)?\.localhost$/.exec(name) ?? /^(.+)\.localhost$/.exec(name);
  if (!match || match[1] === 's3') return undefined;
  return match[1];
}

/** Splits a request into bucket and key, path-style (`/bucket/key`) or virtual-hosted-style. */
export function locate(rawPath: string, host: string | undefined): { bucket: string; key: string } {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new S3Error('InvalidArgument', 'The request path is not valid percent-encoding.', {
        ArgumentName: 'path',
        ArgumentValue: s,
      });
    }
  };
  const vhostBucket = bucketFromHost(host);
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (vhostBucket !== undefined) return { bucket: vhostBucket, key: decode(path) };
  const slash = path.indexOf('/');
  if (slash === -1) return { bucket: decode(path), key: '' };
  return { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) };
}
