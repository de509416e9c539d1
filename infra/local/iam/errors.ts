import type { ServiceResponse } from '../edge/types.ts';
import { escapeXml } from './xml.ts';

/**
 * HTTP status per error code, from the IAM and STS API references ("Errors" of each action and
 * "Common Errors"): a query-protocol error is `<ErrorResponse><Error><Type>Sender</Type>…`.
 */
const STATUS: Readonly<Record<string, number>> = {
  AccessDenied: 403,
  DeleteConflict: 409,
  EntityAlreadyExists: 409,
  ExpiredToken: 400,
  // STS AssumeRoleWithWebIdentity (STS API reference, "Errors"; the SDK's model gives the statuses).
  ExpiredTokenException: 400,
  IDPRejectedClaim: 403,
  InvalidIdentityToken: 400,
  MissingAuthenticationToken: 403,
  InvalidAction: 400,
  InvalidInput: 400,
  LimitExceeded: 409,
  MalformedPolicyDocument: 400,
  MissingAction: 400,
  NoSuchEntity: 404,
  NotImplemented: 501,
  PackedPolicyTooLarge: 400,
  ServiceFailure: 500,
  UnmodifiableEntity: 400,
  ValidationError: 400,
};

/** An IAM or STS error in the query protocol's shape. */
export class IamError extends Error {
  override name = 'IamError';
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code] ?? 400;
  }

  /** Any throw as an IamError: unknown ones become ServiceFailure (never a stack trace on the wire). */
  static from(error: unknown): IamError {
    if (error instanceof IamError) return error;
    return new IamError('ServiceFailure', 'The request processing has failed because of an unknown error.', {
      cause: error,
    });
  }

  toResponse(requestId: string, namespace: string): ServiceResponse {
    const type = this.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: this.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body:
        `<ErrorResponse xmlns="${namespace}">\n` +
        `  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(this.code)}</Code>\n` +
        `    <Message>${escapeXml(this.message)}</Message>\n  </Error>\n` +
        `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    };
  }
}

/** IAM's message for a parameter that breaks a constraint (`1 validation error detected: …`). */
export function validationError(member: string, value: string | undefined, constraint: string): IamError {
  const shown = value === undefined ? 'null' : `'${value}'`;
  return new IamError(
    'ValidationError',
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
