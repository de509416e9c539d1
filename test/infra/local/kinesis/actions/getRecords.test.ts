import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

const ShardId = 'shardId-000000000000';

describe('GetRecords', () => {
  let cloud: KinesisTestCloud;
  beforeAll(async () => {
    cloud = await startKinesisCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  const trimHorizon = async (StreamName: string) =>
    (await cloud.kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' })))
      .ShardIterator;

  it('returns binary data, partition key, sequence number and arrival time as put', async () => {
    // Prepare
    const StreamName = streamName('read');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const put = await cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'bin', Data: bytes }));

    // Act
    const { Records, NextShardIterator, MillisBehindLatest } = await cloud.kinesis.send(
      new GetRecordsCommand({ ShardIterator: await trimHorizon(StreamName) }),
    );

    // Assess
    expect(Records).toHaveLength(1);
    expect(Records?.[0]).toEqual({
      SequenceNumber: put.SequenceNumber,
      ApproximateArrivalTimestamp: new Date(cloud.now()),
      Data: bytes,
      PartitionKey: 'bin',
    });
    expect(NextShardIterator).toEqual(expect.any(String));
    expect(MillisBehindLatest).toBe(0);
  });

  it('pages with Limit, reporting MillisBehindLatest until caught up', async () => {
    // Prepare
    const StreamName = streamName('paged');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    for (let i = 0; i < 5; i++) {
      await cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from(String(i)) }));
      cloud.advance(100);
    }

    // Act
    const first = await cloud.kinesis.send(
      new GetRecordsCommand({ ShardIterator: await trimHorizon(StreamName), Limit: 2 }),
    );
    const second = await cloud.kinesis.send(
      new GetRecordsCommand({ ShardIterator: first.NextShardIterator, Limit: 2 }),
    );
    const third = await cloud.kinesis.send(
      new GetRecordsCommand({ ShardIterator: second.NextShardIterator, Limit: 2 }),
    );
    const empty = await cloud.kinesis.send(new GetRecordsCommand({ ShardIterator: third.NextShardIterator, Limit: 2 }));

    // Assess
    const texts = (r: typeof first) => (r.Records ?? []).map((x) => Buffer.from(x.Data!).toString());
    expect([texts(first), texts(second), texts(third), texts(empty)]).toEqual([['0', '1'], ['2', '3'], ['4'], []]);
    expect(first.MillisBehindLatest).toBe(300);
    expect(third.MillisBehindLatest).toBe(0);
    expect(empty.NextShardIterator).toEqual(expect.any(String));
  });

  it('answers ExpiredIteratorException for an iterator older than 5 minutes', async () => {
    // Prepare
    const StreamName = streamName('expiring');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const fresh = await trimHorizon(StreamName);
    const stale = await trimHorizon(StreamName);

    // Act
    cloud.advance(4 * 60_000);
    const ok = await cloud.kinesis.send(new GetRecordsCommand({ ShardIterator: fresh }));
    cloud.advance(60_001);
    const error = await failure(cloud.kinesis.send(new GetRecordsCommand({ ShardIterator: stale })));
    const renewed = await cloud.kinesis.send(new GetRecordsCommand({ ShardIterator: ok.NextShardIterator }));

    // Assess
    expect(error.name).toBe('ExpiredIteratorException');
    expect(error.message).toContain('Iterator expired');
    expect(renewed.Records).toEqual([]);
  });

  it('keeps records 24 hours: older ones are trimmed and TRIM_HORIZON starts after them', async () => {
    // Prepare
    const StreamName = streamName('retained');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    await cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('old') }));
    const early = await trimHorizon(StreamName);
    cloud.advance(12 * 3_600_000);
    await cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('new') }));
    cloud.advance(12 * 3_600_000 + 1);

    // Act
    const { Records } = await cloud.kinesis.send(
      new GetRecordsCommand({ ShardIterator: await trimHorizon(StreamName) }),
    );
    const stale = await failure(cloud.kinesis.send(new GetRecordsCommand({ ShardIterator: early })));

    // Assess
    expect(Records?.map((r) => Buffer.from(r.Data!).toString())).toEqual(['new']);
    expect(stale.name).toBe('ExpiredIteratorException');
  });

  it('reads from the oldest retained record when an iterator points into trimmed data', async () => {
    // Prepare
    const StreamName = streamName('trimmed');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const old = await cloud.kinesis.send(
      new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'k', Data: Buffer.from('old') }] }),
    );
    cloud.advance(24 * 3_600_000 - 1000);
    await cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('kept') }));
    const { ShardIterator } = await cloud.kinesis.send(
      new GetShardIteratorCommand({
        StreamName,
        ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: old.Records?.[0]?.SequenceNumber,
      }),
    );
    cloud.advance(2000);

    // Act
    const { Records } = await cloud.kinesis.send(new GetRecordsCommand({ ShardIterator }));

    // Assess
    expect(Records?.map((r) => Buffer.from(r.Data!).toString())).toEqual(['kept']);
  });

  it.each([
    { name: 'Limit over 10,000', input: { Limit: 10_001 }, code: 'InvalidArgumentException', message: 'Limit' },
    { name: 'Limit 0', input: { Limit: 0 }, code: 'ValidationException', message: "Value '0' at 'limit'" },
    {
      name: 'a malformed iterator',
      input: { ShardIterator: 'not-an-iterator' },
      code: 'InvalidArgumentException',
      message: 'Invalid ShardIterator.',
    },
    {
      name: 'a StreamARN the iterator does not belong to',
      input: { StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/elsewhere' },
      code: 'InvalidArgumentException',
      message: 'does not belong',
    },
  ])('answers $code for $name', async ({ input, code, message }) => {
    // Prepare
    const StreamName = streamName('bad-read');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const ShardIterator = await trimHorizon(StreamName);

    // Act
    const error = await failure(cloud.kinesis.send(new GetRecordsCommand({ ShardIterator, ...input })));

    // Assess
    expect(error.name).toBe(code);
    expect(error.message).toContain(message);
  });
});
