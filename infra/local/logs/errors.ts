import { JsonProtocolError } from '../shared/json-protocol.ts';

/**
 * CloudWatch Logs errors (JSON 1.1, shaped by ../shared/json-protocol.ts): an HTTP status, the
 * `x-amzn-ErrorType` header and a body `{"__type":"…","message":"…"}`. Codes from the CloudWatch
 * Logs API reference's per-action Errors and its CommonErrors page; client errors are 400,
 * ServiceUnavailableException 500.
 */
const STATUS = {
  ResourceNotFoundException: 400,
  ResourceAlreadyExistsException: 400,
  InvalidParameterException: 400,
  LimitExceededException: 400,
  OperationAbortedException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  AccessDeniedException: 400,
  /** The local cloud's answer for CloudWatch Logs operations it does not implement. */
  NotImplemented: 501,
  ServiceUnavailableException: 500,
} as const;

export type LogsErrorCode = keyof typeof STATUS;

/** AWS's messages for the errors every action shares. */
export const MESSAGES = {
  groupNotFound: 'The specified log group does not exist.',
  streamNotFound: 'The specified log stream does not exist.',
  groupExists: 'The specified log group already exists',
  streamExists: 'The specified log stream already exists',
  invalidToken: 'The specified nextToken is invalid.',
} as const;

export class LogsError extends JsonProtocolError<LogsErrorCode> {
  override name = 'LogsError';

  constructor(code: LogsErrorCode, message: string, options?: ErrorOptions) {
    super(code, STATUS[code], message, options);
  }

  /** Any throw becomes a CloudWatch Logs error; unknown ones a ServiceUnavailableException without internals. */
  static from(error: unknown): LogsError {
    if (error instanceof LogsError) return error;
    return new LogsError('ServiceUnavailableException', 'The service cannot complete the request.', { cause: error });
  }
}
