import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import type { ServiceRequest } from '../../../../infra/local/edge/types.ts';
import { prefixOf, QuotaLimiter } from '../../../../infra/local/quotas/limiter.ts';
import { localCode, ROLE } from '../../../helpers/lambda-cloud.ts';

function request(parts: Partial<ServiceRequest> & { service: string }): ServiceRequest {
  return {
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    region: 'us-east-1',
    requestId: 'req-1',
    caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
    ...parts,
  };
}

const filterLogEvents = (region = 'us-east-1', accountId = '000000000000') =>
  request({
    service: 'logs',
    region,
    headers: { 'x-amz-target': 'Logs_20140328.FilterLogEvents', 'content-type': 'application/x-amz-json-1.1' },
    caller: { accessKeyId: 'k', accountId, principalArn: 'p' },
  });

/** How many of `count` requests made at once the limiter admits. */
function admittedOf(limiter: QuotaLimiter, make: () => ServiceRequest, count: number): number {
  let admitted = 0;
  for (let i = 0; i < count; i++) if (limiter.admit(make()) === undefined) admitted++;
  return admitted;
}

describe('QuotaLimiter', () => {
  it.each([
    ['us-east-1', 25],
    ['eu-central-1', 5],
    ['eu-west-2', 10],
  ])('admits FilterLogEvents at AWS rate in %s (%i per second)', (region, rate) => {
    // GIVEN a fresh limiter on a stopped clock
    let now = 1_000_000;
    const limiter = new QuotaLimiter({ now: () => now });
    // WHEN a burst arrives at once, then again a second later
    const first = admittedOf(limiter, () => filterLogEvents(region), rate * 2);
    now += 1000;
    const second = admittedOf(limiter, () => filterLogEvents(region), rate * 2);
    // THEN one second's worth passes each time
    expect(first).toBe(rate);
    expect(second).toBe(rate);
    expect(limiter.usage()).toEqual([
      { label: 'logs:FilterLogEvents', perSecond: rate, maxPerSecond: rate, admitted: rate * 2, throttled: rate * 2 },
    ]);
  });

  it('answers a throttled CloudWatch Logs call with ThrottlingException "Rate exceeded"', () => {
    const limiter = new QuotaLimiter({ now: () => 0, overrides: { 'logs:FilterLogEvents': 1 } });
    expect(limiter.admit(filterLogEvents())).toBeUndefined();
    const refused = limiter.admit(filterLogEvents());
    expect(refused?.status).toBe(400);
    expect(JSON.parse(String(refused?.body))).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
  });

  it('keys buckets by account and Region, as AWS does', () => {
    const limiter = new QuotaLimiter({ now: () => 0, overrides: { 'logs:FilterLogEvents': 1 } });
    expect(limiter.admit(filterLogEvents('us-east-1', '111111111111'))).toBeUndefined();
    expect(limiter.admit(filterLogEvents('us-east-1', '222222222222'))).toBeUndefined();
    expect(limiter.admit(filterLogEvents('us-west-2', '111111111111'))).toBeUndefined();
    expect(limiter.admit(filterLogEvents('us-east-1', '111111111111'))).toBeDefined();
  });

  it("shares Lambda's control-plane quota across its APIs, apart from GetFunction, and leaves Invoke to concurrency", () => {
    const limiter = new QuotaLimiter({ now: () => 0 });
    const lambda = (method: string, rawPath: string) => () => request({ service: 'lambda', method, rawPath });
    const controlPlane =
      admittedOf(limiter, lambda('PUT', '/2015-03-31/functions/fn/code'), 10) +
      admittedOf(limiter, lambda('GET', '/2015-03-31/functions/'), 10);
    expect(controlPlane).toBe(15);
    expect(admittedOf(limiter, lambda('GET', '/2015-03-31/functions/fn'), 120)).toBe(100);
    expect(admittedOf(limiter, lambda('POST', '/2015-03-31/functions/fn/invocations'), 2000)).toBe(2000);
  });

  it('reports after resetUsage only what came after it, even within the same second', () => {
    // GIVEN twelve control-plane calls, then a reset within the same wall-clock second
    let now = 5_000_100;
    const limiter = new QuotaLimiter({ now: () => now });
    const update = () => request({ service: 'lambda', method: 'PUT', rawPath: '/2015-03-31/functions/fn/code' });
    expect(admittedOf(limiter, update, 12)).toBe(12);
    limiter.resetUsage();
    // WHEN two more arrive in that second
    now += 200;
    expect(admittedOf(limiter, update, 2)).toBe(2);
    // THEN the busiest second counts the two, and the spent tokens still hold (only 15 in a second)
    expect(limiter.usage()).toEqual([
      { label: 'lambda:control plane', perSecond: 15, maxPerSecond: 2, admitted: 2, throttled: 0 },
    ]);
    expect(admittedOf(limiter, update, 5)).toBe(4);
  });

  it('limits S3 per prefix: reads and writes apart, each folder apart', () => {
    const limiter = new QuotaLimiter({
      now: () => 0,
      overrides: { 's3:GET/HEAD per prefix': 2, 's3:PUT/COPY/POST/DELETE per prefix': 1 },
    });
    const s3 = (method: string, rawPath: string) => () => request({ service: 's3', method, rawPath });
    expect(admittedOf(limiter, s3('GET', '/photos/a/1.jpg'), 5)).toBe(2);
    expect(admittedOf(limiter, s3('HEAD', '/photos/a/2.jpg'), 5)).toBe(0);
    expect(admittedOf(limiter, s3('GET', '/photos/b/1.jpg'), 5)).toBe(2);
    expect(admittedOf(limiter, s3('PUT', '/photos/a/3.jpg'), 5)).toBe(1);
    const refused = limiter.admit(s3('GET', '/photos/a/9.jpg')());
    expect(refused?.status).toBe(503);
    expect(String(refused?.body)).toContain('<Code>SlowDown</Code><Message>Please reduce your request rate.</Message>');
  });

  it.each([
    ['/photos', 'photos/'],
    ['/photos/cat.jpg', 'photos/'],
    ['/photos/2026/12/cat.jpg', 'photos/2026/12/'],
  ])('takes the prefix of %s as %s', (path, prefix) => {
    expect(prefixOf(path)).toBe(prefix);
  });
});

describe('the local cloud with --quotas aws', () => {
  let cloud: LocalCloud;
  const config = () => ({
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: cloud.adminCredentials,
    maxAttempts: 1,
  });

  beforeAll(async () => {
    cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      sandbox: 'node',
      quotas: 'aws',
      // Small rates, so that a burst is over its quota however slowly this machine sends it (the
      // rates themselves are checked above on a fake clock).
      quotaOverrides: { 's3:GET/HEAD per prefix': 2, 'logs:FilterLogEvents': 2, 'lambda:control plane': 2 },
    });
  });
  afterAll(() => cloud?.close());

  it('throttles FilterLogEvents past its rate with ThrottlingException', async () => {
    const logs = new CloudWatchLogsClient(config());
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/q' }));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/q' }))),
    );
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(results.length - refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0]).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    logs.destroy();
  });

  it("throttles Lambda's control plane with TooManyRequestsException, CallerRateLimitExceeded", async () => {
    const lambda = new LambdaClient(config());
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => lambda.send(new ListFunctionsCommand({}))),
    );
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'CallerRateLimitExceeded',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 429 },
    });
    lambda.destroy();
  });

  it('answers S3 requests past the prefix rate with 503 SlowDown', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'quota-bucket' }));
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => s3.send(new ListObjectsV2Command({ Bucket: 'quota-bucket' }))),
    );
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    expect(cloud.quotas?.usage().find((u) => u.label === 's3:GET/HEAD per prefix')?.throttled).toBeGreaterThan(0);
    s3.destroy();
  });
});

describe('account concurrency', () => {
  it('refuses reserved concurrency that leaves less than 100 unreserved in a 10-execution account', async () => {
    // GIVEN a small account, as new AWS accounts are
    const cloud = await startLocalCloud({ port: 0, inMemory: true, sandbox: 'node', accountConcurrency: 10 });
    const lambda = new LambdaClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
      maxAttempts: 1,
    });
    try {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'reserved',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: localCode(),
        }),
      );
      // WHEN the class stack reserves 2 executions for it
      const put = lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 2 }),
      );
      // THEN the deploy fails, as on AWS
      await expect(put).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message:
          "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
      });
    } finally {
      lambda.destroy();
      await cloud.close();
    }
  });
});
