import { createHash } from 'node:crypto';
import { CreateStreamCommand, DescribeStreamCommand, PutRecordCommand, type Shard } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

/** The shard AWS's documented routing picks: MD5 of the key as a 128-bit integer, inside a shard's HashKeyRange. */
function expectedShard(shards: Shard[], partitionKey: string): string | undefined {
  const hashKey = BigInt(`0x${createHash('md5').update(partitionKey).digest('hex')}`);
  return shards.find(
    (s) => BigInt(s.HashKeyRange!.StartingHashKey!) <= hashKey && hashKey <= BigInt(s.HashKeyRange!.EndingHashKey!),
  )?.ShardId;
}

describe('PutRecord', () => {
  let cloud: KinesisTestCloud;
  let shards: Shard[];
  const StreamName = streamName('put');
  beforeAll(async () => {
    cloud = await startKinesisCloud();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 3 }));
    shards = (await cloud.kinesis.send(new DescribeStreamCommand({ StreamName }))).StreamDescription?.Shards ?? [];
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('routes 50 partition keys to the shard their MD5 hash key falls in', async () => {
    // Prepare
    const keys = Array.from({ length: 50 }, (_, i) => `user-${i}`);

    // Act
    const results = [];
    for (const PartitionKey of keys) {
      results.push(
        await cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey, Data: Buffer.from(PartitionKey) })),
      );
    }

    // Assess
    expect(results.map((r) => r.ShardId)).toEqual(keys.map((k) => expectedShard(shards, k)));
    expect(new Set(results.map((r) => r.ShardId)).size).toBe(3);
    for (const result of results) expect(result.SequenceNumber).toMatch(/^49\d{54}$/);
    expect(results[0]?.EncryptionType).toBe('NONE');
  });

  it('uses ExplicitHashKey instead of the partition key when given', async () => {
    // Act
    const low = await cloud.kinesis.send(
      new PutRecordCommand({ StreamName, PartitionKey: 'same', ExplicitHashKey: '0', Data: Buffer.from('a') }),
    );
    const high = await cloud.kinesis.send(
      new PutRecordCommand({
        StreamName,
        PartitionKey: 'same',
        ExplicitHashKey: (2n ** 128n - 1n).toString(),
        Data: Buffer.from('b'),
      }),
    );

    // Assess
    expect(low.ShardId).toBe('shardId-000000000000');
    expect(high.ShardId).toBe('shardId-000000000002');
  });

  it('gives increasing sequence numbers and publishes kinesis.record and kinesis.request to the trace', async () => {
    // Prepare
    const seen: { type: string; detail: Record<string, unknown> }[] = [];
    const unsubscribe = cloud.trace.subscribe((e) => seen.push({ type: e.type, detail: { ...e.detail } }));

    // Act
    const first = await cloud.kinesis.send(
      new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('1') }),
    );
    const second = await cloud.kinesis.send(
      new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('2') }),
    );
    unsubscribe();

    // Assess
    expect(BigInt(second.SequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!));
    expect(seen).toContainEqual({
      type: 'kinesis.record',
      detail: { stream: StreamName, shardId: first.ShardId, partitionKey: 'k', sequenceNumber: first.SequenceNumber },
    });
    expect(seen.find((e) => e.type === 'kinesis.request')?.detail).toMatchObject({
      operation: 'PutRecord',
      stream: StreamName,
      status: 200,
    });
  });

  it.each([
    {
      name: 'data over 1 MiB',
      request: { PartitionKey: 'k', Data: new Uint8Array(1_048_577) },
      code: 'ValidationException',
      message:
        "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    },
    {
      name: 'an empty partition key',
      request: { PartitionKey: '', Data: Buffer.from('x') },
      code: 'ValidationException',
      message:
        "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
    },
    {
      name: 'a partition key over 256 characters',
      request: { PartitionKey: 'p'.repeat(257), Data: Buffer.from('x') },
      code: 'ValidationException',
      message: 'Member must have length less than or equal to 256',
    },
    {
      name: 'an ExplicitHashKey of 2^128',
      request: { PartitionKey: 'k', ExplicitHashKey: (2n ** 128n).toString(), Data: Buffer.from('x') },
      code: 'InvalidArgumentException',
      message: 'Invalid ExplicitHashKey',
    },
    {
      name: 'a stream that does not exist',
      request: { StreamName: 'ghost', PartitionKey: 'k', Data: Buffer.from('x') },
      code: 'ResourceNotFoundException',
      message: 'Stream ghost under account 000000000000 not found.',
    },
  ])('answers $code for $name', async ({ request, code, message }) => {
    // Act
    const error = await failure(cloud.kinesis.send(new PutRecordCommand({ StreamName, ...request })));

    // Assess
    expect(error.name).toBe(code);
    expect(error.message).toContain(message);
  });

  it('accepts exactly 1 MiB of data', async () => {
    // Prepare: a fresh second for the shard
    cloud.advance(1000);

    // Act
    const result = await cloud.kinesis.send(
      new PutRecordCommand({ StreamName, PartitionKey: 'big', ExplicitHashKey: '0', Data: new Uint8Array(1_048_576) }),
    );

    // Assess
    expect(result.ShardId).toBe('shardId-000000000000');
  });
});

describe('PutRecord against the shard write limit', () => {
  let cloud: KinesisTestCloud;
  beforeAll(async () => {
    cloud = await startKinesisCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('answers ProvisionedThroughputExceededException past 1 MiB per second on a shard, and takes writes again the next second', async () => {
    // Prepare
    const StreamName = streamName('throttled');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    // data + partition key = exactly 1 MiB: the shard's whole second
    await cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: new Uint8Array(1_048_575) }));

    // Act
    const throttled = await failure(
      cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('x') })),
    );
    cloud.advance(1000);
    const later = await cloud.kinesis.send(
      new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('x') }),
    );

    // Assess
    expect(throttled.name).toBe('ProvisionedThroughputExceededException');
    expect(throttled.message).toBe(
      `Rate exceeded for shard shardId-000000000000 in stream ${StreamName} under account 000000000000.`,
    );
    expect(later.ShardId).toBe('shardId-000000000000');
  });
});
