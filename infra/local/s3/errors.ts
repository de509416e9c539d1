import { escapeXml } from './xml.ts';

/**
 * HTTP status and default message per S3 error code, from AWS's error reference
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
 * Messages checked against test/recordings/aws/s3-error-*.json where recorded.
 */
const S3_ERRORS = {
  AccessDenied: [403, 'Access Denied'],
  BadDigest: [400, 'The Content-MD5 you specified did not match what we received.'],
  // recorded: s3-error-bucketalreadyownedbyyou.json
  BucketAlreadyOwnedByYou: [409, 'Your previous request to create the named bucket succeeded and you already own it.'],
  BucketAlreadyExists: [
    409,
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  ],
  BucketNotEmpty: [409, 'The bucket you tried to delete is not empty'],
  EntityTooLarge: [400, 'Your proposed upload exceeds the maximum allowed size'],
  EntityTooSmall: [400, 'Your proposed upload is smaller than the minimum allowed object size.'],
  IllegalLocationConstraintException: [
    400,
    'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
  ],
  IncompleteBody: [400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.'],
  InternalError: [500, 'We encountered an internal error. Please try again.'],
  InvalidArgument: [400, 'Invalid Argument'],
  // recorded: s3-error-invalidbucketname.json
  InvalidBucketName: [400, 'The specified bucket is not valid.'],
  InvalidDigest: [400, 'The Content-MD5 you specified was invalid.'],
  InvalidLocationConstraint: [400, 'The specified location-constraint is not valid'],
  InvalidPart: [
    400,
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  ],
  InvalidPartOrder: [400, 'The list of parts was not in ascending order. Parts must be ordered by part number.'],
  InvalidRange: [416, 'The requested range is not satisfiable'],
  InvalidRequest: [400, 'Invalid Request'],
  KeyTooLongError: [400, 'Your key is too long'],
  MalformedXML: [400, 'The XML you provided was not well-formed or did not validate against our published schema'],
  MethodNotAllowed: [405, 'The specified method is not allowed against this resource.'],
  MissingRequestBodyError: [400, 'Request Body is empty'],
  // recorded: s3-error-nosuchbucket.json (no trailing period)
  NoSuchBucket: [404, 'The specified bucket does not exist'],
  // recorded: s3-error-nosuchkey.json
  NoSuchKey: [404, 'The specified key does not exist.'],
  NoSuchUpload: [
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  ],
  NotImplemented: [501, 'A header you provided implies functionality that is not implemented'],
  PreconditionFailed: [412, 'At least one of the pre-conditions you specified did not hold'],
  SignatureDoesNotMatch: [
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  ],
  XAmzContentSHA256Mismatch: [400, "The provided 'x-amz-content-sha256' header does not match what was computed."],
} as const satisfies Record<string, readonly [number, string]>;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/** Extra elements of the `<Error>` document (`BucketName`, `Key`, `ArgumentName`, …), in order. */
export type S3ErrorDetail = Readonly<Record<string, string | number | undefined>>;

/** An S3 error response: code, HTTP status from the table above, AWS's message and detail elements. */
export class S3Error extends Error {
  override name = 'S3Error';
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly detail: S3ErrorDetail;

  constructor(code: S3ErrorCode, message?: string, detail: S3ErrorDetail = {}, options?: ErrorOptions) {
    const [status, defaultMessage] = S3_ERRORS[code];
    super(message ?? defaultMessage, options);
    this.code = code;
    this.status = status;
    this.detail = detail;
  }

  static statusOf(code: S3ErrorCode): number {
    return S3_ERRORS[code][0];
  }

  /** Anything that is not an S3Error becomes InternalError, keeping the original as `cause`. */
  static from(error: unknown): S3Error {
    return error instanceof S3Error ? error : new S3Error('InternalError', undefined, {}, { cause: error });
  }

  toXML(requestId: string): string {
    const detail = Object.entries(this.detail)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
      .join('');
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${this.code}</Code><Message>${escapeXml(this.message)}</Message>${detail}` +
      `<RequestId>${escapeXml(requestId)}</RequestId></Error>`
    );
  }
}
