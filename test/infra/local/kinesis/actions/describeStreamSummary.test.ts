import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

describe('DescribeStreamSummary', () => {
  let cloud: KinesisTestCloud;
  beforeAll(async () => {
    cloud = await startKinesisCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('summarises the stream without its shards', async () => {
    // Prepare
    const StreamName = streamName();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));

    // Act
    const { StreamDescriptionSummary } = await cloud.kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));

    // Assess
    expect(StreamDescriptionSummary).toEqual({
      StreamName,
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${StreamName}`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: new Date(cloud.now()),
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      EncryptionType: 'NONE',
      OpenShardCount: 2,
      ConsumerCount: 0,
    });
  });

  it('answers ResourceNotFoundException for an unknown stream', async () => {
    // Act
    const error = await failure(cloud.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'nope' })));

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Stream nope under account 000000000000 not found.');
  });
});
