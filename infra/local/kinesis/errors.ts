import { JsonProtocolError } from '../shared/json-protocol.ts';

/**
 * Kinesis Data Streams errors (JSON 1.1, shaped by ../shared/json-protocol.ts): an HTTP status, the `x-amzn-ErrorType` header and a body
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

export class KinesisError extends JsonProtocolError<KinesisErrorCode> {
  override name = 'KinesisError';

  constructor(code: KinesisErrorCode, message: string, options?: ErrorOptions) {
    super(code, STATUS[code], message, options);
  }

  /** Any throw becomes a Kinesis error; unknown ones an InternalFailure without internals. */
  static from(error: unknown): KinesisError {
    if (error instanceof KinesisError) return error;
    return new KinesisError('InternalFailure', 'Internal Service Failure', { cause: error });
  }
}
