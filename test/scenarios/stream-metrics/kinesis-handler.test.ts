import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, parseClick } from '../../../scenarios/stream-metrics/kinesis-handler.ts';
import { fakeContext } from '../helpers/context.ts';
import { kinesisEvent, kinesisRecord } from '../helpers/events.ts';
import { fakeClient } from '../helpers/fake-aws.ts';

let dynamodb: ReturnType<typeof fakeClient>;

beforeEach(() => {
  vi.stubEnv('METRICS_TABLE', 'metrics');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  dynamodb = fakeClient(DynamoDBClient, {
    [PutItemCommand.name]: () => ({}),
    [UpdateItemCommand.name]: () => ({}),
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('stream-metrics Kinesis handler', () => {
  it('adds one click per record to page#<path>', async () => {
    const response = await handler(
      kinesisEvent(kinesisRecord({ page: '/home' }), kinesisRecord({ page: '/pricing', clientId: 'c-1' })),
      fakeContext(),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    const keys = dynamodb
      .inputsOf(UpdateItemCommand.name)
      .map((input) => (input.Key as { metric: { S: string } }).metric.S);
    expect(keys).toEqual(['page#/home', 'page#/pricing']);
  });

  it.each([
    ['not JSON', 'data is not JSON'],
    [{ page: 'home' }, "page must be a path starting with '/'"],
    [[1, 2], "page must be a path starting with '/'"],
  ])('skips a poison record %j without failing the batch', async (data, reason) => {
    const record = kinesisRecord(data);
    expect(parseClick(record)).toEqual({ invalid: expect.stringContaining(reason) });
    const response = await handler(kinesisEvent(record), fakeContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamodb.sent).toEqual([]);
  });

  it('reports the sequence number of a record whose write fails', async () => {
    const records = [kinesisRecord({ page: '/a' }), kinesisRecord({ page: '/b' })];
    dynamodb.on(UpdateItemCommand.name, (input) => {
      if ((input.Key as { metric: { S: string } }).metric.S === 'page#/b') throw new Error('boom');
      return {};
    });
    const response = await handler(kinesisEvent(...records), fakeContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.kinesis.sequenceNumber }]);
  });
});
