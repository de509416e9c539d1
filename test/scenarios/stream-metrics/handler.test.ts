import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countersFor, handler } from '../../../scenarios/stream-metrics/handler.ts';
import { fakeContext } from '../helpers/context.ts';
import { dynamodbRecord, dynamodbStreamEvent } from '../helpers/events.ts';
import { fakeClient } from '../helpers/fake-aws.ts';

/** A fake metrics table: applied marks and the counters UpdateItem ADD accumulates. */
function fakeMetricsTable() {
  const marks = new Set<string>();
  const counters = new Map<string, Record<string, number>>();
  const client = fakeClient(DynamoDBClient, {
    [PutItemCommand.name]: (input) => {
      const key = (input.Item as { metric: { S: string } }).metric.S;
      if (marks.has(key)) {
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      }
      marks.add(key);
      return {};
    },
    [DeleteItemCommand.name]: (input) => {
      marks.delete((input.Key as { metric: { S: string } }).metric.S);
      return {};
    },
    [UpdateItemCommand.name]: (input) => {
      const metric = (input.Key as { metric: { S: string } }).metric.S;
      const names = input.ExpressionAttributeNames as Record<string, string>;
      const values = input.ExpressionAttributeValues as Record<string, { N?: string }>;
      const item = counters.get(metric) ?? {};
      for (const [, name, value] of String(input.UpdateExpression).matchAll(/(#c\d+) (:c\d+)/g)) {
        const attribute = names[name!]!;
        item[attribute] = (item[attribute] ?? 0) + Number(values[value!]?.N);
      }
      counters.set(metric, item);
      return {};
    },
  });
  return { client, marks, counters };
}

let table: ReturnType<typeof fakeMetricsTable>;

beforeEach(() => {
  vi.stubEnv('METRICS_TABLE', 'metrics');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  table = fakeMetricsTable();
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('stream-metrics handler (DynamoDB Streams)', () => {
  it.each([
    ['INSERT', { newTotal: 30 }, { INSERT: 1, revenue: 30 }],
    ['MODIFY', { oldTotal: 30, newTotal: 45 }, { MODIFY: 1, revenue: 15 }],
    ['REMOVE', { oldTotal: 45 }, { REMOVE: 1, revenue: -45 }],
  ] as const)('counts a %s record as %o', (eventName, images, expected) => {
    expect(countersFor(dynamodbRecord(eventName, images))).toEqual(expected);
  });

  it('aggregates INSERT, MODIFY and REMOVE into the orders metric and reports no failures', async () => {
    const event = dynamodbStreamEvent(
      dynamodbRecord('INSERT', { orderId: 'o-1', newTotal: 30 }),
      dynamodbRecord('INSERT', { orderId: 'o-2', newTotal: 20 }),
      dynamodbRecord('MODIFY', { orderId: 'o-1', oldTotal: 30, newTotal: 35 }),
      dynamodbRecord('REMOVE', { orderId: 'o-2', oldTotal: 20 }),
    );
    const response = await handler(event, fakeContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(table.counters.get('orders')).toEqual({ INSERT: 2, MODIFY: 1, REMOVE: 1, revenue: 35 });
    expect(table.client.inputsOf(UpdateItemCommand.name)[0]).toMatchObject({
      TableName: 'metrics',
      UpdateExpression: expect.stringContaining('ADD'),
    });
  });

  it('does not count a record twice when Lambda retries the batch', async () => {
    const event = dynamodbStreamEvent(dynamodbRecord('INSERT', { newTotal: 10 }));
    await handler(event, fakeContext());
    await handler(event, fakeContext());
    expect(table.counters.get('orders')).toEqual({ INSERT: 1, revenue: 10 });
  });

  it('stops at the first failing record and reports its sequence number (partial batch response)', async () => {
    // GIVEN a batch whose second record's write fails
    const records = [
      dynamodbRecord('INSERT', { newTotal: 1 }),
      dynamodbRecord('INSERT', { newTotal: 2 }),
      dynamodbRecord('INSERT', { newTotal: 4 }),
    ];
    let updates = 0;
    table.client.on(UpdateItemCommand.name, () => {
      updates++;
      if (updates === 2)
        throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
      return {};
    });
    // WHEN the batch is processed
    const response = await handler(dynamodbStreamEvent(...records), fakeContext());
    // THEN the failed record is reported; the one after it was not processed; its mark was removed
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    expect(updates).toBe(2);
    expect(table.marks.has(`applied#${records[1]?.eventID}`)).toBe(false);
    expect(table.marks.has(`applied#${records[0]?.eventID}`)).toBe(true);
  });

  it('answers an empty batchItemFailures list for an empty batch', async () => {
    expect(await handler(dynamodbStreamEvent(), fakeContext())).toEqual({ batchItemFailures: [] });
  });
});
