import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../infra/local/cloud.ts';
import { fakeContext } from '../helpers/context.ts';
import { dynamodbRecord, dynamodbStreamEvent, kinesisEvent, kinesisRecord } from '../helpers/events.ts';

// The handlers in-process, their module-scope clients pointed at the local cloud's DynamoDB
// (AWS_ENDPOINT_URL): checks the update expressions and conditions against a real engine.
let cloud: LocalCloud;
let dynamodb: DynamoDBClient;
let handlers: {
  orders: typeof import('../../../scenarios/stream-metrics/handler.ts').handler;
  clicks: typeof import('../../../scenarios/stream-metrics/kinesis-handler.ts').handler;
};

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false });
  vi.stubEnv('AWS_ENDPOINT_URL', cloud.endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', cloud.adminCredentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', cloud.adminCredentials.secretAccessKey);
  vi.stubEnv('METRICS_TABLE', 'metrics');
  vi.resetModules();
  handlers = {
    orders: (await import('../../../scenarios/stream-metrics/handler.ts')).handler,
    clicks: (await import('../../../scenarios/stream-metrics/kinesis-handler.ts')).handler,
  };
  dynamodb = new DynamoDBClient({});
  await dynamodb.send(
    new CreateTableCommand({
      TableName: 'metrics',
      KeySchema: [{ AttributeName: 'metric', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'metric', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await cloud?.close();
});

const metric = async (name: string) =>
  (await dynamodb.send(new GetItemCommand({ TableName: 'metrics', Key: { metric: { S: name } } }))).Item;

describe('stream-metrics handlers on the local cloud DynamoDB', () => {
  it('aggregates a batch once, even when Lambda delivers it twice', async () => {
    const event = dynamodbStreamEvent(
      dynamodbRecord('INSERT', { orderId: 'o-1', newTotal: 30 }),
      dynamodbRecord('MODIFY', { orderId: 'o-1', oldTotal: 30, newTotal: 40 }),
      dynamodbRecord('REMOVE', { orderId: 'o-1', oldTotal: 40 }),
      dynamodbRecord('INSERT', { orderId: 'o-2', newTotal: 15 }),
    );
    expect(await handlers.orders(event, fakeContext())).toEqual({ batchItemFailures: [] });
    expect(await handlers.orders(event, fakeContext())).toEqual({ batchItemFailures: [] });
    expect(await metric('orders')).toMatchObject({
      INSERT: { N: '2' },
      MODIFY: { N: '1' },
      REMOVE: { N: '1' },
      revenue: { N: '15' },
    });
  });

  it('counts clicks per page', async () => {
    const event = kinesisEvent(
      kinesisRecord({ page: '/' }),
      kinesisRecord({ page: '/' }),
      kinesisRecord({ page: '/docs' }),
    );
    expect(await handlers.clicks(event, fakeContext())).toEqual({ batchItemFailures: [] });
    expect((await metric('page#/'))?.clicks).toEqual({ N: '2' });
    expect((await metric('page#/docs'))?.clicks).toEqual({ N: '1' });
  });
});
