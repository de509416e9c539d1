import type { APIGatewayProxyEvent } from 'aws-lambda';
import {
  clfTime,
  eventBody,
  headerText,
  isRecord,
  parseResult,
  queryValues,
  responseBody,
  singleHeaders,
  statusCodeOf,
} from './shared.ts';
import { type ExecuteRequest, type HttpResult, MalformedResponseError, type PayloadProcessor } from './types.ts';

/** The path a route key names (`GET /items/{id}` → `/items/{id}`); `$default` has none. */
const routePath = (routeKey: string): string | undefined => /^\S+ (\/.*)$/.exec(routeKey)?.[1];

/**
 * Payload format 1.0, the REST API proxy event as HTTP APIs send it: `headers` and
 * `multiValueHeaders`, `queryStringParameters` (the last value of a repeated key, as recorded)
 * and `multiValueQueryStringParameters`, `null` for what is absent, `path` without the stage and
 * `requestContext.path` with it (recorded: aws-recordings/apigateway-rest-v1-proxy-event.json).
 */
export function buildEventV1(request: ExecuteRequest): APIGatewayProxyEvent & { version: string } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const text = headerText(value);
    if (text === undefined) continue;
    headers[name] = text;
    multiValueHeaders[name] = Array.isArray(value) ? value : [text];
  }
  const query = queryValues(request.rawQueryString);
  const hasQuery = query.size > 0;
  const hasParams = Object.keys(request.pathParameters).length > 0;
  const { body, isBase64Encoded } = eventBody(request.headers, request.body);
  const resource = routePath(request.routeKey) ?? request.stagePath;
  const userAgent = headers['user-agent'] ?? null;
  return {
    version: '1.0',
    resource,
    path: request.stagePath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery
      ? Object.fromEntries([...query].map(([name, values]) => [name, values[values.length - 1]!]))
      : null,
    multiValueQueryStringParameters: hasQuery ? Object.fromEntries(query) : null,
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      authorizer: null,
      domainName: request.domainName,
      domainPrefix: request.domainName.split('.')[0] ?? request.domainName,
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: request.rawPath,
      protocol: 'HTTP/1.1',
      requestId: request.requestId,
      requestTime: clfTime(request.time),
      requestTimeEpoch: request.time.getTime(),
      resourceId: request.routeKey,
      resourcePath: resource,
      stage: request.stage,
    },
    pathParameters: hasParams ? { ...request.pathParameters } : null,
    stageVariables:
      request.stageVariables && Object.keys(request.stageVariables).length > 0 ? { ...request.stageVariables } : null,
    body: request.body.length > 0 ? body : null,
    isBase64Encoded: request.body.length > 0 && isBase64Encoded,
  };
}

/**
 * The 1.0 response rules: the function must answer an object with `statusCode` (an integer or a
 * string holding one); `multiValueHeaders` and `headers` for the same name are joined, multi-values
 * first (recorded). API Gateway infers nothing for 1.0: any other answer is malformed.
 */
export function mapResultV1(payload: string): HttpResult {
  const result = parseResult(payload);
  if (!isRecord(result) || !('statusCode' in result)) {
    throw new MalformedResponseError('Payload format 1.0 requires an object with a statusCode.');
  }
  const status = statusCodeOf(result.statusCode);
  const merged = new Map<string, { name: string; values: string[] }>();
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const entry = merged.get(key) ?? { name, values: [] };
    entry.values.push(value);
    merged.set(key, entry);
  };
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (!isRecord(result.multiValueHeaders) || !Object.values(result.multiValueHeaders).every(Array.isArray)) {
      throw new MalformedResponseError('Lambda body contains the wrong type for field "multiValueHeaders"');
    }
    for (const [name, values] of Object.entries(result.multiValueHeaders as Record<string, unknown[]>)) {
      for (const value of values) add(name, String(value));
    }
  }
  for (const [name, value] of Object.entries(singleHeaders(result.headers))) add(name, value);
  const headers: Record<string, string | string[]> = {};
  for (const [key, { values }] of merged) headers[key] = key === 'set-cookie' ? values : values.join(', ');
  headers['content-type'] ??= 'application/json';
  return { status, headers, body: responseBody(result.body, result.isBase64Encoded) };
}

export const payloadV1: PayloadProcessor<APIGatewayProxyEvent> = {
  version: '1.0',
  buildEvent: buildEventV1,
  mapResult: mapResultV1,
};
