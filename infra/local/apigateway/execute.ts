import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestHead, ServiceRequest, ServiceResponse } from '../edge/types.ts';
import type { LambdaInvoker } from '../lambda/invoker.ts';
import type { TraceBus } from '../trace/bus.ts';
import { isPreflight, preflightHeaders, responseCorsHeaders } from './cors.ts';
import { lambdaArnOf } from './integration-uri.ts';
import type { PayloadProcessor } from './payload/types.ts';
import { MalformedResponseError } from './payload/types.ts';
import { payloadV1 } from './payload/v1.ts';
import { payloadV2 } from './payload/v2.ts';
import { DEFAULT_ROUTE, matchRoute } from './route-key.ts';
import type { ApiRecord, ApiStore } from './store.ts';
import { type RouteThrottle, routeLimits } from './throttle.ts';

/** The invoke URL's two local forms: `/_aws/execute-api/{apiId}/…` on the cloud's address, or Host `{apiId}.execute-api.localhost`. */
export const EXECUTE_API_PATH_PREFIX = '/_aws/execute-api/';
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.localhost(?::\d+)?$/i;

/**
 * What the data plane needs of Lambda: part of the one Lambda port (infra/local/lambda/invoker.ts).
 * With `allowsInvoke`, API Gateway needs a resource-policy grant to `apigateway.amazonaws.com`, as on AWS.
 */
export type LambdaInvoke = Pick<LambdaInvoker, 'invoke' | 'functionExists'> &
  Partial<Pick<LambdaInvoker, 'allowsInvoke'>>;

export interface ExecuteApiDependencies {
  readonly store: ApiStore;
  readonly lambda: LambdaInvoke;
  readonly trace: TraceBus;
  readonly region: string;
  readonly accountId: string;
  readonly integrationTimeoutMs: number;
  readonly requireInvokePermission: boolean;
  /** The stages' and routes' token buckets (throttle.ts). */
  readonly throttle: RouteThrottle;
}

/** Which API an invoke-URL request is for, and the path after the API's own prefix. */
export function executeApiTarget(
  head: Pick<RequestHead, 'rawPath' | 'headers'>,
): { apiId: string; path: string; domainName: string } | undefined {
  const host = head.headers.host ?? '';
  const byHost = EXECUTE_API_HOST.exec(host);
  if (byHost)
    return { apiId: byHost[1]!.toLowerCase(), path: head.rawPath || '/', domainName: host.replace(/:\d+$/, '') };
  if (!head.rawPath.startsWith(EXECUTE_API_PATH_PREFIX)) return undefined;
  const rest = head.rawPath.slice(EXECUTE_API_PATH_PREFIX.length);
  const slash = rest.indexOf('/');
  const apiId = slash === -1 ? rest : rest.slice(0, slash);
  if (apiId === '') return undefined;
  return { apiId, path: slash === -1 ? '/' : rest.slice(slash), domainName: host.replace(/:\d+$/, '') || '127.0.0.1' };
}

// HTTP APIs answer their own errors as {"message": "…"} (e.g. {"message":"Not Found"}).
const message = (status: number, text: string, requestId: string): ServiceResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'apigw-requestid': requestId },
  body: JSON.stringify({ message: text }),
});

const INTERNAL_ERROR = [500, 'Internal Server Error'] as const;

const PROCESSORS: Readonly<Record<string, PayloadProcessor<unknown>>> = { '1.0': payloadV1, '2.0': payloadV2 };

/** A request id in API Gateway's style (`JKJaXmPLvHcESHA=`). */
const apigwRequestId = (): string => randomBytes(11).toString('base64');

function stageOf(api: ApiRecord, path: string): { stage: string; stagePath: string } | undefined {
  const first = /^\/([^/]+)/.exec(path)?.[1];
  const named = first === undefined ? undefined : api.stages.find((s) => s.stageName === first && first !== '$default');
  if (named) return { stage: named.stageName, stagePath: path.slice(first!.length + 1) || '/' };
  return api.stages.some((s) => s.stageName === '$default') ? { stage: '$default', stagePath: path } : undefined;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}{path}`: the source ARN a Lambda permission names. */
function sourceArn(deps: ExecuteApiDependencies, apiId: string, stage: string, routeKey: string): string {
  const [method, path] = routeKey === DEFAULT_ROUTE ? ['$default', ''] : routeKey.split(' ');
  return `arn:aws:execute-api:${deps.region}:${deps.accountId}:${apiId}/${stage}/${method}${path ?? ''}`;
}

class IntegrationTimeout extends Error {
  override name = 'IntegrationTimeout';
}

/** Serves one request to an HTTP API's invoke URL: stage, route, CORS, Lambda proxy integration. */
export async function executeApi(deps: ExecuteApiDependencies, request: ServiceRequest): Promise<ServiceResponse> {
  const started = Date.now();
  const requestId = apigwRequestId();
  const target = executeApiTarget(request)!;
  const query = request.query.toString();
  const rawQueryString = request.query.size === 0 ? '' : query;
  const trace: Record<string, unknown> = { apiId: target.apiId, method: request.method, path: target.path };
  const done = (response: ServiceResponse, extra: Record<string, unknown> = {}): ServiceResponse => {
    deps.trace.publish(
      'apigateway.request',
      { ...trace, ...extra, status: response.status, durationMs: Date.now() - started },
      requestId,
    );
    return response;
  };

  const api = deps.store.get(target.apiId);
  if (!api) return done(message(404, 'Not Found', requestId), { reason: 'no such API' });
  if (api.disableExecuteApiEndpoint) return done(message(403, 'Forbidden', requestId), { reason: 'endpoint disabled' });
  const stage = stageOf(api, target.path);
  if (!stage) return done(message(404, 'Not Found', requestId), { reason: 'no such stage' });
  trace.stage = stage.stage;

  const cors = api.corsConfiguration;
  if (cors && isPreflight(request.method, request.headers)) {
    return done(
      { status: 204, headers: { ...preflightHeaders(cors, request.headers), 'apigw-requestid': requestId } },
      { routeKey: 'CORS preflight' },
    );
  }
  const corsHeaders = cors ? responseCorsHeaders(cors, request.headers) : {};
  const withCors = (response: ServiceResponse): ServiceResponse => ({
    ...response,
    headers: { ...response.headers, ...corsHeaders },
  });

  const match = matchRoute(api.routes, request.method, stage.stagePath);
  if (!match) return done(withCors(message(404, 'Not Found', requestId)), { reason: 'no route' });
  const { route, pathParameters } = match;
  trace.routeKey = route.routeKey;
  const stageRecord = api.stages.find((s) => s.stageName === stage.stage);
  const limits = stageRecord === undefined ? undefined : routeLimits(stageRecord, route.routeKey);
  if (limits !== undefined && !deps.throttle.take(api.apiId, stage.stage, route.routeKey, limits)) {
    return done(withCors(message(429, 'Too Many Requests', requestId)), { reason: 'throttled', ...limits });
  }
  const integrationId = /^integrations\/(.+)$/.exec(route.target ?? '')?.[1];
  const integration = api.integrations.find((i) => i.integrationId === integrationId);
  if (!integration) return done(withCors(message(404, 'Not Found', requestId)), { reason: 'route has no integration' });
  const functionArn = lambdaArnOf(integration.integrationUri) ?? integration.integrationUri;
  const processor = PROCESSORS[integration.payloadFormatVersion] ?? payloadV2;
  const failure = (status: number, text: string, reason: string) =>
    done(withCors(message(status, text, requestId)), { reason, functionArn });

  if (!deps.lambda.functionExists(functionArn)) return failure(...INTERNAL_ERROR, 'function not found');
  // On AWS a missing lambda:InvokeFunction grant to apigateway.amazonaws.com is a 500 as well.
  if (
    deps.requireInvokePermission &&
    deps.lambda.allowsInvoke &&
    !deps.lambda.allowsInvoke(
      functionArn,
      'apigateway.amazonaws.com',
      sourceArn(deps, api.apiId, stage.stage, route.routeKey),
    )
  ) {
    return failure(...INTERNAL_ERROR, 'API Gateway has no permission to invoke the function');
  }

  const event = processor.buildEvent({
    accountId: deps.accountId,
    apiId: api.apiId,
    stage: stage.stage,
    stageVariables: stageRecord?.stageVariables,
    method: request.method,
    rawPath: target.path,
    stagePath: stage.stagePath,
    rawQueryString,
    headers: {
      ...request.headers,
      'x-forwarded-for': request.headers['x-forwarded-for'] ?? '127.0.0.1',
      'x-forwarded-port':
        request.headers['x-forwarded-port'] ?? /:(\d+)$/.exec(request.headers.host ?? '')?.[1] ?? '80',
      'x-forwarded-proto': request.headers['x-forwarded-proto'] ?? 'http',
      'x-amzn-trace-id': `Root=1-${Math.floor(started / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
    },
    body: request.body,
    requestId,
    time: new Date(started),
    domainName: target.domainName,
    sourceIp: String(request.headers['x-forwarded-for'] ?? '127.0.0.1')
      .split(',')[0]!
      .trim(),
    routeKey: route.routeKey,
    pathParameters,
  });

  const lambdaRequestId = randomUUID();
  deps.trace.publish(
    'apigateway.integration',
    {
      apiId: api.apiId,
      routeKey: route.routeKey,
      functionArn,
      requestId: lambdaRequestId,
      payloadFormatVersion: processor.version,
    },
    requestId,
  );
  const timeoutMs = Math.min(integration.timeoutInMillis, deps.integrationTimeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const invocation = deps.lambda.invoke(functionArn, JSON.stringify(event), {
    invocationType: 'RequestResponse',
    source: 'apigateway',
    requestId: lambdaRequestId,
  });
  invocation.catch(() => undefined); // still running when API Gateway gives up
  let result: Awaited<typeof invocation>;
  try {
    result = await Promise.race([
      invocation,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new IntegrationTimeout()), timeoutMs);
      }),
    ]);
  } catch (error) {
    // HTTP APIs answer 503 when the integration does not answer within its timeout (30 s at most).
    if (error instanceof IntegrationTimeout)
      return failure(503, 'Service Unavailable', `integration timed out after ${timeoutMs} ms`);
    return failure(...INTERNAL_ERROR, `Lambda rejected the invocation: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  if (result.functionError !== undefined) return failure(...INTERNAL_ERROR, `function error: ${result.payload ?? ''}`);

  let mapped: ReturnType<PayloadProcessor<unknown>['mapResult']>;
  try {
    mapped = processor.mapResult(result.payload ?? 'null');
  } catch (error) {
    if (error instanceof MalformedResponseError)
      return failure(...INTERNAL_ERROR, `malformed response: ${error.message}`);
    throw error;
  }
  const headers: Record<string, string | string[]> = { ...mapped.headers };
  // With a CORS configuration API Gateway ignores the integration's own CORS headers.
  if (cors) for (const name of Object.keys(headers)) if (name.startsWith('access-control-')) delete headers[name];
  return done(
    withCors({ status: mapped.status, headers: { ...headers, 'apigw-requestid': requestId }, body: mapped.body }),
    { functionArn },
  );
}
