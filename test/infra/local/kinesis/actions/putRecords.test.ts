import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

const entry = (PartitionKey: string, text: string, ExplicitHashKey?: string): PutRecordsRequestEntry => ({
  PartitionKey,
  Data: Buffer.from(text),
  ...(ExplicitHashKey === undefined ? {} : { ExplicitHashKey }),
});

async function readAll(cloud: KinesisTestCloud, StreamName: string, ShardId: string) {
  let { ShardIterator } = await cloud.kinesis.send(
    new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const records = [];
  for (;;) {
    const page = await cloud.kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 250 }));
    records.push(...(page.Records ?? []));
    if ((page.Records ?? []).length === 0) return records;
    ShardIterator = page.NextShardIterator;
  }
}

describe('PutRecords', () => {
  let cloud: KinesisTestCloud;
  beforeAll(async () => {
    cloud = await startKinesisCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('keeps per-shard order across many batches, answering one result per entry in request order', async () => {
    // Prepare
    const StreamName = streamName('ordered');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 300 }, (_, i) => entry(keys[i % keys.length]!, `${keys[i % keys.length]}:${b * 300 + i}`)),
    );

    // Act
    const results = [];
    for (const Records of batches)
      results.push(await cloud.kinesis.send(new PutRecordsCommand({ StreamName, Records })));
    const shard0 = await readAll(cloud, StreamName, 'shardId-000000000000');
    const shard1 = await readAll(cloud, StreamName, 'shardId-000000000001');

    // Assess
    for (const result of results) {
      expect(result.FailedRecordCount).toBe(0);
      expect(result.Records).toHaveLength(300);
      expect(result.EncryptionType).toBe('NONE');
    }
    expect(shard0.length + shard1.length).toBe(1200);
    for (const shard of [shard0, shard1]) {
      const sequence = shard.map((r) => BigInt(r.SequenceNumber!));
      expect(sequence).toEqual([...sequence].sort((x, y) => (x < y ? -1 : 1)));
      for (const key of keys) {
        const counters = shard
          .filter((r) => r.PartitionKey === key)
          .map((r) => Number(Buffer.from(r.Data!).toString().split(':')[1]));
        expect(counters).toEqual([...counters].sort((x, y) => x - y));
      }
    }
    // what PutRecords answered matches where each record was read back
    const answered = results.flatMap((r) => r.Records ?? []);
    const byShard = new Map([...shard0, ...shard1].map((r) => [r.SequenceNumber, r]));
    expect(answered.every((a) => byShard.has(a.SequenceNumber))).toBe(true);
  });

  it('fails only the entries whose shard is over its write limit, reporting each with ErrorCode and ErrorMessage', async () => {
    // Prepare: 1,000 records fill shard 0's second; shard 1 stays free
    const StreamName = streamName('partial');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
    const fill = Array.from({ length: 500 }, (_, i) => entry(`fill-${i}`, 'x', '0'));
    await cloud.kinesis.send(new PutRecordsCommand({ StreamName, Records: fill }));
    await cloud.kinesis.send(new PutRecordsCommand({ StreamName, Records: fill }));
    const high = (2n ** 128n - 1n).toString();

    // Act
    const mixed = await cloud.kinesis.send(
      new PutRecordsCommand({
        StreamName,
        Records: [entry('to-0', 'first', '0'), entry('to-1', 'second', high), entry('to-0', 'third', '0')],
      }),
    );
    cloud.advance(1000);
    const retried = await cloud.kinesis.send(
      new PutRecordsCommand({ StreamName, Records: [entry('to-0', 'first', '0'), entry('to-0', 'third', '0')] }),
    );

    // Assess
    expect(mixed.FailedRecordCount).toBe(2);
    const failed = {
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream ${StreamName} under account 000000000000.`,
    };
    expect(mixed.Records?.[0]).toEqual(failed);
    expect(mixed.Records?.[1]).toEqual({
      ShardId: 'shardId-000000000001',
      SequenceNumber: expect.stringMatching(/^\d{56}$/),
    });
    expect(mixed.Records?.[2]).toEqual(failed);
    expect(retried.FailedRecordCount).toBe(0);
    expect(retried.Records?.map((r) => r.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000000']);
  });

  it.each([
    {
      name: 'an entry with data over 1 MiB',
      records: [entry('ok', 'x'), { PartitionKey: 'big', Data: new Uint8Array(1_048_577) }],
      code: 'ValidationException',
      message:
        "1 validation error detected: Value at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    },
    {
      name: 'an entry with an empty partition key',
      records: [entry('', 'x')],
      code: 'ValidationException',
      message: "Value '' at 'records.1.member.partitionKey' failed to satisfy constraint",
    },
    {
      name: '501 entries',
      records: Array.from({ length: 501 }, (_, i) => entry(`k${i}`, 'x')),
      code: 'ValidationException',
      message: "at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
    },
    {
      name: 'no entries',
      records: [],
      code: 'ValidationException',
      message: "at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
    },
    {
      name: 'more than 10 MiB in all',
      records: Array.from({ length: 11 }, (_, i) => ({ PartitionKey: `k${i}`, Data: new Uint8Array(1_000_000) })),
      code: 'InvalidArgumentException',
      message: 'Records size exceeds 10 MB limit',
    },
  ])('rejects the whole request for $name, storing nothing', async ({ records, code, message }) => {
    // Prepare
    const StreamName = streamName('rejected');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));

    // Act
    const error = await failure(cloud.kinesis.send(new PutRecordsCommand({ StreamName, Records: records })));
    const stored = await readAll(cloud, StreamName, 'shardId-000000000000');

    // Assess
    expect(error.name).toBe(code);
    expect(error.message).toContain(message);
    expect(stored).toEqual([]);
  });
});
