import type { ServiceResponse } from '../edge/types.ts';

/**
 * Lambda's errors (REST-JSON): HTTP status, `x-amzn-ErrorType` header and a JSON body
 * `{"Type":"User","message":"…"}`. Statuses and message member names follow the Lambda API
 * reference's error shapes (the AWS SDK's model: ResourceNotFoundException and ServiceException
 * spell `Message`, the others `message`; recorded: test/recordings/aws/lambda-invoke-function-not-found.json).
 */
const ERRORS = {
  ResourceNotFoundException: { status: 404, messageKey: 'Message', type: 'User' },
  ResourceConflictException: { status: 409, messageKey: 'message', type: 'User' },
  InvalidParameterValueException: { status: 400, messageKey: 'message', type: 'User' },
  InvalidRequestContentException: { status: 400, messageKey: 'message', type: 'User' },
  ValidationException: { status: 400, messageKey: 'message', type: 'User' },
  RequestEntityTooLargeException: { status: 413, messageKey: 'message', type: 'User' },
  PreconditionFailedException: { status: 412, messageKey: 'message', type: 'User' },
  TooManyRequestsException: { status: 429, messageKey: 'message', type: 'User' },
  RecursiveInvocationException: { status: 400, messageKey: 'Message', type: 'User' },
  CodeStorageExceededException: { status: 400, messageKey: 'message', type: 'User' },
  UnsupportedMediaTypeException: { status: 415, messageKey: 'message', type: 'User' },
  AccessDeniedException: { status: 403, messageKey: 'Message', type: 'User' },
  UnknownOperationException: { status: 404, messageKey: 'message', type: 'User' },
  /** The local cloud's answer for Lambda operations it does not implement. */
  NotImplemented: { status: 501, messageKey: 'message', type: 'Service' },
  ServiceException: { status: 500, messageKey: 'Message', type: 'Service' },
} as const;

export type LambdaErrorCode = keyof typeof ERRORS;

export class LambdaError extends Error {
  override name = 'LambdaError';
  readonly code: LambdaErrorCode;
  readonly status: number;
  /** Members some errors add to the body, e.g. TooManyRequestsException's `Reason`. */
  readonly fields: Readonly<Record<string, string>>;

  constructor(
    code: LambdaErrorCode,
    message: string,
    options?: ErrorOptions & { readonly fields?: Readonly<Record<string, string>> },
  ) {
    super(message, options);
    this.code = code;
    this.status = ERRORS[code].status;
    this.fields = options?.fields ?? {};
  }

  toResponse(requestId: string): ServiceResponse {
    const { messageKey, type } = ERRORS[this.code];
    return {
      status: this.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': this.code,
      },
      body: JSON.stringify({ Type: type, [messageKey]: this.message, ...this.fields }),
    };
  }

  /** Any throw becomes a Lambda error; unknown ones a ServiceException without internals. */
  static from(error: unknown): LambdaError {
    if (error instanceof LambdaError) return error;
    return new LambdaError('ServiceException', 'The local cloud failed to handle the request.', { cause: error });
  }
}
