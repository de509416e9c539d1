import type { ServiceResponse } from '../edge/types.ts';

/**
 * Kinesis Data Streams errors (JSON 1.1): an HTTP status, the `x-amzn-ErrorType` header and a body
 * `{"__type":"…","message":"…"}`. Codes from the Kinesis API reference's per-action Errors and its
 * CommonErrors page; every client error is a 400, InternalFailure a 500.
 */
const STATUS = {
  ResourceNotFoundException: 400,
  ResourceInUseException: 400,
  InvalidArgumentException: 400,
  ExpiredIteratorException: 400,
  ExpiredNextTokenException: 400,
  LimitExceededException: 400,
  ProvisionedThroughputExceededException: 400,
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  AccessDeniedException: 400,
  /** The local cloud's answer for Kinesis operations it does not implement. */
  NotImplemented: 501,
  InternalFailure: 500,
} as const;

export type KinesisErrorCode = keyof typeof STATUS;

export class KinesisError extends Error {
  override name = 'KinesisError';
  readonly code: KinesisErrorCode;
  readonly status: number;

  constructor(code: KinesisErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
  }

  toResponse(requestId: string): ServiceResponse {
    return {
      status: this.status,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': this.code,
      },
      body: JSON.stringify({ __type: this.code, message: this.message }),
    };
  }

  /** Any throw becomes a Kinesis error; unknown ones an InternalFailure without internals. */
  static from(error: unknown): KinesisError {
    if (error instanceof KinesisError) return error;
    return new KinesisError('InternalFailure', 'Internal Service Failure', { cause: error });
  }
}
