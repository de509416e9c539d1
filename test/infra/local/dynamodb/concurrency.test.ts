import { CreateTableCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDBTestCloud, readStream, startDynamoDB, tableName } from '../../../helpers/dynamodb-cloud.ts';

let cloud: DynamoDBTestCloud;
beforeAll(async () => {
  cloud = await startDynamoDB();
});
afterAll(async () => {
  await cloud?.close();
});

const WRITERS = 4;
const WRITES_PER_WRITER = 2_500;
const KEYS = 10;

describe('stream order under concurrent writers', () => {
  it("records every write exactly once, in each item's write order, with consistent images", {
    timeout: 60_000,
  }, async () => {
    // Prepare: all writers update the same 10 items, so writes to one item really race.
    const TableName = tableName('race');
    const { TableDescription } = await cloud.ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    /** Per key, the counter value each acknowledged write produced (the server's write order for that key). */
    const acknowledged = new Map<string, number[]>();

    // Act
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < WRITES_PER_WRITER; i += 1) {
          const id = `item-${(i + writer) % KEYS}`;
          const { Attributes } = await cloud.ddb.send(
            new UpdateItemCommand({
              TableName,
              Key: { id: { S: id } },
              UpdateExpression: 'ADD n :one SET lastWriter = :w',
              ExpressionAttributeValues: { ':one': { N: '1' }, ':w': { S: `writer-${writer}` } },
              ReturnValues: 'UPDATED_NEW',
            }),
          );
          const list = acknowledged.get(id) ?? [];
          list.push(Number(Attributes!.n!.N));
          acknowledged.set(id, list);
        }
      }),
    );
    const records = await readStream(cloud.streams, TableDescription!.LatestStreamArn!);

    // Assess
    expect(records).toHaveLength(WRITERS * WRITES_PER_WRITER);
    const sequence = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(sequence.every((s, i) => i === 0 || s > sequence[i - 1]!)).toBe(true);
    const perKey = new Map<string, number[]>();
    for (const record of records) {
      const id = record.dynamodb!.Keys!.id!.S!;
      const n = Number(record.dynamodb!.NewImage!.n!.N);
      const old = record.dynamodb!.OldImage?.n?.N;
      // Each record's old image is exactly the previous write's new image of that item.
      expect(old === undefined ? 0 : Number(old)).toBe(n - 1);
      expect(record.eventName).toBe(old === undefined ? 'INSERT' : 'MODIFY');
      perKey.set(id, [...(perKey.get(id) ?? []), n]);
    }
    expect(perKey.size).toBe(KEYS);
    for (const [id, values] of perKey) {
      const writes = [...acknowledged.get(id)!].sort((a, b) => a - b);
      expect(values).toEqual(writes);
      expect(values).toEqual(Array.from({ length: values.length }, (_, i) => i + 1));
    }
  });
});
