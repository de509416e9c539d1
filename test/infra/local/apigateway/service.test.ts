import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetApiCommand,
  GetApisCommand,
  GetIntegrationCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetStagesCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGatewayV2Service } from '../../../../infra/local/apigateway/service.ts';
import type { ServiceRequest } from '../../../../infra/local/edge/types.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';
import { type ApiGatewayCloud, startApiGatewayCloud } from '../../../helpers/apigateway-cloud.ts';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';

/** The error name and HTTP status an SDK call fails with. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('API Gateway V2 control plane', () => {
  let cloud: ApiGatewayCloud;

  beforeAll(async () => {
    cloud = await startApiGatewayCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('quick-creates an API with a managed integration, $default route and auto-deploying $default stage', async () => {
    // Act
    const api = await cloud.client.send(
      new CreateApiCommand({
        Name: 'quick',
        ProtocolType: 'HTTP',
        Target: FUNCTION_ARN,
        CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['GET'] },
      }),
    );

    // Assess
    expect(api.ApiId).toMatch(/^[a-z0-9]{10}$/);
    expect(api.ApiEndpoint).toBe(`http://${api.ApiId}.execute-api.localhost:${cloud.port}`);
    expect(api.CreatedDate).toBeInstanceOf(Date);
    expect(api.RouteSelectionExpression).toBe('$request.method $request.path');
    expect(api.CorsConfiguration).toEqual({ AllowOrigins: ['*'], AllowMethods: ['GET'] });
    const integrations = await cloud.client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    expect(integrations.Items).toEqual([
      expect.objectContaining({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: FUNCTION_ARN,
        PayloadFormatVersion: '2.0',
        IntegrationMethod: 'POST',
        TimeoutInMillis: 30000,
        ApiGatewayManaged: true,
      }),
    ]);
    const routes = await cloud.client.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items).toEqual([
      expect.objectContaining({
        RouteKey: '$default',
        Target: `integrations/${integrations.Items?.[0]?.IntegrationId}`,
        AuthorizationType: 'NONE',
        ApiGatewayManaged: true,
      }),
    ]);
    const stages = await cloud.client.send(new GetStagesCommand({ ApiId: api.ApiId }));
    expect(stages.Items).toEqual([
      expect.objectContaining({ StageName: '$default', AutoDeploy: true, ApiGatewayManaged: true }),
    ]);
  });

  it('creates, reads, lists and deletes routes, integrations and stages', async () => {
    // Prepare
    const { ApiId } = await cloud.client.send(new CreateApiCommand({ Name: 'crud', ProtocolType: 'HTTP' }));

    // Act
    const integration = await cloud.client.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`,
        PayloadFormatVersion: '1.0',
        TimeoutInMillis: 5000,
      }),
    );
    const route = await cloud.client.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: 'GET /items/{id}',
        Target: `integrations/${integration.IntegrationId}`,
      }),
    );
    const stage = await cloud.client.send(new CreateStageCommand({ ApiId, StageName: 'prod' }));

    // Assess
    expect(integration.IntegrationId).toMatch(/^[a-z0-9]{7}$/);
    expect(route.RouteId).toMatch(/^[a-z0-9]{7}$/);
    expect(stage).toMatchObject({ StageName: 'prod', AutoDeploy: false });
    expect(await cloud.client.send(new GetRouteCommand({ ApiId, RouteId: route.RouteId }))).toMatchObject({
      RouteKey: 'GET /items/{id}',
    });
    expect(
      await cloud.client.send(new GetIntegrationCommand({ ApiId, IntegrationId: integration.IntegrationId })),
    ).toMatchObject({
      PayloadFormatVersion: '1.0',
      TimeoutInMillis: 5000,
    });
    expect((await cloud.client.send(new GetApisCommand({}))).Items?.map((a) => a.ApiId)).toContain(ApiId);

    await cloud.client.send(new DeleteRouteCommand({ ApiId, RouteId: route.RouteId }));
    await cloud.client.send(new DeleteIntegrationCommand({ ApiId, IntegrationId: integration.IntegrationId }));
    await cloud.client.send(new DeleteStageCommand({ ApiId, StageName: 'prod' }));
    expect((await cloud.client.send(new GetRoutesCommand({ ApiId }))).Items).toEqual([]);
    await cloud.client.send(new DeleteApiCommand({ ApiId }));
    expect(await failure(cloud.client.send(new GetApiCommand({ ApiId })))).toMatchObject({
      name: 'NotFoundException',
      status: 404,
    });
  });

  it('updates the CORS configuration with UpdateApi', async () => {
    // Prepare
    const { ApiId } = await cloud.client.send(new CreateApiCommand({ Name: 'cors', ProtocolType: 'HTTP' }));

    // Act
    const updated = await cloud.client.send(
      new UpdateApiCommand({ ApiId, CorsConfiguration: { AllowOrigins: ['https://app.example'], MaxAge: 60 } }),
    );

    // Assess
    expect(updated.CorsConfiguration).toEqual({ AllowOrigins: ['https://app.example'], MaxAge: 60 });
    expect((await cloud.client.send(new GetApiCommand({ ApiId }))).CorsConfiguration?.MaxAge).toBe(60);
  });

  describe('errors', () => {
    let apiId: string;
    let integrationId: string;
    beforeAll(async () => {
      apiId = (await cloud.client.send(new CreateApiCommand({ Name: 'errors', ProtocolType: 'HTTP' }))).ApiId!;
      integrationId = (
        await cloud.client.send(
          new CreateIntegrationCommand({
            ApiId: apiId,
            IntegrationType: 'AWS_PROXY',
            IntegrationUri: FUNCTION_ARN,
            PayloadFormatVersion: '2.0',
          }),
        )
      ).IntegrationId!;
      await cloud.client.send(
        new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /taken', Target: `integrations/${integrationId}` }),
      );
    });

    it.each([
      [
        'GetApi of an unknown API',
        () => cloud.client.send(new GetApiCommand({ ApiId: 'nosuchapi0' })),
        'NotFoundException',
        404,
      ],
      [
        'GetRoute of an unknown route',
        () => cloud.client.send(new GetRouteCommand({ ApiId: apiId, RouteId: 'nope123' })),
        'NotFoundException',
        404,
      ],
      [
        'a malformed route key',
        () => cloud.client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET no-slash' })),
        'BadRequestException',
        400,
      ],
      [
        'a greedy variable not last',
        () => cloud.client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /{proxy+}/x' })),
        'BadRequestException',
        400,
      ],
      [
        'a duplicate route key',
        () => cloud.client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /taken' })),
        'ConflictException',
        409,
      ],
      [
        'a target naming no integration',
        () =>
          cloud.client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /x', Target: 'integrations/none' })),
        'BadRequestException',
        400,
      ],
      [
        'a timeout below 50 ms',
        () =>
          cloud.client.send(
            new CreateIntegrationCommand({
              ApiId: apiId,
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: FUNCTION_ARN,
              PayloadFormatVersion: '2.0',
              TimeoutInMillis: 10,
            }),
          ),
        'BadRequestException',
        400,
      ],
      [
        'a timeout above 30 s',
        () =>
          cloud.client.send(
            new CreateIntegrationCommand({
              ApiId: apiId,
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: FUNCTION_ARN,
              PayloadFormatVersion: '2.0',
              TimeoutInMillis: 30001,
            }),
          ),
        'BadRequestException',
        400,
      ],
      [
        'an unknown payload format',
        () =>
          cloud.client.send(
            new CreateIntegrationCommand({
              ApiId: apiId,
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: FUNCTION_ARN,
              PayloadFormatVersion: '3.0',
            }),
          ),
        'BadRequestException',
        400,
      ],
      [
        'a missing payload format',
        () =>
          cloud.client.send(
            new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FUNCTION_ARN }),
          ),
        'BadRequestException',
        400,
      ],
      [
        'an integration URI that is no Lambda',
        () =>
          cloud.client.send(
            new CreateIntegrationCommand({
              ApiId: apiId,
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: 'https://example.com',
              PayloadFormatVersion: '2.0',
            }),
          ),
        'BadRequestException',
        400,
      ],
      [
        'a duplicate stage',
        () =>
          cloud.client
            .send(new CreateStageCommand({ ApiId: apiId, StageName: 'dup' }))
            .then(() => cloud.client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dup' }))),
        'ConflictException',
        409,
      ],
      [
        'deleting an integration a route uses',
        () => cloud.client.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId })),
        'ConflictException',
        409,
      ],
      [
        'credentials with a wildcard origin',
        () =>
          cloud.client.send(
            new CreateApiCommand({
              Name: 'x',
              ProtocolType: 'HTTP',
              CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: true },
            }),
          ),
        'BadRequestException',
        400,
      ],
      [
        'a missing name',
        () => cloud.client.send(new CreateApiCommand({ ProtocolType: 'HTTP' } as never)),
        'BadRequestException',
        400,
      ],
      [
        'an HTTP_PROXY integration',
        () =>
          cloud.client.send(
            new CreateIntegrationCommand({
              ApiId: apiId,
              IntegrationType: 'HTTP_PROXY',
              IntegrationUri: 'https://example.com',
              IntegrationMethod: 'ANY',
              PayloadFormatVersion: '1.0',
            }),
          ),
        'NotImplemented',
        501,
      ],
      [
        'an integration with parameter mapping, which it would not apply',
        () =>
          cloud.client.send(
            new CreateIntegrationCommand({
              ApiId: apiId,
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
              PayloadFormatVersion: '2.0',
              RequestParameters: { 'append:header.x-lesson': 'one' },
            }),
          ),
        'BadRequestException',
        400,
      ],
      [
        'a WebSocket API',
        () =>
          cloud.client.send(
            new CreateApiCommand({
              Name: 'ws',
              ProtocolType: 'WEBSOCKET',
              RouteSelectionExpression: '$request.body.action',
            }),
          ),
        'NotImplemented',
        501,
      ],
      [
        'an operation the local cloud does not implement',
        () => cloud.client.send(new CreateDeploymentCommand({ ApiId: apiId })),
        'NotImplemented',
        501,
      ],
    ])('answers %s with %s', async (_, act, name, status) => {
      // Act
      const error = await failure(act());

      // Assess
      expect(error).toMatchObject({ name, status });
      expect(error.message).not.toBe('');
    });

    it('names the parameter it refuses and why', async () => {
      // Act
      const error = await failure(
        cloud.client.send(
          new CreateStageCommand({
            ApiId: apiId,
            StageName: 'logged',
            AccessLogSettings: { Format: '$context.requestId' },
          }),
        ),
      );

      // Assess
      expect(error.name).toBe('BadRequestException');
      expect(error.message).toBe(
        'The local cloud does not support the AccessLogSettings parameter of CreateStage (access logs are not modelled).',
      );
    });
  });
});

describe('ApiGatewayV2Service', () => {
  const lambda = { invoke: async () => ({ statusCode: 200 as const, requestId: 'r' }), functionExists: () => true };
  const request = (method: string, rawPath: string, host = '127.0.0.1:4566'): ServiceRequest => ({
    method,
    rawPath,
    query: new URLSearchParams(),
    headers: { host },
    body: Buffer.alloc(0),
    service: 'apigateway',
    region: 'us-east-1',
    requestId: 'req',
    caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
  });

  it('persists APIs to <dataDir>/apigateway/apis.json and reads them back', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'apigw-'));
    try {
      const first = new ApiGatewayV2Service({ trace: new TraceBus(), lambda, dataDir });
      const created = await first.handle({
        ...request('POST', '/v2/apis'),
        body: Buffer.from(JSON.stringify({ name: 'saved', protocolType: 'HTTP', target: FUNCTION_ARN })),
      });
      const { apiId } = JSON.parse(String(created.body));

      // Act
      const second = new ApiGatewayV2Service({ trace: new TraceBus(), lambda, dataDir });
      const read = await second.handle(request('GET', `/v2/apis/${apiId}/routes`));

      // Assess
      expect(JSON.parse(readFileSync(join(dataDir, 'apigateway', 'apis.json'), 'utf8')).apis[0].name).toBe('saved');
      expect(JSON.parse(String(read.body)).items[0].routeKey).toBe('$default');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['POST', '/v2/apis', 'apigateway:POST', 'arn:aws:apigateway:us-east-1::/apis'],
    ['GET', '/v2/apis/abc/routes/r1', 'apigateway:GET', 'arn:aws:apigateway:us-east-1::/apis/abc/routes/r1'],
    ['DELETE', '/v2/apis/abc', 'apigateway:DELETE', 'arn:aws:apigateway:us-east-1::/apis/abc'],
    ['PATCH', '/v2/apis/abc/stages/prod', 'apigateway:PATCH', 'arn:aws:apigateway:us-east-1::/apis/abc/stages/prod'],
  ])('authorizes %s %s as %s on %s', (method, path, action, resource) => {
    // Prepare
    const service = new ApiGatewayV2Service({ trace: new TraceBus(), lambda });

    // Act
    const authorization = service.authorization(request(method, path));

    // Assess
    expect(authorization).toEqual({ action, resources: [resource] });
  });

  it.each([
    ['/_aws/execute-api/abc123/items', '127.0.0.1:4566', true],
    ['/items', 'abc123.execute-api.localhost:4566', true],
    ['/v2/apis', '127.0.0.1:4566', false],
    ['/_aws/execute-api/', '127.0.0.1:4566', false],
  ])('claims unsigned %s on %s for the data plane: %s', (rawPath, host, claimed) => {
    // Prepare
    const service = new ApiGatewayV2Service({ trace: new TraceBus(), lambda });

    // Act & Assess
    expect(service.allowsAnonymous({ method: 'GET', rawPath, query: new URLSearchParams(), headers: { host } })).toBe(
      claimed,
    );
    expect(service.authorization(request('GET', rawPath, host)) === undefined).toBe(claimed);
  });
});
