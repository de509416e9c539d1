import { CreateTableCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsServiceException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBStreamRecord } from '../../../../infra/local/dynamodb/service.ts';
import { ShardStore } from '../../../../infra/local/streams/shard-store.ts';
import { type DynamoDBTestCloud, readStream, startDynamoDB, tableName } from '../../../helpers/dynamodb-cloud.ts';
import { loadDynamoDBRecording } from '../../../helpers/dynamodb-recordings.ts';

let clock = Date.parse('2025-10-08T12:00:00.000Z');
let cloud: DynamoDBTestCloud;
beforeAll(async () => {
  // Tables leave UPDATING at once here: these tests are about the streams, not the update window.
  cloud = await startDynamoDB({
    streams: new ShardStore<DynamoDBStreamRecord>({ now: () => clock }),
    tableUpdateMs: 0,
  });
});
afterAll(async () => {
  await cloud?.close();
});

async function failure(promise: Promise<unknown>): Promise<DynamoDBStreamsServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DynamoDBStreamsServiceException))
    throw new Error(`expected a Streams error, got ${String(error)}`);
  return error;
}

/** A table with a NEW_IMAGE stream and `count` items (n = 1…count) written in order. */
async function streamWith(count: number) {
  const TableName = tableName('iter');
  const created = await cloud.ddb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  for (let n = 1; n <= count; n += 1) {
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: { id: { S: `item-${n}` }, n: { N: String(n) } } }));
  }
  const StreamArn = created.TableDescription!.LatestStreamArn!;
  const { StreamDescription } = await cloud.streams.send(new DescribeStreamCommand({ StreamArn }));
  return { TableName, StreamArn, ShardId: StreamDescription!.Shards![0]!.ShardId! };
}

const numbers = (records: { dynamodb?: { NewImage?: Record<string, { N?: string }> } }[] | undefined) =>
  (records ?? []).map((r) => Number(r.dynamodb!.NewImage!.n!.N));

describe('GetShardIterator / GetRecords', () => {
  it('reads from TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER', async () => {
    // Prepare
    const { TableName, StreamArn, ShardId } = await streamWith(5);
    const iterator = async (ShardIteratorType: string, SequenceNumber?: string) =>
      (
        await cloud.streams.send(
          new GetShardIteratorCommand({
            StreamArn,
            ShardId,
            ShardIteratorType: ShardIteratorType as never,
            SequenceNumber,
          }),
        )
      ).ShardIterator!;
    const all = await cloud.streams.send(new GetRecordsCommand({ ShardIterator: await iterator('TRIM_HORIZON') }));
    const third = all.Records![2]!.dynamodb!.SequenceNumber!;

    // Act
    const fromTrim = await cloud.streams.send(
      new GetRecordsCommand({ ShardIterator: await iterator('TRIM_HORIZON'), Limit: 2 }),
    );
    const next = await cloud.streams.send(new GetRecordsCommand({ ShardIterator: fromTrim.NextShardIterator! }));
    const latestIterator = await iterator('LATEST');
    const latestBefore = await cloud.streams.send(new GetRecordsCommand({ ShardIterator: latestIterator }));
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: { id: { S: 'item-6' }, n: { N: '6' } } }));
    const latestAfter = await cloud.streams.send(
      new GetRecordsCommand({ ShardIterator: latestBefore.NextShardIterator! }),
    );
    const at = await cloud.streams.send(
      new GetRecordsCommand({ ShardIterator: await iterator('AT_SEQUENCE_NUMBER', third) }),
    );
    const after = await cloud.streams.send(
      new GetRecordsCommand({ ShardIterator: await iterator('AFTER_SEQUENCE_NUMBER', third) }),
    );

    // Assess
    expect(numbers(all.Records)).toEqual([1, 2, 3, 4, 5]);
    expect(numbers(fromTrim.Records)).toEqual([1, 2]);
    expect(numbers(next.Records)).toEqual([3, 4, 5]);
    expect(latestBefore.Records).toEqual([]);
    expect(latestBefore.NextShardIterator).toBeDefined();
    expect(numbers(latestAfter.Records)).toEqual([6]);
    expect(numbers(at.Records)).toEqual([3, 4, 5, 6]);
    expect(numbers(after.Records)).toEqual([4, 5, 6]);
  });

  it('answers ExpiredIteratorException for an iterator older than 15 minutes', async () => {
    // Prepare
    const { StreamArn, ShardId } = await streamWith(1);
    const { ShardIterator } = await cloud.streams.send(
      new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );

    // Act
    clock += 15 * 60 * 1000 + 1;
    const error = await failure(cloud.streams.send(new GetRecordsCommand({ ShardIterator })));

    // Assess
    expect(error.name).toBe('ExpiredIteratorException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('trims records after 24 hours: TRIM_HORIZON skips them, an old position answers TrimmedDataAccessException', async () => {
    // Prepare
    const { TableName, StreamArn, ShardId } = await streamWith(2);
    const first = (await readStream(cloud.streams, StreamArn))[0]!.dynamodb!.SequenceNumber!;
    clock += 24 * 60 * 60 * 1000 + 1;
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: { id: { S: 'fresh' }, n: { N: '3' } } }));

    // Act
    const { ShardIterator } = await cloud.streams.send(
      new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const retained = await cloud.streams.send(new GetRecordsCommand({ ShardIterator }));
    const old = await cloud.streams.send(
      new GetShardIteratorCommand({
        StreamArn,
        ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: first,
      }),
    );
    const error = await failure(cloud.streams.send(new GetRecordsCommand({ ShardIterator: old.ShardIterator })));

    // Assess
    expect(numbers(retained.Records)).toEqual([3]);
    expect(error.name).toBe('TrimmedDataAccessException');
  });

  it('closes the shard when the stream is disabled: EndingSequenceNumber, DISABLED, no NextShardIterator at the end', async () => {
    // Prepare
    const { TableName, StreamArn, ShardId } = await streamWith(2);
    const { ShardIterator } = await cloud.streams.send(
      new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );

    // Act
    await cloud.ddb.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }));
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: { id: { S: 'after' }, n: { N: '99' } } }));
    const described = await cloud.streams.send(new DescribeStreamCommand({ StreamArn }));
    const page = await cloud.streams.send(new GetRecordsCommand({ ShardIterator }));

    // Assess
    const range = described.StreamDescription!.Shards![0]!.SequenceNumberRange!;
    expect(described.StreamDescription?.StreamStatus).toBe('DISABLED');
    expect(BigInt(range.EndingSequenceNumber!)).toBe(BigInt(page.Records![1]!.dynamodb!.SequenceNumber!));
    expect(numbers(page.Records)).toEqual([1, 2]);
    expect(page.NextShardIterator).toBeUndefined();
  });

  it('publishes dynamodb.stream.record for each record', async () => {
    // Prepare
    const seen: Record<string, unknown>[] = [];
    const unsubscribe = cloud.trace.subscribe((event) => {
      if (event.type === 'dynamodb.stream.record') seen.push({ ...event.detail });
    });

    // Act
    const { TableName, StreamArn } = await streamWith(1);
    unsubscribe();
    const [record] = await readStream(cloud.streams, StreamArn);

    // Assess
    expect(seen).toEqual([
      {
        table: TableName,
        eventName: 'INSERT',
        keys: { id: { S: 'item-1' } },
        sequenceNumber: record!.dynamodb!.SequenceNumber,
      },
    ]);
  });
});

describe('ListStreams / DescribeStream', () => {
  it('lists streams of one table, old (disabled) and new', async () => {
    // Prepare
    const { TableName, StreamArn } = await streamWith(0);
    await streamWith(0);
    await cloud.ddb.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }));
    const reenabled = await cloud.ddb.send(
      new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
    );

    // Act
    const listed = await cloud.streams.send(new ListStreamsCommand({ TableName }));
    const paged = await cloud.streams.send(new ListStreamsCommand({ TableName, Limit: 1 }));
    const described = await cloud.streams.send(
      new DescribeStreamCommand({ StreamArn: reenabled.TableDescription!.LatestStreamArn! }),
    );

    // Assess
    expect(listed.Streams?.map((s) => s.StreamArn)).toEqual([StreamArn, reenabled.TableDescription!.LatestStreamArn]);
    expect(listed.Streams?.[0]).toEqual({ StreamArn, TableName, StreamLabel: StreamArn.split('/stream/')[1] });
    expect(paged.Streams).toHaveLength(1);
    expect(paged.LastEvaluatedStreamArn).toBe(StreamArn);
    expect(described.StreamDescription).toMatchObject({
      StreamStatus: 'ENABLED',
      StreamViewType: 'KEYS_ONLY',
      TableName,
    });
    expect(described.StreamDescription?.CreationRequestDateTime).toBeInstanceOf(Date);
  });

  it('answers ResourceNotFoundException for an unknown stream (recorded: dynamodbstreams-error-stream-not-found.json)', async () => {
    // Prepare
    const recorded = loadDynamoDBRecording<{
      'non-existent-stream': { Error: Record<string, string>; message: string };
    }>('dynamodbstreams-error-stream-not-found.json')['non-existent-stream'];
    const StreamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/no-table/stream/2024-11-18T14:36:44.149';

    // Act
    const describe = await failure(cloud.streams.send(new DescribeStreamCommand({ StreamArn })));
    const iterator = await failure(
      cloud.streams.send(
        new GetShardIteratorCommand({
          StreamArn,
          ShardId: 'shardId-00000001414576573621-f55eea83',
          ShardIteratorType: 'LATEST',
        }),
      ),
    );

    // Assess
    const expected = recorded.Error.Message!.replace(
      'arn:<partition>:dynamodb:<region>:111111111111:table/<table-name>',
      'arn:aws:dynamodb:us-east-1:000000000000:table/no-table',
    );
    for (const error of [describe, iterator]) {
      expect(error.name).toBe(recorded.Error.Code);
      expect(error.message).toBe(expected);
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it.each([
    [
      'GetRecords Limit above 1000',
      () => new GetRecordsCommand({ ShardIterator: 'x', Limit: 1001 }),
      /Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000/,
    ],
    [
      'GetRecords without ShardIterator',
      () => new GetRecordsCommand({} as never),
      /Value null at 'shardIterator' failed to satisfy constraint: Member must not be null/,
    ],
    [
      'GetRecords with a garbage iterator',
      () => new GetRecordsCommand({ ShardIterator: 'not-an-iterator' }),
      /Invalid ShardIterator/,
    ],
    [
      'DescribeStream with a short ARN',
      () => new DescribeStreamCommand({ StreamArn: 'arn' }),
      /at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37/,
    ],
    [
      'GetShardIterator with a bad type',
      () =>
        new GetShardIteratorCommand({
          StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
          ShardId: 'shardId-00000001414576573621-f55eea83',
          ShardIteratorType: 'OLDEST' as never,
        }),
      /Member must satisfy enum value set: \[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER\]/,
    ],
  ])('answers ValidationException for %s', async (_case, command, message) => {
    // Act
    const error = await failure(cloud.streams.send(command() as never));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(message);
  });

  it('requires a sequence number for AT_SEQUENCE_NUMBER', async () => {
    // Prepare
    const { StreamArn, ShardId } = await streamWith(0);

    // Act
    const error = await failure(
      cloud.streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('SequenceNumber');
  });
});
