import { type ParameterSupport, refused, type ServiceParameters, supported } from '../shared/parameters.ts';

/** Where a request member travels (S3 API reference: URI, header or query string). */
interface Wire {
  readonly in: 'header' | 'query';
  readonly name: string;
}

/** A refused member, with where S3 carries it so a request can be checked for it. */
type RefusedOnWire = { readonly support: ParameterSupport; readonly wire: Wire };

const header = (name: string, why: string, except?: readonly string[]): RefusedOnWire => ({
  support: refused(why, except),
  wire: { in: 'header', name },
});
const query = (name: string, why: string, except?: readonly string[]): RefusedOnWire => ({
  support: refused(why, except),
  wire: { in: 'query', name },
});

const ACLS = 'ACLs are not modelled: buckets are private to the one account';
const SSE_C = 'customer-provided encryption keys (SSE-C) are not modelled';
const SSE_KMS = 'SSE-KMS is not modelled: objects are SSE-S3 (AES256)';
const LOCK = 'Object Lock is not modelled';
const ONE_ACCOUNT = 'one account owns every bucket: only 000000000000';
const NO_VERSIONS = 'object versions are not modelled';
const CHECKSUM = 'this checksum algorithm is not modelled (CRC32, CRC32C, CRC64NVME, SHA1, SHA256 are)';

const REFUSALS = {
  ACL: header('x-amz-acl', ACLS, ['private']),
  GrantFullControl: header('x-amz-grant-full-control', ACLS),
  GrantRead: header('x-amz-grant-read', ACLS),
  GrantReadACP: header('x-amz-grant-read-acp', ACLS),
  GrantWrite: header('x-amz-grant-write', ACLS),
  GrantWriteACP: header('x-amz-grant-write-acp', ACLS),
  ObjectLockEnabledForBucket: header('x-amz-bucket-object-lock-enabled', LOCK, ['false']),
  ObjectLockMode: header('x-amz-object-lock-mode', LOCK),
  ObjectLockRetainUntilDate: header('x-amz-object-lock-retain-until-date', LOCK),
  ObjectLockLegalHoldStatus: header('x-amz-object-lock-legal-hold', LOCK, ['OFF']),
  BypassGovernanceRetention: header('x-amz-bypass-governance-retention', LOCK),
  ObjectOwnership: header('x-amz-object-ownership', ACLS, ['BucketOwnerEnforced']),
  BucketNamespace: header('x-amz-bucket-namespace', 'account-regional bucket namespaces are not modelled', ['global']),
  ServerSideEncryption: header('x-amz-server-side-encryption', SSE_KMS, ['AES256']),
  SSECustomerAlgorithm: header('x-amz-server-side-encryption-customer-algorithm', SSE_C),
  SSECustomerKey: header('x-amz-server-side-encryption-customer-key', SSE_C),
  SSECustomerKeyMD5: header('x-amz-server-side-encryption-customer-key-md5', SSE_C),
  CopySourceSSECustomerAlgorithm: header('x-amz-copy-source-server-side-encryption-customer-algorithm', SSE_C),
  CopySourceSSECustomerKey: header('x-amz-copy-source-server-side-encryption-customer-key', SSE_C),
  CopySourceSSECustomerKeyMD5: header('x-amz-copy-source-server-side-encryption-customer-key-md5', SSE_C),
  SSEKMSKeyId: header('x-amz-server-side-encryption-aws-kms-key-id', SSE_KMS),
  SSEKMSEncryptionContext: header('x-amz-server-side-encryption-context', SSE_KMS),
  BucketKeyEnabled: header('x-amz-server-side-encryption-bucket-key-enabled', SSE_KMS),
  StorageClass: header('x-amz-storage-class', 'storage classes are not modelled', ['STANDARD']),
  WebsiteRedirectLocation: header('x-amz-website-redirect-location', 'website hosting is not modelled'),
  RequestPayer: header('x-amz-request-payer', 'Requester Pays is not modelled'),
  Tagging: header('x-amz-tagging', 'object tags are not modelled'),
  TaggingDirective: header('x-amz-tagging-directive', 'object tags are not modelled', ['COPY']),
  ExpectedBucketOwner: header('x-amz-expected-bucket-owner', ONE_ACCOUNT, ['000000000000']),
  ExpectedSourceBucketOwner: header('x-amz-source-expected-bucket-owner', ONE_ACCOUNT, ['000000000000']),
  MFA: header('x-amz-mfa', 'MFA delete is not modelled'),
  IfMatchInitiatedTime: header('x-amz-if-match-initiated-time', 'conditional aborts are not modelled'),
  IfMatchLastModifiedTime: header('x-amz-if-match-last-modified-time', 'conditional deletes are not modelled'),
  IfMatchSize: header('x-amz-if-match-size', 'conditional deletes are not modelled'),
  WriteOffsetBytes: header('x-amz-write-offset-bytes', 'appends (directory buckets) are not modelled'),
  MpuObjectSize: header('x-amz-mp-object-size', 'the object size check is not modelled'),
  OptionalObjectAttributes: header('x-amz-optional-object-attributes', 'restore status is not modelled'),
  ChecksumSHA512: header('x-amz-checksum-sha512', CHECKSUM),
  ChecksumMD5: header('x-amz-checksum-md5', CHECKSUM),
  ChecksumXXHASH64: header('x-amz-checksum-xxhash64', CHECKSUM),
  ChecksumXXHASH3: header('x-amz-checksum-xxhash3', CHECKSUM),
  ChecksumXXHASH128: header('x-amz-checksum-xxhash128', CHECKSUM),
  IfMatch: header('if-match', 'conditional writes are modelled for PutObject only'),
  IfNoneMatch: header('if-none-match', 'conditional writes are modelled for PutObject only'),
  VersionId: query('versionId', NO_VERSIONS, ['null']),
  PartNumber: query('partNumber', 'reading one part of an object is not modelled'),
  CopySourceIfModifiedSince: header(
    'x-amz-copy-source-if-modified-since',
    'date conditions on the copy source are not modelled',
  ),
  CopySourceIfUnmodifiedSince: header(
    'x-amz-copy-source-if-unmodified-since',
    'date conditions on the copy source are not modelled',
  ),
  MaxBuckets: query('max-buckets', 'ListBuckets answers every bucket at once'),
  ContinuationToken: query('continuation-token', 'ListBuckets answers every bucket at once'),
  Prefix: query('prefix', 'ListBuckets does not filter'),
  BucketRegion: query('bucket-region', 'ListBuckets does not filter'),
} satisfies Record<string, RefusedOnWire>;

type Refusal = keyof typeof REFUSALS;

/** An operation's members: honoured ones by name, refused ones from {@link REFUSALS}. */
function operation(honoured: readonly string[], refusals: readonly Refusal[] = []) {
  return {
    parameters: {
      ...supported(...honoured),
      ...Object.fromEntries(refusals.map((name) => [name, REFUSALS[name].support])),
    },
    refusals,
  };
}

const CHECKSUMS = ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256'] as const;
const NEW_CHECKSUMS = [
  'ChecksumSHA512',
  'ChecksumMD5',
  'ChecksumXXHASH64',
  'ChecksumXXHASH3',
  'ChecksumXXHASH128',
] as const;
const SSE_C_MEMBERS = ['SSECustomerAlgorithm', 'SSECustomerKey', 'SSECustomerKeyMD5'] as const;
const OBJECT_WRITE_REFUSALS = [
  'ACL',
  'GrantFullControl',
  'GrantRead',
  'GrantReadACP',
  'GrantWriteACP',
  'ServerSideEncryption',
  ...SSE_C_MEMBERS,
  'SSEKMSKeyId',
  'SSEKMSEncryptionContext',
  'BucketKeyEnabled',
  'StorageClass',
  'WebsiteRedirectLocation',
  'RequestPayer',
  'Tagging',
  'ObjectLockMode',
  'ObjectLockRetainUntilDate',
  'ObjectLockLegalHoldStatus',
  'ExpectedBucketOwner',
] as const satisfies readonly Refusal[];
const OBJECT_HEADERS = [
  'Bucket',
  'Key',
  'CacheControl',
  'ContentDisposition',
  'ContentEncoding',
  'ContentLanguage',
  'ContentType',
  'Expires',
  'Metadata',
] as const;
const GET_OBJECT = [
  'Bucket',
  'Key',
  'IfMatch',
  'IfModifiedSince',
  'IfNoneMatch',
  'IfUnmodifiedSince',
  'Range',
  'ResponseCacheControl',
  'ResponseContentDisposition',
  'ResponseContentEncoding',
  'ResponseContentLanguage',
  'ResponseContentType',
  'ResponseExpires',
  'ChecksumMode',
] as const;
const GET_OBJECT_REFUSALS = [
  'VersionId',
  ...SSE_C_MEMBERS,
  'RequestPayer',
  'PartNumber',
  'ExpectedBucketOwner',
] as const satisfies readonly Refusal[];

const OPERATIONS = {
  AbortMultipartUpload: operation(
    ['Bucket', 'Key', 'UploadId'],
    ['RequestPayer', 'ExpectedBucketOwner', 'IfMatchInitiatedTime'],
  ),
  CompleteMultipartUpload: operation(
    ['Bucket', 'Key', 'MultipartUpload', 'UploadId', ...CHECKSUMS, 'ChecksumType'],
    [
      ...NEW_CHECKSUMS,
      'MpuObjectSize',
      'RequestPayer',
      'ExpectedBucketOwner',
      ...SSE_C_MEMBERS,
      'IfMatch',
      'IfNoneMatch',
    ],
  ),
  CopyObject: operation(
    [
      ...OBJECT_HEADERS,
      'ChecksumAlgorithm',
      'CopySource',
      'CopySourceIfMatch',
      'CopySourceIfNoneMatch',
      'MetadataDirective',
    ],
    [
      ...OBJECT_WRITE_REFUSALS,
      'CopySourceIfModifiedSince',
      'CopySourceIfUnmodifiedSince',
      'TaggingDirective',
      'CopySourceSSECustomerAlgorithm',
      'CopySourceSSECustomerKey',
      'CopySourceSSECustomerKeyMD5',
      'ExpectedSourceBucketOwner',
      'IfMatch',
      'IfNoneMatch',
    ],
  ),
  CreateBucket: operation(
    ['Bucket', 'CreateBucketConfiguration'],
    [
      'ACL',
      'GrantFullControl',
      'GrantRead',
      'GrantReadACP',
      'GrantWrite',
      'GrantWriteACP',
      'ObjectLockEnabledForBucket',
      'ObjectOwnership',
      'BucketNamespace',
    ],
  ),
  CreateMultipartUpload: operation([...OBJECT_HEADERS, 'ChecksumAlgorithm', 'ChecksumType'], OBJECT_WRITE_REFUSALS),
  DeleteBucket: operation(['Bucket'], ['ExpectedBucketOwner']),
  DeleteObject: operation(
    ['Bucket', 'Key'],
    [
      'MFA',
      'VersionId',
      'RequestPayer',
      'BypassGovernanceRetention',
      'ExpectedBucketOwner',
      'IfMatch',
      'IfMatchLastModifiedTime',
      'IfMatchSize',
    ],
  ),
  DeleteObjects: operation(
    ['Bucket', 'Delete', 'ChecksumAlgorithm'],
    ['MFA', 'RequestPayer', 'BypassGovernanceRetention', 'ExpectedBucketOwner'],
  ),
  GetBucketLocation: operation(['Bucket'], ['ExpectedBucketOwner']),
  GetBucketNotificationConfiguration: operation(['Bucket'], ['ExpectedBucketOwner']),
  GetBucketVersioning: operation(['Bucket'], ['ExpectedBucketOwner']),
  GetObject: operation(GET_OBJECT, GET_OBJECT_REFUSALS),
  HeadBucket: operation(['Bucket'], ['ExpectedBucketOwner']),
  HeadObject: operation(GET_OBJECT, GET_OBJECT_REFUSALS),
  ListBuckets: operation([], ['MaxBuckets', 'ContinuationToken', 'Prefix', 'BucketRegion']),
  ListObjects: operation(
    ['Bucket', 'Delimiter', 'EncodingType', 'Marker', 'MaxKeys', 'Prefix'],
    ['RequestPayer', 'ExpectedBucketOwner', 'OptionalObjectAttributes'],
  ),
  ListObjectsV2: operation(
    ['Bucket', 'Delimiter', 'EncodingType', 'MaxKeys', 'Prefix', 'ContinuationToken', 'FetchOwner', 'StartAfter'],
    ['RequestPayer', 'ExpectedBucketOwner', 'OptionalObjectAttributes'],
  ),
  ListParts: operation(
    ['Bucket', 'Key', 'MaxParts', 'PartNumberMarker', 'UploadId'],
    ['RequestPayer', 'ExpectedBucketOwner', ...SSE_C_MEMBERS],
  ),
  PutBucketNotificationConfiguration: operation(
    ['Bucket', 'NotificationConfiguration', 'SkipDestinationValidation'],
    ['ExpectedBucketOwner'],
  ),
  PutObject: operation(
    [
      ...OBJECT_HEADERS,
      'Body',
      'ContentLength',
      'ContentMD5',
      'ChecksumAlgorithm',
      ...CHECKSUMS,
      'IfMatch',
      'IfNoneMatch',
    ],
    [...OBJECT_WRITE_REFUSALS, ...NEW_CHECKSUMS, 'WriteOffsetBytes'],
  ),
  UploadPart: operation(
    [
      'Body',
      'Bucket',
      'ContentLength',
      'ContentMD5',
      'ChecksumAlgorithm',
      ...CHECKSUMS,
      'Key',
      'PartNumber',
      'UploadId',
    ],
    [...NEW_CHECKSUMS, ...SSE_C_MEMBERS, 'RequestPayer', 'ExpectedBucketOwner'],
  ),
} as const;

/** S3's request members (API reference) per implemented operation, honoured or refused. */
export const S3_PARAMETERS: ServiceParameters = Object.fromEntries(
  Object.entries(OPERATIONS).map(([name, { parameters }]) => [name, parameters]),
);

/**
 * The first refused member a request carries (by its header or query name), as
 * `{ name, reason }`; undefined when it carries none. A refused value listed as accepted passes.
 */
export function refusedS3Parameter(
  operationName: string,
  query: URLSearchParams,
  headerOf: (name: string) => string | undefined,
): { name: string; reason: string } | undefined {
  const declared = (OPERATIONS as Record<string, { refusals: readonly Refusal[] }>)[operationName];
  for (const name of declared?.refusals ?? []) {
    const { support, wire } = REFUSALS[name];
    const value = wire.in === 'header' ? headerOf(wire.name) : (query.get(wire.name) ?? undefined);
    if (value === undefined || support === 'supported') continue;
    if (support.except?.includes(value)) continue;
    return { name, reason: support.refused };
  }
  return undefined;
}
