import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiGatewayCloud, httpRequest, startApiGatewayCloud } from '../../../helpers/apigateway-cloud.ts';

/** An HTTP API with one AWS_PROXY integration per function and the given routes (route key → function). */
async function createApi(
  cloud: ApiGatewayCloud,
  routes: Readonly<Record<string, string>>,
  {
    payloadFormatVersion = '2.0',
    stages = ['$default'],
    cors = undefined as object | undefined,
    // Integration timeouts by function (TimeoutInMillis, 50–30,000 ms on an HTTP API).
    timeouts = {} as Readonly<Record<string, number>>,
  } = {},
): Promise<string> {
  const { ApiId } = await cloud.client.send(
    new CreateApiCommand({ Name: 'test', ProtocolType: 'HTTP', CorsConfiguration: cors }),
  );
  const integrations = new Map<string, string>();
  for (const [routeKey, fn] of Object.entries(routes)) {
    if (!integrations.has(fn)) {
      const { IntegrationId } = await cloud.client.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: `arn:aws:lambda:us-east-1:000000000000:function:${fn}`,
          PayloadFormatVersion: payloadFormatVersion,
          TimeoutInMillis: timeouts[fn],
        }),
      );
      integrations.set(fn, IntegrationId!);
    }
    await cloud.client.send(
      new CreateRouteCommand({ ApiId, RouteKey: routeKey, Target: `integrations/${integrations.get(fn)}` }),
    );
  }
  for (const StageName of stages)
    await cloud.client.send(new CreateStageCommand({ ApiId, StageName, AutoDeploy: true }));
  return ApiId!;
}

describe('HTTP API invoke URL (payload 2.0)', () => {
  let cloud: ApiGatewayCloud;
  let apiId: string;
  let url: string;

  beforeAll(async () => {
    // The default 30 s integration timeout for every route (a cold start on a busy machine fits),
    // and the slow function's own integration a 500 ms one, shorter than its 2 s answer.
    cloud = await startApiGatewayCloud();
    for (const name of ['echo', 'shapes', 'throws', 'slow']) await cloud.createFunction(name);
    await cloud.createFunction('unpermitted', { permit: false }).catch(() => undefined);
    apiId = await createApi(
      cloud,
      {
        'GET /items/{id}': 'echo',
        'POST /items': 'echo',
        'ANY /files/{proxy+}': 'echo',
        'GET /shapes': 'shapes',
        'GET /throws': 'throws',
        'GET /slow': 'slow',
      },
      { timeouts: { slow: 500 } },
    );
    url = cloud.invokeUrl(apiId);
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('sends a GET with path parameters, repeated query keys and cookies as a 2.0 event', async () => {
    // Act
    const response = await httpRequest(`${url}/items/42?tag=a&tag=b&q=x+y`, {
      headers: { cookie: 'session=abc; theme=dark', 'x-custom': 'Value', 'user-agent': 'workbook-test' },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const event = response.json();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /items/{id}',
      rawPath: '/items/42',
      rawQueryString: 'tag=a&tag=b&q=x+y',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { tag: 'a,b', q: 'x y' },
      pathParameters: { id: '42' },
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId,
        http: {
          method: 'GET',
          path: '/items/42',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'workbook-test',
        },
        requestId: response.headers['apigw-requestid'],
        routeKey: 'GET /items/{id}',
        stage: '$default',
      },
    });
    expect(event.headers['x-custom']).toBe('Value');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
  });

  it('passes a JSON body as text and a binary body as base64', async () => {
    // Prepare
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);

    // Act
    const json = (
      await httpRequest(`${url}/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"widget"}',
      })
    ).json();
    const binary = (
      await httpRequest(`${url}/items`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: bytes })
    ).json();

    // Assess
    expect(json).toMatchObject({ body: '{"name":"widget"}', isBase64Encoded: false });
    expect(binary).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('matches a greedy {proxy+} for any method and answers on the {apiId}.execute-api.localhost host', async () => {
    // Act
    const response = await httpRequest(`${cloud.endpoint}/files/a/b/c.txt`, {
      method: 'DELETE',
      headers: { host: `${apiId}.execute-api.localhost:${cloud.port}` },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({
      routeKey: 'ANY /files/{proxy+}',
      rawPath: '/files/a/b/c.txt',
      pathParameters: { proxy: 'a/b/c.txt' },
      requestContext: { domainName: `${apiId}.execute-api.localhost`, domainPrefix: apiId },
    });
  });

  it.each([
    ['dict', 200, 'application/json', '{"hello":"world"}'],
    ['string', 200, 'application/json', 'hello'],
    ['integer', 200, 'application/json', '3'],
    ['boolean', 200, 'application/json', 'true'],
    ['list', 200, 'application/json', '["hello",3,true]'],
    ['statuscode-body', 200, 'application/json', 'body123'],
    ['status-string', 201, 'application/json', 'created'],
    ['teapot', 418, 'text/plain', 'short and stout'],
    ['only-headers', 200, 'application/json', '{"headers":{"x-a":"b"}}'],
  ])('maps a %s result to %i %s %s', async (shape, status, contentType, body) => {
    // Act
    const response = await httpRequest(`${url}/shapes?shape=${shape}`);

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe(contentType);
    expect(response.text).toBe(body);
  });

  it('sends cookies as set-cookie headers and decodes a base64 body', async () => {
    // Act
    const cookies = await httpRequest(`${url}/shapes?shape=cookies`);
    const image = await httpRequest(`${url}/shapes?shape=base64`);

    // Assess
    expect(cookies.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(image.headers['content-type']).toBe('image/png');
    expect([...image.body]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
  });

  it.each([
    ['a function error', '/throws', 500, 'Internal Server Error'],
    ['a malformed response (non-string body)', '/shapes?shape=body-object', 500, 'Internal Server Error'],
    ['an integration timeout', '/slow', 503, 'Service Unavailable'],
    ['no matching route', '/nowhere', 404, 'Not Found'],
  ])('answers %s (%s) with %i', async (_, path, status, message) => {
    // Act
    const response = await httpRequest(`${url}${path}`);

    // Assess
    expect(response.status).toBe(status);
    expect(response.json()).toEqual({ message });
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('answers 404 for an unknown API and for an unknown stage', async () => {
    expect((await httpRequest(`${cloud.invokeUrl('nosuchapi1')}/items/1`)).status).toBe(404);
    const stageless = await createApi(cloud, { 'GET /x': 'echo' }, { stages: [] });
    expect((await httpRequest(`${cloud.invokeUrl(stageless)}/x`)).status).toBe(404);
  });

  it('answers 500 when the function has not granted apigateway.amazonaws.com invoke permission', async () => {
    // Prepare
    const locked = await createApi(cloud, { 'GET /locked': 'unpermitted' });

    // Act
    const response = await httpRequest(`${cloud.invokeUrl(locked)}/locked`);

    // Assess
    expect(response.status).toBe(500);
    expect(response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('serves a named stage under /{stageName} with the prefix in rawPath', async () => {
    // Prepare
    const staged = await createApi(cloud, { 'GET /items/{id}': 'echo' }, { stages: ['prod'] });

    // Act
    const event = (await httpRequest(`${cloud.invokeUrl(staged)}/prod/items/7`)).json();

    // Assess
    expect(event).toMatchObject({
      rawPath: '/prod/items/7',
      pathParameters: { id: '7' },
      requestContext: { stage: 'prod', http: { path: '/prod/items/7' } },
    });
  });

  it('publishes apigateway.request and apigateway.integration trace events', async () => {
    // Act
    const response = await httpRequest(`${url}/items/9`);

    // Assess
    const id = String(response.headers['apigw-requestid']);
    const [request] = cloud.lambda.events('apigateway.request', id);
    const [integration] = cloud.lambda.events('apigateway.integration', id);
    expect(request?.detail).toMatchObject({
      apiId,
      method: 'GET',
      path: '/items/9',
      routeKey: 'GET /items/{id}',
      status: 200,
    });
    expect(request?.detail.durationMs).toEqual(expect.any(Number));
    expect(integration?.detail).toMatchObject({ functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo' });
    expect(cloud.lambda.events('lambda.invoke.start', String(integration?.detail.requestId)).length).toBeGreaterThan(0);
  });
});

describe('HTTP API invoke URL (payload 1.0)', () => {
  let cloud: ApiGatewayCloud;
  let url: string;

  beforeAll(async () => {
    cloud = await startApiGatewayCloud();
    await cloud.createFunction('echo');
    await cloud.createFunction('shapes');
    const apiId = await createApi(
      cloud,
      { 'GET /items/{id}': 'echo', 'GET /shapes': 'shapes' },
      { payloadFormatVersion: '1.0' },
    );
    url = cloud.invokeUrl(apiId);
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('sends the 1.0 event: multi-value headers and query, last value wins in the single map', async () => {
    // Act
    const event = (await httpRequest(`${url}/items/5?c=1&c=2`, { headers: { 'x-one': 'a' } })).json();

    // Assess
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/items/{id}',
      path: '/items/5',
      httpMethod: 'GET',
      pathParameters: { id: '5' },
      queryStringParameters: { c: '2' },
      multiValueQueryStringParameters: { c: ['1', '2'] },
      multiValueHeaders: { 'x-one': ['a'] },
      body: null,
      isBase64Encoded: false,
      requestContext: {
        httpMethod: 'GET',
        resourcePath: '/items/{id}',
        stage: '$default',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
    expect(event.headers['x-one']).toBe('a');
  });

  it.each([
    ['multi-headers', 200],
    ['statuscode-body', 200],
    ['dict', 500],
    ['string', 500],
    ['only-headers', 500],
  ])('maps a %s result to %i (1.0 needs a statusCode)', async (shape, status) => {
    expect((await httpRequest(`${url}/shapes?shape=${shape}`)).status).toBe(status);
  });

  it('joins multiValueHeaders and headers as recorded', async () => {
    const response = await httpRequest(`${url}/shapes?shape=multi-headers`);
    expect(response.headers['test-multi']).toBe('value-multi, value-solo');
  });
});

describe('HTTP API CORS', () => {
  let cloud: ApiGatewayCloud;
  let apiId: string;

  beforeAll(async () => {
    cloud = await startApiGatewayCloud();
    await cloud.createFunction('shapes');
    apiId = await createApi(
      cloud,
      { 'GET /shapes': 'shapes' },
      {
        cors: {
          AllowOrigins: ['https://app.example'],
          AllowMethods: ['GET', 'POST'],
          AllowHeaders: ['content-type'],
          MaxAge: 600,
        },
      },
    );
  });
  afterAll(async () => {
    await cloud?.close();
  });

  const request = (method: string, path: string, headers: Record<string, string>) =>
    cloud.service.handle({
      method,
      rawPath: `/_aws/execute-api/${apiId}${path.split('?')[0]}`,
      query: new URLSearchParams(path.split('?')[1] ?? ''),
      headers: { host: `127.0.0.1:${cloud.port}`, ...headers },
      body: Buffer.alloc(0),
      service: 'execute-api',
      region: 'us-east-1',
      requestId: 'edge-id',
      caller: { accessKeyId: '', accountId: '', principalArn: 'anonymous', anonymous: true },
    });

  it('answers a preflight itself, without a route or an invocation', async () => {
    // Act
    const response = await request('OPTIONS', '/shapes', {
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
    });

    // Assess
    expect(response.status).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
    });
    expect(cloud.lambda.events('lambda.invoke.start')).toHaveLength(0);
  });

  it('adds CORS headers to responses and drops the function’s own', async () => {
    // Act
    const response = await request('GET', '/shapes?shape=cors-headers', { origin: 'https://app.example' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers?.['access-control-allow-origin']).toBe('https://app.example');
  });

  it('adds no CORS headers for an origin the API does not allow', async () => {
    const response = await request('GET', '/shapes', { origin: 'https://evil.example' });
    expect(response.headers?.['access-control-allow-origin']).toBeUndefined();
  });
});
