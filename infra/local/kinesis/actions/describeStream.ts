import { ACCOUNT_ID } from '../../edge/types.ts';
import { type Action, describeShard, epochSeconds, type KinesisStream } from '../context.ts';
import { KinesisError } from '../errors.ts';
import { type Rules, SHARD_ID, STREAM_ARN, STREAM_NAME, validate } from '../validation.ts';

const RULES: Rules = {
  StreamName: STREAM_NAME,
  StreamARN: STREAM_ARN,
  Limit: { type: 'integer', min: 1, max: 10_000 },
  ExclusiveStartShardId: SHARD_ID,
};

/** Members DescribeStream and DescribeStreamSummary share. */
export function streamBasics(stream: KinesisStream): Record<string, unknown> {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: stream.status,
    StreamModeDetails: { StreamMode: stream.mode },
    RetentionPeriodHours: 24,
    StreamCreationTimestamp: epochSeconds(stream.createdAt),
    EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    EncryptionType: 'NONE',
  };
}

/** DescribeStream: up to `Limit` shards (default 100) after `ExclusiveStartShardId`. */
export const describeStream: Action = (context, input) => {
  validate(input, RULES);
  const stream = context.findStream(input);
  const limit = (input.Limit as number | undefined) ?? 100;
  const shards = stream.shards.shards;
  let start = 0;
  if (input.ExclusiveStartShardId !== undefined) {
    const index = shards.findIndex((s) => s.shardId === input.ExclusiveStartShardId);
    if (index === -1) {
      throw new KinesisError(
        'ResourceNotFoundException',
        `Shard ${String(input.ExclusiveStartShardId)} in stream ${stream.name} under account ${ACCOUNT_ID} does not exist`,
      );
    }
    start = index + 1;
  }
  const page = shards.slice(start, start + limit);
  return {
    StreamDescription: {
      ...streamBasics(stream),
      Shards: page.map(describeShard),
      HasMoreShards: start + page.length < shards.length,
    },
  };
};
