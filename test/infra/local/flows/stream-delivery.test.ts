import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';

const RECORDER_DIR = fileURLToPath(new URL('../../../fixtures/stream-recorder/', import.meta.url));
type Received = [source: string, key: string, value: string | null, extra: string];

let cloud: LocalCloud;
let lambda: LambdaClient;
const batches: Received[][] = [];

/** Waits until the handler's logs account for `count` records from `source`. */
async function received(source: string, count: number, timeoutMs = 120_000): Promise<Received[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = batches.flat().filter((r) => r[0] === source);
    if (records.length >= count || Date.now() > deadline) return records;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function recorder(name: string): Promise<string> {
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: 'arn:aws:iam::000000000000:role/recorder',
      Handler: 'index.handler',
      Code: { S3Bucket: '__local__', S3Key: RECORDER_DIR },
    }),
  );
  return fn.FunctionArn!;
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, streamRetryDelayMs: 20 });
  cloud.trace.subscribe((event) => {
    const line = event.type === 'lambda.log' ? String(event.detail.line) : '';
    const at = line.indexOf('BATCH ');
    if (at !== -1) batches.push(JSON.parse(line.slice(at + 6)) as Received[]);
  });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials });
});

afterAll(async () => {
  lambda?.destroy();
  await cloud?.close();
});

describe('DynamoDB table → stream → event source mapping → handler', () => {
  it('delivers 10,000 writes from 4 concurrent writers: every record, none twice, in order per item', async () => {
    // GIVEN a table with a stream, mapped to a recording function
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
    });
    const table = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'counters',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: await recorder('dynamodb-recorder'),
        EventSourceArn: table.TableDescription!.LatestStreamArn,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 500,
      }),
    );

    // WHEN 4 writers each make 2,500 increments spread over 40 items
    const items = 40;
    await Promise.all(
      [0, 1, 2, 3].map(async (writer) => {
        for (let i = 0; i < 2500; i += 1) {
          await dynamodb.send(
            new UpdateItemCommand({
              TableName: 'counters',
              Key: { id: { S: `item-${(writer * 7 + i) % items}` } },
              UpdateExpression: 'ADD n :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            }),
          );
        }
      }),
    );

    // THEN every item's counter values arrive exactly once each, 1, 2, 3, … in order
    const records = await received('dynamodb', 10_000);
    expect(records).toHaveLength(10_000);
    const perItem = new Map<string, number[]>();
    for (const [, key, value] of records) perItem.set(key, [...(perItem.get(key) ?? []), Number(value)]);
    expect(perItem.size).toBe(items);
    for (const [key, values] of perItem) {
      expect({ key, values }).toEqual({ key, values: values.map((_, i) => i + 1) });
    }
    dynamodb.destroy();
  }, 300_000);
});

describe('Kinesis stream → event source mapping → handler', () => {
  it('delivers PutRecords batches per shard in order, with the default HTTP/2 client', async () => {
    const kinesis = new KinesisClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
    });
    await kinesis.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 4 }));
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: await recorder('kinesis-recorder'),
        EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks',
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 50,
      }),
    );
    const users = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'ken'];
    for (let round = 0; round < 4; round += 1) {
      const result = await kinesis.send(
        new PutRecordsCommand({
          StreamName: 'clicks',
          Records: Array.from({ length: 300 }, (_, i) => ({
            PartitionKey: users[i % users.length],
            Data: new TextEncoder().encode(String(round * 300 + i)),
          })),
        }),
      );
      expect(result.FailedRecordCount).toBe(0);
    }
    const records = await received('kinesis', 1200);
    expect(records).toHaveLength(1200);
    // A partition key always lands on one shard, so each user's clicks arrive in the order sent.
    for (const user of users) {
      const mine = records.filter((r) => r[1] === user);
      expect(new Set(mine.map((r) => r[3])).size).toBe(1);
      const values = mine.map((r) => Number(r[2]));
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values).toHaveLength(200);
    }
    kinesis.destroy();
  }, 120_000);
});
