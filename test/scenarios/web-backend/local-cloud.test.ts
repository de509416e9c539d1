import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../infra/local/cloud.ts';
import { fakeContext } from '../helpers/context.ts';
import { httpApiEvent } from '../helpers/events.ts';

// The handler in-process, its module-scope client pointed at the local cloud's DynamoDB.
let cloud: LocalCloud;
let handler: typeof import('../../../scenarios/web-backend/handler.ts').handler;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false });
  vi.stubEnv('AWS_ENDPOINT_URL', cloud.endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', cloud.adminCredentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', cloud.adminCredentials.secretAccessKey);
  vi.stubEnv('ITEMS_TABLE', 'items');
  vi.resetModules();
  handler = (await import('../../../scenarios/web-backend/handler.ts')).handler;
  await new DynamoDBClient({}).send(
    new CreateTableCommand({
      TableName: 'items',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await cloud?.close();
});

const call = async (...args: Parameters<typeof httpApiEvent>) => {
  const response = (await handler(httpApiEvent(...args), fakeContext())) as APIGatewayProxyStructuredResultV2;
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
};

describe('web-backend handler on the local cloud DynamoDB', () => {
  it('creates, lists and gets items; 404 for an unknown id', async () => {
    const created = await call('POST /items', { body: JSON.stringify({ name: 'Lamp', price: 25 }) });
    expect(created.status).toBe(201);
    const { id } = created.body;
    expect(await call('GET /items/{id}', { path: `/items/${id}`, pathParameters: { id } })).toEqual({
      status: 200,
      body: created.body,
    });
    expect((await call('GET /items')).body.items).toEqual([created.body]);
    expect((await call('GET /items/{id}', { path: '/items/x', pathParameters: { id: 'x' } })).status).toBe(404);
  });
});
