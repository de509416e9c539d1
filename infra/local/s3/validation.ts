import { S3Error, type S3ErrorCode } from './errors.ts';

/** One declarative check on a query parameter or header of a request. */
export interface ParameterRule {
  readonly in: 'query' | 'header';
  readonly name: string;
  readonly type?: 'integer';
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  /** Error S3 answers; InvalidArgument (with ArgumentName/ArgumentValue) unless said otherwise. */
  readonly code?: S3ErrorCode;
  readonly message: string;
}

// Messages as S3 words them for these parameters.
const maxKeys: ParameterRule = {
  in: 'query',
  name: 'max-keys',
  type: 'integer',
  min: 0,
  max: 2147483647,
  message: 'Provided max-keys not an integer or within integer range',
};
const encodingType: ParameterRule = {
  in: 'query',
  name: 'encoding-type',
  enum: ['url'],
  message: 'Invalid Encoding Method specified in Request',
};
const partNumber: ParameterRule = {
  in: 'query',
  name: 'partNumber',
  type: 'integer',
  min: 1,
  max: 10000,
  message: 'Part number must be an integer between 1 and 10000, inclusive',
};
const maxParts: ParameterRule = {
  in: 'query',
  name: 'max-parts',
  type: 'integer',
  min: 0,
  max: 2147483647,
  message: 'Provided max-parts not an integer or within integer range',
};
const partNumberMarker: ParameterRule = {
  in: 'query',
  name: 'part-number-marker',
  type: 'integer',
  min: 0,
  max: 2147483647,
  message: 'Provided part-number-marker not an integer or within integer range',
};
const metadataDirective: ParameterRule = {
  in: 'header',
  name: 'x-amz-metadata-directive',
  enum: ['COPY', 'REPLACE'],
  message: 'Unknown metadata directive.',
};
const checksumAlgorithm: ParameterRule = {
  in: 'header',
  name: 'x-amz-checksum-algorithm',
  enum: ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'],
  code: 'InvalidRequest',
  message:
    'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
};

/** Rules per operation, checked before the action runs. */
export const PARAMETER_RULES: Readonly<Record<string, readonly ParameterRule[]>> = {
  ListObjectsV2: [maxKeys, encodingType],
  ListObjects: [maxKeys, encodingType],
  UploadPart: [partNumber],
  ListParts: [maxParts, partNumberMarker],
  CopyObject: [metadataDirective],
  CreateMultipartUpload: [checksumAlgorithm],
};

export function validateParameters(
  operation: string,
  query: URLSearchParams,
  header: (name: string) => string | undefined,
): void {
  for (const rule of PARAMETER_RULES[operation] ?? []) {
    const value = rule.in === 'query' ? (query.get(rule.name) ?? undefined) : header(rule.name);
    if (value === undefined) continue;
    let ok = true;
    if (rule.type === 'integer') {
      const n = Number(value);
      ok = /^-?\d+$/.test(value) && n >= (rule.min ?? -Infinity) && n <= (rule.max ?? Infinity);
    }
    if (rule.enum !== undefined && !rule.enum.includes(value)) ok = false;
    if (!ok) {
      const code = rule.code ?? 'InvalidArgument';
      throw new S3Error(
        code,
        rule.message,
        code === 'InvalidArgument' ? { ArgumentName: rule.name, ArgumentValue: value } : {},
      );
    }
  }
}

/**
 * Bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 * each entry is a pattern a valid name must (`must: true`) or must not match.
 */
export const BUCKET_NAME_RULES: readonly { readonly pattern: RegExp; readonly must: boolean; readonly why: string }[] =
  [
    { pattern: /^.{3,63}$/, must: true, why: 'between 3 and 63 characters long' },
    { pattern: /^[a-z0-9.-]+$/, must: true, why: 'only lowercase letters, numbers, dots and hyphens' },
    { pattern: /^[a-z0-9].*[a-z0-9]$/, must: true, why: 'begins and ends with a letter or number' },
    { pattern: /\.\./, must: false, why: 'no two adjacent periods' },
    { pattern: /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, must: false, why: 'not formatted as an IP address' },
    { pattern: /^(xn--|sthree-|amzn-s3-demo-)/, must: false, why: 'reserved prefix' },
    { pattern: /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/, must: false, why: 'reserved suffix' },
  ];

/** The first rule a bucket name breaks, or undefined when it is valid. */
export function bucketNameProblem(name: string): string | undefined {
  return BUCKET_NAME_RULES.find((rule) => rule.pattern.test(name) !== rule.must)?.why;
}

/** Longest key S3 accepts, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** Largest single PUT (5 GiB) and smallest non-final multipart part (5 MiB). */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;
export const MIN_PART_BYTES = 5 * 1024 ** 2;
export const MAX_DELETE_OBJECTS = 1000;
