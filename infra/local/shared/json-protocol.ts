import type { ServiceRequest, ServiceResponse } from '../edge/types.ts';
import { checkJsonParameters, type ServiceParameters } from './parameters.ts';

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

/** The operation an `X-Amz-Target: <prefix><Operation>` header names; undefined for another prefix. */
export function jsonOperation(headers: ServiceRequest['headers'], targetPrefix: string): string | undefined {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : undefined;
}

/** What a JSON service tells {@link dispatchJson} about itself. */
export interface JsonServiceProtocol<Action> {
  /** `Kinesis_20131202.` */
  readonly targetPrefix: string;
  /** The service as messages name it: `Kinesis`, `CloudWatch Logs`. */
  readonly title: string;
  /** Every implemented operation, by its X-Amz-Target name. */
  readonly actions: Readonly<Record<string, Action>>;
  /** Operations of the service's API the local cloud knows of but does not implement. */
  readonly notImplemented: ReadonlySet<string>;
  /** Each implemented operation's parameters, supported or refused (../shared/parameters.ts). */
  readonly parameters: ServiceParameters;
  /** The body as one JSON object, or the service's SerializationException. */
  readonly parseBody: (body: Buffer) => Record<string, unknown>;
  /** The service's error for the protocol's own failures. */
  readonly error: (
    code: 'NotImplemented' | 'UnknownOperationException' | 'SerializationException',
    message: string,
  ) => JsonProtocolError;
  /** The service's error for a parameter the local cloud does not support (its invalid-parameter code). */
  readonly refuseParameter: (message: string) => JsonProtocolError;
  /** Any throw as the service's error (unknown ones as its internal failure). */
  readonly from: (thrown: unknown) => JsonProtocolError;
}

/** One finished exchange, for the service's trace. */
export interface JsonExchange {
  readonly operation: string;
  /** `{}` when the body never parsed. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly error?: string;
}

/**
 * The JSON 1.1 request cycle the JSON services share (as IAM and STS share `dispatchQuery`):
 * `X-Amz-Target` → operation → NotImplemented / UnknownOperationException → CBOR refused → body
 * parsed → parameters checked against the declaration → the action run → `200` JSON or the
 * service's error. `admit` runs before the body is read (Cognito refuses unsigned calls there);
 * `done` sees every exchange, failed ones included.
 */
export async function dispatchJson<Action>(
  request: ServiceRequest,
  protocol: JsonServiceProtocol<Action>,
  {
    admit,
    run,
    done,
  }: {
    readonly admit?: (operation: string) => void;
    readonly run: (
      action: Action,
      input: Record<string, unknown>,
      operation: string,
    ) => Record<string, unknown> | Promise<Record<string, unknown>>;
    readonly done?: (exchange: JsonExchange) => void;
  },
): Promise<ServiceResponse> {
  const operation = jsonOperation(request.headers, protocol.targetPrefix) ?? 'Unknown';
  let input: Record<string, unknown> = {};
  try {
    const action = Object.hasOwn(protocol.actions, operation) ? protocol.actions[operation] : undefined;
    if (request.method !== 'POST' || action === undefined) {
      if (protocol.notImplemented.has(operation)) {
        throw protocol.error(
          'NotImplemented',
          `The local cloud does not implement ${protocol.title} ${operation} (yet).`,
        );
      }
      const target = request.headers['x-amz-target'];
      throw protocol.error(
        'UnknownOperationException',
        typeof target === 'string' ? `Unknown operation ${target}` : 'Missing X-Amz-Target header',
      );
    }
    admit?.(operation);
    if (String(request.headers['content-type'] ?? '').includes('cbor')) {
      throw protocol.error(
        'SerializationException',
        `The local cloud speaks JSON 1.1 to ${protocol.title} clients, not CBOR.`,
      );
    }
    input = protocol.parseBody(request.body);
    checkJsonParameters(protocol.parameters, operation, input, protocol.refuseParameter);
    const output = await run(action, input, operation);
    done?.({ operation, input, output, status: 200 });
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': request.requestId },
      body: JSON.stringify(output),
    };
  } catch (thrown) {
    const error = protocol.from(thrown);
    done?.({ operation, input, status: error.status, error: error.code });
    return error.toResponse(request.requestId);
  }
}
