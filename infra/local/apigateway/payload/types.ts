import type { IncomingHttpHeaders } from 'node:http';

/** One request to an HTTP API, after API Gateway has picked the stage and the route. */
export interface ExecuteRequest {
  readonly accountId: string;
  readonly apiId: string;
  /** `$default` or the named stage. */
  readonly stage: string;
  readonly stageVariables?: Readonly<Record<string, string>>;
  readonly method: string;
  /** Path as the client sent it (percent-encoded), including a named stage's `/{stage}` prefix. */
  readonly rawPath: string;
  /** Path within the stage (what routes match). */
  readonly stagePath: string;
  readonly rawQueryString: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** API Gateway's request id (`apigw-requestid`). */
  readonly requestId: string;
  readonly time: Date;
  readonly domainName: string;
  readonly sourceIp: string;
  /** The matched route key (`GET /items/{id}` or `$default`). */
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/** What API Gateway sends back to the client. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/**
 * The Lambda's answer does not fit the payload format: AWS logs "The response from the Lambda
 * function doesn't match the format that API Gateway expects" and answers 500 Internal Server Error.
 */
export class MalformedResponseError extends Error {
  override name = 'MalformedResponseError';
}

/** One processor per payload format version (like Hono's aws-lambda adapter): the event out, the response back. */
export interface PayloadProcessor<E> {
  readonly version: '1.0' | '2.0';
  buildEvent(request: ExecuteRequest): E;
  /** Maps the function's JSON result text to the HTTP response; throws {@link MalformedResponseError}. */
  mapResult(payload: string): HttpResult;
}
