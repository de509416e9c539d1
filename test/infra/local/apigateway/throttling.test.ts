// Stage and route throttling of an HTTP API, set with the real SDK and felt on the invoke URL: a
// token bucket per route (burst = its size, rate = tokens per second), a route's own settings in
// place of the stage's default, 429 {"message":"Too Many Requests"} without invoking the function
// (API Gateway Developer Guide, "Throttling requests to your HTTP API").
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteThrottle } from '../../../../infra/local/apigateway/throttle.ts';
import { type ApiGatewayCloud, httpRequest, startApiGatewayCloud } from '../../../helpers/apigateway-cloud.ts';

let cloud: ApiGatewayCloud;

/** An API with GET /a and GET /b on the echo function, and no stage yet. */
async function apiWithRoutes(): Promise<string> {
  const { ApiId } = await cloud.client.send(new CreateApiCommand({ Name: 'throttled', ProtocolType: 'HTTP' }));
  const { IntegrationId } = await cloud.client.send(
    new CreateIntegrationCommand({
      ApiId,
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
      PayloadFormatVersion: '2.0',
    }),
  );
  for (const RouteKey of ['GET /a', 'GET /b']) {
    await cloud.client.send(new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${IntegrationId}` }));
  }
  return ApiId!;
}

const statuses = async (url: string, count: number): Promise<number[]> => {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await httpRequest(url)).status);
  return seen;
};

beforeAll(async () => {
  cloud = await startApiGatewayCloud();
  await cloud.createFunction('echo');
});
afterAll(async () => {
  await cloud?.close();
});

describe('HTTP API stage and route throttling', () => {
  it("throttles each route with the stage's default limits: the burst passes, then 429 Too Many Requests", async () => {
    // Prepare: a bucket of 2 that refills one token every 1,000 s
    const apiId = await apiWithRoutes();
    await cloud.client.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.001 },
      }),
    );
    const url = cloud.invokeUrl(apiId);

    // Act
    const onA = await statuses(`${url}/a`, 3);
    const onB = await statuses(`${url}/b`, 1);
    const throttled = await httpRequest(`${url}/a`);

    // Assess: each route has its own bucket
    expect(onA).toEqual([200, 200, 429]);
    expect(onB).toEqual([200]);
    expect(throttled.status).toBe(429);
    expect(throttled.json()).toEqual({ message: 'Too Many Requests' });
    expect(throttled.headers['apigw-requestid']).toBeTruthy();
  });

  it("uses a route's own settings in place of the default, and GetStage answers both", async () => {
    // Prepare: no default limits; GET /b may not be called at all (burst 0)
    const apiId = await apiWithRoutes();
    await cloud.client.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: 'prod',
        RouteSettings: { 'GET /b': { ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0 } },
      }),
    );
    const url = cloud.invokeUrl(apiId);

    // Act
    const onA = await statuses(`${url}/prod/a`, 5);
    const onB = await statuses(`${url}/prod/b`, 1);
    const stage = await cloud.client.send(new GetStageCommand({ ApiId: apiId, StageName: 'prod' }));

    // Assess
    expect(onA).toEqual([200, 200, 200, 200, 200]);
    expect(onB).toEqual([429]);
    expect(stage.DefaultRouteSettings).toEqual({ DetailedMetricsEnabled: false });
    expect(stage.RouteSettings).toEqual({
      'GET /b': { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0 },
    });
  });

  it('applies limits set later with UpdateStage, keeping the other routes’ settings', async () => {
    // Prepare
    const apiId = await apiWithRoutes();
    await cloud.client.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: '$default',
        RouteSettings: { 'GET /b': { ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0 } },
      }),
    );
    const url = cloud.invokeUrl(apiId);
    const before = await statuses(`${url}/a`, 2);

    // Act
    await cloud.client.send(
      new UpdateStageCommand({
        ApiId: apiId,
        StageName: '$default',
        RouteSettings: { 'GET /a': { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.001 } },
      }),
    );

    // Assess
    expect(before).toEqual([200, 200]);
    expect(await statuses(`${url}/a`, 2)).toEqual([200, 429]);
    expect(await statuses(`${url}/b`, 1)).toEqual([429]);
  });

  it.each([
    [
      { DetailedMetricsEnabled: true },
      'defaultRouteSettings.detailedMetricsEnabled (CloudWatch metrics are not modelled)',
    ],
    [{ DataTraceEnabled: true }, 'defaultRouteSettings.dataTraceEnabled (WebSocket APIs only)'],
    [{ LoggingLevel: 'INFO' as const }, 'defaultRouteSettings.loggingLevel (WebSocket APIs only)'],
  ])('refuses %j by name, creating no stage', async (settings, named) => {
    const apiId = await apiWithRoutes();
    const attempt = cloud.client.send(
      new CreateStageCommand({ ApiId: apiId, StageName: '$default', DefaultRouteSettings: settings }),
    );
    await expect(attempt).rejects.toMatchObject({
      name: 'BadRequestException',
      message: `The local cloud does not support ${named}.`,
    });
    await expect(cloud.client.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).rejects.toMatchObject(
      { name: 'NotFoundException' },
    );
  });

  it('refuses a negative limit as API Gateway validates it', async () => {
    const apiId = await apiWithRoutes();
    const attempt = cloud.client.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingRateLimit: -1 },
      }),
    );
    await expect(attempt).rejects.toMatchObject({ name: 'BadRequestException' });
  });
});

describe('RouteThrottle', () => {
  it('refills at the rate, up to the burst', () => {
    // Prepare: a clock we move by hand
    let now = 0;
    const throttle = new RouteThrottle(() => now);
    const limits = { throttlingBurstLimit: 2, throttlingRateLimit: 1 };
    const take = () => throttle.take('api', '$default', 'GET /a', limits);

    // Act + Assess
    expect([take(), take(), take()]).toEqual([true, true, false]);
    now = 1000; // one token back
    expect([take(), take()]).toEqual([true, false]);
    now = 60_000; // never more than the burst
    expect([take(), take(), take()]).toEqual([true, true, false]);
  });

  it('starts a full bucket when the limits change', () => {
    const throttle = new RouteThrottle(() => 0);
    expect(throttle.take('api', 's', 'GET /a', { throttlingBurstLimit: 1, throttlingRateLimit: 0 })).toBe(true);
    expect(throttle.take('api', 's', 'GET /a', { throttlingBurstLimit: 1, throttlingRateLimit: 0 })).toBe(false);
    expect(throttle.take('api', 's', 'GET /a', { throttlingBurstLimit: 3, throttlingRateLimit: 0 })).toBe(true);
  });
});
