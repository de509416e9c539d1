// Attacks on DynamoDB's document depth: items nested 1,000+ levels deep used to get a 500, and 33–40
// levels were accepted where AWS stops at 32. Real DynamoDB accepts a value wrapped in 31 maps or
// lists and refuses 32 with a ValidationException (captured against AWS; DynamoDB quotas: "up to 32
// levels deep").
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import { clientConfig, expectCloudAnswers, rawRequest, signHeaders } from './endpoint-helpers.ts';

const MESSAGE =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

let cloud: LocalCloud;
let dynamodb: DynamoDBClient;

/** A string wrapped in `wraps` maps (or lists). */
function nested(wraps: number, kind: 'M' | 'L' = 'M'): AttributeValue {
  let value: AttributeValue = { S: 'deep' };
  for (let i = 0; i < wraps; i += 1) value = kind === 'M' ? { M: { x: value } } : { L: [value] };
  return value;
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  dynamodb = new DynamoDBClient(clientConfig(cloud));
  await dynamodb.send(
    new CreateTableCommand({
      TableName: 'docs',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
afterAll(async () => {
  dynamodb.destroy();
  await cloud.close();
});

const refused = { name: 'ValidationException', message: MESSAGE, $metadata: { httpStatusCode: 400 } };

describe('DynamoDB nesting depth', () => {
  it.each(['M', 'L'] as const)('stores a value wrapped in 31 %s (the deepest AWS accepts)', async (kind) => {
    await dynamodb.send(
      new PutItemCommand({ TableName: 'docs', Item: { id: { S: `ok-${kind}` }, doc: nested(31, kind) } }),
    );
    const got = await dynamodb.send(new GetItemCommand({ TableName: 'docs', Key: { id: { S: `ok-${kind}` } } }));
    expect(got.Item?.doc).toEqual(nested(31, kind));
  });

  // Through the SDK at most 500 levels: its own serializer runs out of stack a little below 1,000
  // (RangeError before anything is sent); the raw request below goes 100,000 deep.
  it.each([32, 33, 40, 500])(
    'refuses an item nested %i levels with AWS’s ValidationException, storing nothing',
    async (wraps) => {
      await expect(
        dynamodb.send(
          new PutItemCommand({ TableName: 'docs', Item: { id: { S: `deep-${wraps}` }, doc: nested(wraps) } }),
        ),
      ).rejects.toMatchObject(refused);
      const got = await dynamodb.send(new GetItemCommand({ TableName: 'docs', Key: { id: { S: `deep-${wraps}` } } }));
      expect(got.Item).toBeUndefined();
      await expectCloudAnswers(cloud);
    },
  );

  it('refuses a deep value written by UpdateItem (SET via ExpressionAttributeValues)', async () => {
    await expect(
      dynamodb.send(
        new UpdateItemCommand({
          TableName: 'docs',
          Key: { id: { S: 'update' } },
          UpdateExpression: 'SET doc = :v',
          ExpressionAttributeValues: { ':v': nested(500, 'L') },
        }),
      ),
    ).rejects.toMatchObject(refused);
  });

  it('refuses a deep item inside BatchWriteItem', async () => {
    await expect(
      dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { docs: [{ PutRequest: { Item: { id: { S: 'batch' }, doc: nested(32) } } }] },
        }),
      ),
    ).rejects.toMatchObject(refused);
  });

  it('refuses a deep expression value in a Query', async () => {
    await expect(
      dynamodb.send(
        new QueryCommand({
          TableName: 'docs',
          KeyConditionExpression: 'id = :id',
          FilterExpression: 'doc = :doc',
          ExpressionAttributeValues: { ':id': { S: 'ok-M' }, ':doc': nested(500) },
        }),
      ),
    ).rejects.toMatchObject(refused);
    await expectCloudAnswers(cloud);
  });

  it('answers 400, never 500, to a raw request nested 100,000 JSON levels deep (more than the SDK can even send)', async () => {
    const body = `{"TableName":"docs","Item":{"id":{"S":"raw"},"doc":${'{"M":{"x":'.repeat(50_000)}{"S":"deep"}${'}}'.repeat(50_000)}}}`;
    const headers = signHeaders({
      keys: cloud.adminCredentials,
      service: 'dynamodb',
      port: cloud.port,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' },
      body,
    });
    const response = await rawRequest(cloud.port, { method: 'POST', headers, body });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: MESSAGE,
    });
    await expectCloudAnswers(cloud);
  });
});
