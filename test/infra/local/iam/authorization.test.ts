import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDBService } from '../../../../infra/local/dynamodb/service.ts';
import type { ServiceRequest } from '../../../../infra/local/edge/types.ts';
import { IamService } from '../../../../infra/local/iam/service.ts';
import { KinesisService } from '../../../../infra/local/kinesis/service.ts';
import { EventSourceMappings } from '../../../../infra/local/lambda/esm/service.ts';
import { LambdaService } from '../../../../infra/local/lambda/service.ts';
import { S3Service } from '../../../../infra/local/s3/service.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';
import { FakeLambdaInvoker } from '../../../helpers/s3-fake-lambda.ts';

const trace = new TraceBus();
const request = (
  method: string,
  path: string,
  { body = '', headers = {} }: { body?: string | object; headers?: Record<string, string> } = {},
): ServiceRequest => {
  const [rawPath, query = ''] = path.split('?') as [string, string?];
  return {
    method,
    rawPath,
    query: new URLSearchParams(query),
    headers: { host: '127.0.0.1:4566', ...headers },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    service: 'test',
    region: 'us-east-1',
    requestId: 'r',
    caller: { accessKeyId: 'k', accountId: '000000000000', principalArn: 'p' },
  };
};

const s3 = new S3Service({ trace, lambda: new FakeLambdaInvoker() });
const dynamodb = new DynamoDBService({ trace });
const kinesis = new KinesisService({ trace });
const lambda = new LambdaService({ trace, endpoint: () => 'http://127.0.0.1:1' });
const mappings = new EventSourceMappings({
  trace,
  invoke: async () => ({ statusCode: 200, requestId: 'x' }),
  resolveFunction: () => undefined,
  sources: {},
});
const iam = new IamService({ trace });

afterAll(async () => {
  for (const service of [s3, dynamodb, kinesis, lambda, mappings, iam] as { close?(): Promise<void> }[]) {
    await service.close?.();
  }
});

describe('S3Service.authorization', () => {
  it.each([
    ['GET', '/', {}, 's3:ListAllMyBuckets', ['*']],
    ['PUT', '/photos', {}, 's3:CreateBucket', ['arn:aws:s3:::photos']],
    ['HEAD', '/photos', {}, 's3:ListBucket', ['arn:aws:s3:::photos']],
    ['GET', '/photos?list-type=2', {}, 's3:ListBucket', ['arn:aws:s3:::photos']],
    ['PUT', '/photos?notification', {}, 's3:PutBucketNotification', ['arn:aws:s3:::photos']],
    ['PUT', '/photos/a%20b/c.jpg', {}, 's3:PutObject', ['arn:aws:s3:::photos/a b/c.jpg']],
    ['GET', '/photos/c.jpg', {}, 's3:GetObject', ['arn:aws:s3:::photos/c.jpg']],
    ['HEAD', '/photos/c.jpg', {}, 's3:GetObject', ['arn:aws:s3:::photos/c.jpg']],
    ['DELETE', '/photos/c.jpg', {}, 's3:DeleteObject', ['arn:aws:s3:::photos/c.jpg']],
    ['POST', '/photos/big?uploads', {}, 's3:PutObject', ['arn:aws:s3:::photos/big']],
    [
      'PUT',
      '/photos/copy',
      { headers: { 'x-amz-copy-source': '/photos/c.jpg' } },
      's3:PutObject',
      ['arn:aws:s3:::photos/copy'],
    ],
    [
      'POST',
      '/photos?delete',
      { body: '<Delete><Object><Key>a&amp;b</Key></Object><Object><Key>c</Key></Object></Delete>' },
      's3:DeleteObject',
      ['arn:aws:s3:::photos/a&b', 'arn:aws:s3:::photos/c'],
    ],
    ['GET', '/', { headers: { host: 'photos.s3.localhost:4566' } }, 's3:ListBucket', ['arn:aws:s3:::photos']],
  ])('%s %s → %s', (method, path, options, action, resources) => {
    expect(s3.authorization(request(method, path, options))).toEqual({ action, resources });
  });

  it('leaves operations it does not know to handle (which answers NotImplemented)', () => {
    expect(s3.authorization(request('GET', '/photos?tagging'))).toBeUndefined();
  });
});

describe('DynamoDBService.authorization', () => {
  const target = (operation: string, prefix = 'DynamoDB_20120810') => ({ 'x-amz-target': `${prefix}.${operation}` });
  const table = 'arn:aws:dynamodb:us-east-1:000000000000:table';

  it.each([
    ['PutItem', { TableName: 'Orders' }, undefined, [`${table}/Orders`]],
    ['Query', { TableName: 'Orders', IndexName: 'byDate' }, undefined, [`${table}/Orders/index/byDate`]],
    ['BatchWriteItem', { RequestItems: { A: [], B: [] } }, undefined, [`${table}/A`, `${table}/B`]],
    ['ListTables', {}, undefined, ['*']],
    [
      'DescribeStream',
      { StreamArn: `${table}/Orders/stream/2024` },
      'DynamoDBStreams_20120810',
      [`${table}/Orders/stream/2024`],
    ],
    ['ListStreams', {}, 'DynamoDBStreams_20120810', ['*']],
  ])('%s', (operation, body, prefix, resources) => {
    expect(dynamodb.authorization(request('POST', '/', { body, headers: target(operation, prefix) }))).toEqual({
      action: `dynamodb:${operation}`,
      resources,
    });
  });
});

describe('KinesisService.authorization', () => {
  const stream = 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks';
  it.each([
    ['PutRecord', { StreamName: 'clicks' }, [stream]],
    ['PutRecords', { StreamARN: stream }, [stream]],
    ['ListStreams', {}, ['*']],
  ])('%s', (operation, body, resources) => {
    expect(
      kinesis.authorization(
        request('POST', '/', { body, headers: { 'x-amz-target': `Kinesis_20131202.${operation}` } }),
      ),
    ).toEqual({ action: `kinesis:${operation}`, resources });
  });
});

describe('Lambda authorization', () => {
  const fn = 'arn:aws:lambda:us-east-1:000000000000:function';
  it.each([
    ['lambda:CreateFunction', 'POST', '/2015-03-31/functions', { FunctionName: 'f' }, [`${fn}:f`]],
    ['lambda:ListFunctions', 'GET', '/2015-03-31/functions', '', ['*']],
    ['lambda:InvokeFunction', 'POST', '/2015-03-31/functions/f/invocations', '', [`${fn}:f`]],
    [
      'lambda:InvokeFunction',
      'POST',
      `/2015-03-31/functions/${encodeURIComponent(`${fn}:f`)}/invocations?Qualifier=live`,
      '',
      [`${fn}:f:live`],
    ],
    ['lambda:GetFunctionConfiguration', 'GET', '/2015-03-31/functions/f/configuration', '', [`${fn}:f`]],
    ['lambda:AddPermission', 'POST', '/2015-03-31/functions/f/policy', '', [`${fn}:f`]],
  ])('%s for %s %s', (action, method, path, body, resources) => {
    expect(lambda.authorization(request(method, path, { body }))).toEqual({ action, resources });
  });

  it.each([
    ['POST', '/2015-03-31/event-source-mappings', 'lambda:CreateEventSourceMapping', ['*']],
    [
      'GET',
      '/2015-03-31/event-source-mappings/abc',
      'lambda:GetEventSourceMapping',
      ['arn:aws:lambda:us-east-1:000000000000:event-source-mapping:abc'],
    ],
    [
      'DELETE',
      '/2015-03-31/event-source-mappings/abc',
      'lambda:DeleteEventSourceMapping',
      ['arn:aws:lambda:us-east-1:000000000000:event-source-mapping:abc'],
    ],
  ])('event source mappings: %s %s → %s', (method, path, action, resources) => {
    expect(mappings.authorization(request(method, path))).toEqual({ action, resources });
  });
});

describe('IamService.authorization', () => {
  it.each([
    ['Action=CreateRole&RoleName=r&Path=/app/', 'iam:CreateRole', 'arn:aws:iam::000000000000:role/app/r'],
    [
      'Action=AttachRolePolicy&RoleName=r&PolicyArn=arn:aws:iam::aws:policy/X',
      'iam:AttachRolePolicy',
      'arn:aws:iam::000000000000:role/r',
    ],
    ['Action=GetPolicy&PolicyArn=arn:aws:iam::aws:policy/X', 'iam:GetPolicy', 'arn:aws:iam::aws:policy/X'],
    ['Action=CreatePolicy&PolicyName=p', 'iam:CreatePolicy', 'arn:aws:iam::000000000000:policy/p'],
    ['Action=ListRoles', 'iam:ListRoles', '*'],
  ])('%s', (body, action, resource) => {
    expect(
      iam.authorization(
        request('POST', '/', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      ),
    ).toEqual({ action, resources: [resource] });
  });
});
