/**
 * DynamoDB and DynamoDB Streams errors: the JSON 1.0 protocol's `{"__type": "<namespace>#<Code>", "message": …}`
 * (as dynalite's db/index.js and real DynamoDB answer; recorded: test/recordings/aws/dynamodb-error-*.json and
 * dynamodbstreams-error-stream-not-found.json). Both APIs share the `com.amazonaws.dynamodb.v20120810` namespace;
 * protocol-level errors come from the Coral framework's namespaces.
 */
const NAMESPACES: Readonly<Record<string, string>> = {
  ValidationException: 'com.amazon.coral.validate',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
};
const DYNAMODB_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

/** HTTP status per code: DynamoDB answers 400 for every client error (even ResourceNotFound), 500 otherwise. */
const STATUS: Readonly<Record<string, number>> = {
  InternalServerError: 500,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

export type DynamoDBErrorCode =
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'ConditionalCheckFailedException'
  | 'ExpiredIteratorException'
  | 'TrimmedDataAccessException'
  | 'LimitExceededException'
  | 'InternalServerError'
  | (string & {});

export class DynamoDBError extends Error {
  override name = 'DynamoDBError';
  /** Short code, e.g. `ResourceNotFoundException`. */
  readonly code: DynamoDBErrorCode;
  readonly status: number;
  /** Full `__type`, e.g. `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`. */
  readonly type: string;
  /** Extra members of the error body (ConditionalCheckFailedException's `Item`). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(
    code: DynamoDBErrorCode,
    message: string,
    options: ErrorOptions & { status?: number; type?: string; extra?: Record<string, unknown> } = {},
  ) {
    super(message, options);
    this.code = code;
    this.status = options.status ?? STATUS[code] ?? 400;
    this.type = options.type ?? `${NAMESPACES[code] ?? DYNAMODB_NAMESPACE}#${code}`;
    this.extra = options.extra ?? {};
  }

  /** The JSON body AWS sends. Validation errors carry `message`; dynalite's type errors carry `Message`. */
  toBody(): Record<string, unknown> {
    return { __type: this.type, message: this.message, ...this.extra };
  }

  /** An error body produced by dynalite (`err.statusCode`, `err.body`), kept verbatim. */
  static fromDynalite(status: number, body: Record<string, unknown>): DynamoDBError {
    const type = String(body.__type ?? `${DYNAMODB_NAMESPACE}#InternalServerError`);
    const code = type.slice(type.indexOf('#') + 1);
    const { __type: _type, message, Message, ...extra } = body;
    const error = new DynamoDBError(code, String(message ?? Message ?? ''), { status, type, extra });
    // dynalite spells type errors with a capital `Message`; keep its body exactly.
    if (Message !== undefined && message === undefined) {
      Object.defineProperty(error, 'toBody', { value: () => ({ ...body }) });
    }
    return error;
  }

  /** Any throw becomes an AWS-shaped error; unknown ones are InternalServerError (500), never a stack trace. */
  static from(thrown: unknown): DynamoDBError {
    if (thrown instanceof DynamoDBError) return thrown;
    if (thrown instanceof Error && thrown.name === 'ShardStoreError' && 'code' in thrown) {
      return new DynamoDBError(String(thrown.code), thrown.message, { cause: thrown });
    }
    return new DynamoDBError('InternalServerError', 'Internal server error', { cause: thrown });
  }
}

/** `ValidationException` with AWS's message. */
export function validationError(message: string): DynamoDBError {
  return new DynamoDBError('ValidationException', message);
}
