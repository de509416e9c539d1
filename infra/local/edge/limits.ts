import type { IncomingHttpHeaders } from 'node:http';
import { EdgeError } from './errors.ts';

/** The largest body the edge reads for a request, and the error (in the service's words) past it. */
export interface BodyLimit {
  readonly bytes: number;
  readonly tooLarge: () => EdgeError;
}

/** What is known of a request before its body is read. */
export interface LimitedRequest {
  /** The signing name the request is for (from its credential scope, or guessed). */
  readonly service: string;
  readonly method: string;
  readonly rawPath: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * Lambda's request limits per operation, as Lambda words them. CreateFunction and
 * UpdateFunctionCode take up to 70,167,211 bytes of request — a 50 MB zip, base64-encoded, in its
 * JSON (recorded on AWS: `RequestEntityTooLargeException` "Request must be smaller than 70167211
 * bytes for the CreateFunction operation"); Invoke takes 6 MB ("For synchronous invocations, the
 * maximum payload size is 6 MB", Invoke API reference; the 1 MB asynchronous limit is Lambda's
 * own check, which needs the body).
 */
const LAMBDA_OPERATIONS: readonly { method: string; path: RegExp; operation: string; bytes: number }[] = [
  { method: 'POST', path: /^\/2015-03-31\/functions\/?$/, operation: 'CreateFunction', bytes: 70_167_211 },
  {
    method: 'PUT',
    path: /^\/2015-03-31\/functions\/[^/]+\/code\/?$/,
    operation: 'UpdateFunctionCode',
    bytes: 70_167_211,
  },
  {
    method: 'POST',
    path: /^\/2015-03-31\/functions\/[^/]+\/invocations\/?$/,
    operation: 'InvokeFunction',
    bytes: 6_291_456,
  },
];

/**
 * The local cloud keeps a request's body in memory; S3's own limit (5 GB for one PutObject or
 * UploadPart) is beyond that, so S3 requests stop at 1 GiB, refused as S3 refuses an upload over
 * its limit (`EntityTooLarge`, S3 error reference) with the local limit named.
 */
export const S3_MAX_BODY_BYTES = 1024 * 1024 * 1024;
/** DynamoDB: "The total request size exceeds 16 MB" rejects a batch (BatchWriteItem API reference). */
export const DYNAMODB_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Every other request: the edge's own limit. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The body limit of one request: per operation where AWS sets one (Lambda), per service otherwise,
 * each refused with the service's own error. `overrides` (per signing name) replace the byte count
 * and keep the wording (tests use small ones).
 */
export function bodyLimitFor(request: LimitedRequest, overrides: Readonly<Record<string, number>> = {}): BodyLimit {
  const limit = defaultLimit(request);
  const bytes = overrides[request.service] ?? limit.bytes;
  return bytes === limit.bytes ? limit : { bytes, tooLarge: () => limitError(request, bytes) };
}

function defaultLimit(request: LimitedRequest): BodyLimit {
  const bytes = request.service === 'lambda' ? lambdaOperation(request)?.bytes : undefined;
  const resolved =
    bytes ??
    (request.service === 's3'
      ? S3_MAX_BODY_BYTES
      : request.service === 'dynamodb'
        ? DYNAMODB_MAX_BODY_BYTES
        : DEFAULT_MAX_BODY_BYTES);
  return { bytes: resolved, tooLarge: () => limitError(request, resolved) };
}

function lambdaOperation(request: LimitedRequest) {
  return LAMBDA_OPERATIONS.find((entry) => entry.method === request.method && entry.path.test(request.rawPath));
}

function limitError(request: LimitedRequest, bytes: number): EdgeError {
  switch (request.service) {
    case 'lambda': {
      const operation = lambdaOperation(request)?.operation;
      return new EdgeError(
        'RequestEntityTooLargeException',
        413,
        operation === undefined
          ? `Request must be smaller than ${bytes} bytes.`
          : `Request must be smaller than ${bytes} bytes for the ${operation} operation`,
      );
    }
    case 's3':
      return new EdgeError(
        'EntityTooLarge',
        400,
        `Your proposed upload exceeds the maximum allowed size (the local cloud takes at most ${bytes} bytes in one request).`,
      );
    case 'dynamodb':
      return new EdgeError(
        'ValidationException',
        400,
        `The request is larger than DynamoDB's ${bytes}-byte limit on a request.`,
      );
    default:
      return new EdgeError('RequestEntityTooLarge', 413, `Request must be smaller than ${bytes} bytes.`);
  }
}
