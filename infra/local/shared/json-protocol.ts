import type { ServiceResponse } from '../edge/types.ts';

/**
 * What the JSON services share of their wire protocol: JSON 1.1 errors (an HTTP status, the
 * `x-amzn-ErrorType` header and a body `{"__type":"…","message":"…"}`), request bodies that must be
 * one JSON object, and opaque pagination tokens. Each service keeps its own code → status table and
 * its own wording.
 */
export class JsonProtocolError<Code extends string = string> extends Error {
  override name = 'JsonProtocolError';
  readonly code: Code;
  readonly status: number;

  constructor(code: Code, status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = status;
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
}

/** How a service answers a request body that is not one JSON object. */
export interface BodyErrors {
  /** The body is not JSON (`cause` is the parser's SyntaxError). */
  readonly malformed: (cause: Error) => Error;
  /** The body is JSON, but not an object. */
  readonly notAnObject: () => Error;
}

/** Parses a JSON request body (empty → `{}`); anything but one JSON object throws the service's error. */
export function parseJsonBody(body: Buffer, errors: BodyErrors): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw errors.malformed(error as Error);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw errors.notAnObject();
  return parsed as Record<string, unknown>;
}

/** An opaque, self-describing pagination token. */
export function encodeToken(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeToken(token: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
