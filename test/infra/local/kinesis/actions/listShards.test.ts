import { CreateStreamCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

describe('ListShards', () => {
  let cloud: KinesisTestCloud;
  const StreamName = streamName('sharded');
  beforeAll(async () => {
    cloud = await startKinesisCloud();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 5 }));
  });
  afterAll(async () => {
    await cloud?.close();
  });

  const ids = (shards: { ShardId?: string }[] | undefined) => (shards ?? []).map((s) => s.ShardId?.slice(-1));

  it('lists every shard with its hash key and sequence number ranges', async () => {
    // Act
    const { Shards, NextToken } = await cloud.kinesis.send(new ListShardsCommand({ StreamName }));

    // Assess
    expect(ids(Shards)).toEqual(['0', '1', '2', '3', '4']);
    expect(NextToken).toBeUndefined();
    expect(Shards?.[0]?.HashKeyRange?.StartingHashKey).toBe('0');
    expect(Shards?.[4]?.HashKeyRange?.EndingHashKey).toBe((2n ** 128n - 1n).toString());
    expect(Shards?.[0]?.SequenceNumberRange?.StartingSequenceNumber).toMatch(/^\d{56}$/);
  });

  it('pages with MaxResults and a NextToken that names the stream alone', async () => {
    // Act
    const first = await cloud.kinesis.send(
      new ListShardsCommand({ StreamARN: cloud.service.streamArn(StreamName), MaxResults: 2 }),
    );
    const second = await cloud.kinesis.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 2 }));
    const third = await cloud.kinesis.send(new ListShardsCommand({ NextToken: second.NextToken, MaxResults: 2 }));

    // Assess
    expect([ids(first.Shards), ids(second.Shards), ids(third.Shards)]).toEqual([['0', '1'], ['2', '3'], ['4']]);
    expect(third.NextToken).toBeUndefined();
  });

  it.each([
    { request: { ExclusiveStartShardId: 'shardId-000000000002' }, expected: ['3', '4'] },
    { request: { ShardFilter: { Type: 'AFTER_SHARD_ID' as const, ShardId: 'shardId-000000000003' } }, expected: ['4'] },
    { request: { ShardFilter: { Type: 'AT_LATEST' as const } }, expected: ['0', '1', '2', '3', '4'] },
  ])('filters with $request', async ({ request, expected }) => {
    // Act
    const { Shards } = await cloud.kinesis.send(new ListShardsCommand({ StreamName, ...request }));

    // Assess
    expect(ids(Shards)).toEqual(expected);
  });

  it('answers InvalidArgumentException for NextToken with StreamName, and ResourceNotFoundException for an unknown stream', async () => {
    // Prepare
    const { NextToken } = await cloud.kinesis.send(new ListShardsCommand({ StreamName, MaxResults: 1 }));

    // Act
    const both = await failure(cloud.kinesis.send(new ListShardsCommand({ StreamName, NextToken })));
    const missing = await failure(cloud.kinesis.send(new ListShardsCommand({ StreamName: 'absent' })));

    // Assess
    expect(both.name).toBe('InvalidArgumentException');
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});
