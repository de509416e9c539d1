import { JsonProtocolError } from '../shared/json-protocol.ts';

/**
 * Cognito Identity errors (JSON 1.1, shaped by ../shared/json-protocol.ts): an HTTP status, the `x-amzn-ErrorType` header and a body
 * `{"__type":"…","message":"…"}`. Codes from the Cognito Identity API reference's per-action Errors
 * and its CommonErrors page. AWS answers its client errors with 400 (recorded in SDK issue reports:
 * "IdentityPool '…' not found. (Status Code: 400; Error Code: ResourceNotFoundException)"), whatever
 * status the Smithy model declares; InternalErrorException is a 500.
 */
const STATUS = {
  InvalidParameterException: 400,
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  ResourceNotFoundException: 400,
  ResourceConflictException: 400,
  NotAuthorizedException: 400,
  InvalidIdentityPoolConfigurationException: 400,
  DeveloperUserAlreadyRegisteredException: 400,
  LimitExceededException: 400,
  TooManyRequestsException: 400,
  /** The local cloud's answer for Cognito Identity operations and features it does not implement. */
  NotImplemented: 501,
  InternalErrorException: 500,
} as const;

export type CognitoIdentityErrorCode = keyof typeof STATUS;

export class CognitoIdentityError extends JsonProtocolError<CognitoIdentityErrorCode> {
  override name = 'CognitoIdentityError';

  constructor(code: CognitoIdentityErrorCode, message: string, options?: ErrorOptions) {
    super(code, STATUS[code], message, options);
  }

  /** Any throw becomes a Cognito Identity error; unknown ones an InternalErrorException without internals. */
  static from(error: unknown): CognitoIdentityError {
    if (error instanceof CognitoIdentityError) return error;
    return new CognitoIdentityError('InternalErrorException', 'Internal error', { cause: error });
  }
}

/** `IdentityPool 'us-east-1:…' not found.` (recorded in SDK issue reports of GetId against a missing pool). */
export function poolNotFound(identityPoolId: string): CognitoIdentityError {
  return new CognitoIdentityError('ResourceNotFoundException', `IdentityPool '${identityPoolId}' not found.`);
}

export function identityNotFound(identityId: string): CognitoIdentityError {
  return new CognitoIdentityError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
}

/** AWS's answer when the Logins of a request do not fit the identity or the pool. */
export function loginsDoNotMatch(): CognitoIdentityError {
  return new CognitoIdentityError(
    'NotAuthorizedException',
    "Logins don't match. Please include at least one valid login for this identity or identity pool.",
  );
}
