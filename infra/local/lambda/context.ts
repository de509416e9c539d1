import type { IncomingHttpHeaders } from 'node:http';
import type { Caller, CognitoIdentityContext, ServiceResponse } from '../edge/types.ts';
import type { TraceBus } from '../trace/bus.ts';
import { LambdaError } from './errors.ts';
import { type FunctionRef, functionArn, locateFunction } from './names.ts';
import type { FunctionCode, FunctionRecord, FunctionStore } from './store.ts';
import { type QualifiedFunction, qualify } from './versions.ts';

/** Options of an invocation, as Invoke's headers carry them. */
export interface InvokeOptions {
  /** @default 'RequestResponse' */
  readonly invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** `Tail` returns the last 4 KB of the log, base64, as `logResult`. @default 'None' */
  readonly logType?: 'None' | 'Tail';
  /** `$LATEST`, a version number or an alias (the `Qualifier` parameter). */
  readonly qualifier?: string;
  /** Base64 JSON, given to the handler as `context.clientContext`. */
  readonly clientContext?: string;
  /** The caller's Cognito identity (identity-pool credentials), given to the handler as `context.identity`. */
  readonly identity?: CognitoIdentityContext;
  /** Who caused the invocation (for the trace): `s3`, `apigateway`, `sdk` … */
  readonly source?: string;
  /** Request id to use (the edge's); a new one otherwise. */
  readonly requestId?: string;
  /**
   * `X-Amzn-Trace-Id` of the request (the SDK in a handler forwards its `_X_AMZN_TRACE_ID`): the
   * chain of requests this invocation belongs to, for recursive loop detection.
   */
  readonly traceHeader?: string;
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
  /** The version that ran: `$LATEST` or a number (an alias routes to one of its versions). */
  readonly executedVersion?: string;
}

/** What an action module may use of the Lambda service. */
export interface LambdaContext {
  readonly store: FunctionStore;
  readonly region: string;
  readonly trace: TraceBus;
  /** Concurrent executions the account has (AWS's quota: 1000 by default). */
  readonly accountConcurrency: number;
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
  /** The IAM action of the operation (named in an AccessDeniedException for another account's function). */
  readonly iamAction?: string;
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

/** Reads the request's function reference (path `FunctionName`, query `Qualifier`) with every check AWS applies. */
export function requestRef(
  context: Pick<LambdaContext, 'region'>,
  request: Pick<ActionRequest, 'params' | 'query' | 'caller' | 'iamAction'>,
  { takesQualifier = true } = {},
): FunctionRef {
  return locateFunction(request.params.FunctionName ?? '', {
    region: context.region,
    qualifier: takesQualifier ? request.query.get('Qualifier') : undefined,
    principalArn: request.caller?.principalArn,
    iamAction: request.iamAction,
  });
}

/** The function a request names, or AWS's "Function not found: <ARN>" (qualified when the request was). */
export function findFunction(
  context: Pick<LambdaContext, 'region' | 'store'>,
  request: Pick<ActionRequest, 'params' | 'query' | 'caller' | 'iamAction'>,
  { takesQualifier = true } = {},
): FunctionRecord {
  const ref = requestRef(context, request, { takesQualifier });
  if (!takesQualifier && ref.qualifier !== undefined) {
    // Function-level operations (aliases, publishing, concurrency, updates) name the function itself.
    throw new LambdaError(
      'InvalidParameterValueException',
      `This operation takes the function's unqualified name or ARN, not a version or alias ('${request.params.FunctionName}').`,
    );
  }
  const record = context.store.get(ref.name);
  if (record === undefined) {
    throw new LambdaError('ResourceNotFoundException', notFoundMessage(context.region, ref.name, ref.qualifier));
  }
  return record;
}

/** The version or alias a request names (`$LATEST` when unqualified). */
export function findQualified(
  context: Pick<LambdaContext, 'region' | 'store'>,
  request: Pick<ActionRequest, 'params' | 'query' | 'caller' | 'iamAction'>,
): QualifiedFunction {
  const record = findFunction(context, request);
  return qualify(record, context.region, requestRef(context, request).qualifier);
}
