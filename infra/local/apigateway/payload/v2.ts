import type { APIGatewayProxyEventV2 } from 'aws-lambda';
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

/**
 * Payload format 2.0 ("Create AWS Lambda proxy integrations for HTTP APIs"): header names
 * lowercased, repeated headers and query parameters joined with commas, cookies moved from the
 * `cookie` header to `cookies`; fields without a value (`cookies`, `queryStringParameters`,
 * `pathParameters`, `stageVariables`, `body`) are left out.
 */
export function buildEventV2(request: ExecuteRequest): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    const text = headerText(value);
    if (text === undefined) continue;
    if (name === 'cookie') {
      // Node joins repeated Cookie headers with '; ', the separator within one header too.
      cookies = text
        .split(';')
        .map((cookie) => cookie.trim())
        .filter((cookie) => cookie !== '');
      continue;
    }
    headers[name] = text;
  }
  const query = queryValues(request.rawQueryString);
  const { body, isBase64Encoded } = eventBody(request.headers, request.body);
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(query.size > 0
      ? { queryStringParameters: Object.fromEntries([...query].map(([name, values]) => [name, values.join(',')])) }
      : {}),
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      domainName: request.domainName,
      domainPrefix: request.domainName.split('.')[0] ?? request.domainName,
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: request.routeKey,
      stage: request.stage,
      time: clfTime(request.time),
      timeEpoch: request.time.getTime(),
    },
    ...(Object.keys(request.pathParameters).length > 0 ? { pathParameters: { ...request.pathParameters } } : {}),
    ...(request.stageVariables && Object.keys(request.stageVariables).length > 0
      ? { stageVariables: { ...request.stageVariables } }
      : {}),
    ...(request.body.length > 0 ? { body } : {}),
    isBase64Encoded: request.body.length > 0 && isBase64Encoded,
  };
}

/**
 * The 2.0 response rules ("Create AWS Lambda proxy integrations for HTTP APIs", Lambda function
 * response for format 2.0): a JSON object with `statusCode` is a response (`headers`, `cookies` as
 * one `set-cookie` each, `body`, `isBase64Encoded`). For anything else API Gateway infers the
 * response: 200, `content-type: application/json`, not base64, and "body is the function's
 * response" — a string as the string itself (`"Hello from Lambda!"` → `Hello from Lambda!`), a
 * number, boolean, list or object without `statusCode` as its JSON text (recorded for function URLs,
 * the same contract: aws-recordings/lambda-url-response-mapping-*.json).
 */
export function mapResultV2(payload: string): HttpResult {
  const result = parseResult(payload);
  if (!isRecord(result) || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : payload;
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8') };
  }
  const status = statusCodeOf(result.statusCode);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(singleHeaders(result.headers))) headers[name.toLowerCase()] = value;
  headers['content-type'] ??= 'application/json';
  if (result.cookies !== undefined && result.cookies !== null) {
    if (!Array.isArray(result.cookies) || !result.cookies.every((c) => typeof c === 'string')) {
      throw new MalformedResponseError('Lambda body contains the wrong type for field "cookies"');
    }
    const existing = headers['set-cookie'];
    headers['set-cookie'] = [...(existing === undefined ? [] : [existing].flat()), ...result.cookies];
  }
  return { status, headers, body: responseBody(result.body, result.isBase64Encoded) };
}

export const payloadV2: PayloadProcessor<APIGatewayProxyEventV2> = {
  version: '2.0',
  buildEvent: buildEventV2,
  mapResult: mapResultV2,
};
