import { CreateStreamCommand, DescribeStreamCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

describe('DescribeStream', () => {
  let cloud: KinesisTestCloud;
  const StreamName = streamName('described');
  beforeAll(async () => {
    cloud = await startKinesisCloud();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 4 }));
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('describes the stream with shards splitting the 128-bit hash key space evenly', async () => {
    // Act
    const { StreamDescription } = await cloud.kinesis.send(new DescribeStreamCommand({ StreamName }));

    // Assess
    expect(StreamDescription).toMatchObject({
      StreamName,
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${StreamName}`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      HasMoreShards: false,
      RetentionPeriodHours: 24,
      EncryptionType: 'NONE',
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    });
    expect(StreamDescription?.StreamCreationTimestamp?.getTime()).toBe(cloud.now());
    const quarter = 2n ** 126n;
    expect(StreamDescription?.Shards?.map((s) => [s.ShardId, s.HashKeyRange])).toEqual(
      [0n, 1n, 2n, 3n].map((i) => [
        `shardId-00000000000${i}`,
        { StartingHashKey: (i * quarter).toString(), EndingHashKey: ((i + 1n) * quarter - 1n).toString() },
      ]),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      expect(shard.SequenceNumberRange?.StartingSequenceNumber).toMatch(/^49\d{54}$/);
      expect(shard.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
    }
  });

  it('pages shards with Limit and ExclusiveStartShardId', async () => {
    // Act
    const first = await cloud.kinesis.send(new DescribeStreamCommand({ StreamName, Limit: 3 }));
    const rest = await cloud.kinesis.send(
      new DescribeStreamCommand({ StreamName, Limit: 3, ExclusiveStartShardId: 'shardId-000000000002' }),
    );

    // Assess
    expect(first.StreamDescription?.Shards?.map((s) => s.ShardId)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
    ]);
    expect(first.StreamDescription?.HasMoreShards).toBe(true);
    expect(rest.StreamDescription?.Shards?.map((s) => s.ShardId)).toEqual(['shardId-000000000003']);
    expect(rest.StreamDescription?.HasMoreShards).toBe(false);
  });

  it('accepts the StreamARN instead of the name, and both when they agree', async () => {
    // Prepare
    const StreamARN = cloud.service.streamArn(StreamName);

    // Act
    const byArn = await cloud.kinesis.send(new DescribeStreamCommand({ StreamARN }));
    const byBoth = await cloud.kinesis.send(new DescribeStreamCommand({ StreamARN, StreamName }));

    // Assess
    expect(byArn.StreamDescription?.StreamName).toBe(StreamName);
    expect(byBoth.StreamDescription?.StreamName).toBe(StreamName);
  });

  it.each([
    {
      request: { StreamName: 'missing' },
      code: 'ResourceNotFoundException',
      message: 'Stream missing under account 000000000000 not found.',
    },
    {
      request: { StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/missing' },
      code: 'ResourceNotFoundException',
      message: 'Stream missing under account 000000000000 not found.',
    },
    { request: {}, code: 'InvalidArgumentException', message: 'Either StreamName or StreamARN should be provided.' },
    {
      request: { StreamName: 'other', StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/missing' },
      code: 'InvalidArgumentException',
      message: 'do not name the same stream',
    },
    {
      request: { StreamARN: 'not-an-arn' },
      code: 'ValidationException',
      message: "at 'streamARN' failed to satisfy constraint",
    },
    { request: { StreamName: 'x', Limit: 0 }, code: 'ValidationException', message: "Value '0' at 'limit'" },
  ])('answers $code for $request', async ({ request, code, message }) => {
    // Act
    const error = await failure(cloud.kinesis.send(new DescribeStreamCommand(request)));

    // Assess
    expect(error.name).toBe(code);
    expect(error.message).toContain(message);
  });
});
