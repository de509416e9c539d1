import type { IncomingHttpHeaders } from 'node:http';
import type { Caller, ServiceResponse } from '../edge/types.ts';
import type { TraceBus } from '../trace/bus.ts';
import { LambdaError } from './errors.ts';
import { functionArn, parseFunctionRef } from './names.ts';
import type { FunctionCode, FunctionRecord, FunctionStore } from './store.ts';

/** Options of an invocation, as Invoke's headers carry them. */
export interface InvokeOptions {
  /** @default 'RequestResponse' */
  readonly invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** `Tail` returns the last 4 KB of the log, base64, as `logResult`. @default 'None' */
  readonly logType?: 'None' | 'Tail';
  /** Only `$LATEST` exists in the local cloud. */
  readonly qualifier?: string;
  /** Base64 JSON, given to the handler as `context.clientContext`. */
  readonly clientContext?: string;
  /** Who caused the invocation (for the trace): `s3`, `apigateway`, `sdk` … */
  readonly source?: string;
  /** Request id to use (the edge's); a new one otherwise. */
  readonly requestId?: string;
}

/** What Invoke answers. */
export interface InvokeResult {
  /** 200 (RequestResponse), 202 (Event) or 204 (DryRun). */
  readonly statusCode: 200 | 202 | 204;
  readonly requestId: string;
  /** Response payload (JSON text) or the error payload when `functionError` is set. */
  readonly payload?: string;
  readonly functionError?: 'Unhandled';
  /** Base64 of the last 4 KB of the log (`LogType: Tail`). */
  readonly logResult?: string;
  readonly executedVersion?: '$LATEST';
}

/** What an action module may use of the Lambda service. */
export interface LambdaContext {
  readonly store: FunctionStore;
  readonly region: string;
  readonly trace: TraceBus;
  /** Turns a request's `Code` (ZipFile, S3Bucket/S3Key, or a local directory) into stored code. */
  resolveCode(
    functionName: string,
    code: Readonly<Record<string, unknown>>,
    caller: Caller,
  ): Promise<{ code: FunctionCode; size: number; sha256: string }>;
  /** Code or configuration changed (or the function is gone): retire warm environments. */
  retire(functionName: string): void;
  invoke(functionRef: string, payload: unknown, options?: InvokeOptions): Promise<InvokeResult>;
}

export interface ActionRequest {
  /** Decoded path parameters (`FunctionName`, `StatementId`). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly requestId: string;
  readonly caller: Caller;
}

export type Action = (context: LambdaContext, request: ActionRequest) => Promise<ServiceResponse>;

export function json(
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function notFoundMessage(region: string, name: string, qualifier?: string): string {
  return `Function not found: ${functionArn(region, name, qualifier)}`;
}

/**
 * The function a request names (path parameter `FunctionName`, query `Qualifier`).
 * Only `$LATEST` exists locally: other qualifiers are not found, as an unpublished version would be.
 */
export function findFunction(
  context: LambdaContext,
  request: Pick<ActionRequest, 'params' | 'query'>,
  { qualifiedMessage = false } = {},
): FunctionRecord {
  const ref = parseFunctionRef(request.params.FunctionName ?? '', request.query.get('Qualifier'));
  const record = context.store.get(ref.name);
  if (record === undefined || (ref.qualifier !== undefined && ref.qualifier !== '$LATEST')) {
    const qualifier = ref.qualifier ?? (qualifiedMessage ? '$LATEST' : undefined);
    throw new LambdaError('ResourceNotFoundException', notFoundMessage(context.region, ref.name, qualifier));
  }
  return record;
}
