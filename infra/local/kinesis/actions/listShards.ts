import { type Action, decodeToken, describeShard, encodeToken } from '../context.ts';
import { KinesisError } from '../errors.ts';
import { type Rules, SHARD_ID, STREAM_ARN, STREAM_NAME, validate } from '../validation.ts';

const RULES: Rules = {
  StreamName: STREAM_NAME,
  StreamARN: STREAM_ARN,
  NextToken: { type: 'string', minLength: 1, maxLength: 1048576 },
  ExclusiveStartShardId: SHARD_ID,
  MaxResults: { type: 'integer', min: 1, max: 10_000 },
  StreamCreationTimestamp: { type: 'timestamp' },
  ShardFilter: {
    type: 'object',
    members: {
      Type: {
        type: 'string',
        required: true,
        enum: ['AFTER_SHARD_ID', 'AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST', 'AT_TIMESTAMP', 'FROM_TIMESTAMP'],
      },
      ShardId: SHARD_ID,
      Timestamp: { type: 'timestamp' },
    },
  },
};

/**
 * ListShards. NextToken names the stream itself, so StreamName/StreamARN/ExclusiveStartShardId may
 * not come with it. Streams here never reshard, so every shard is open and every ShardFilter but
 * AFTER_SHARD_ID selects them all.
 */
export const listShards: Action = (context, input) => {
  validate(input, RULES);
  let after = input.ExclusiveStartShardId as string | undefined;
  let ref: { StreamARN?: unknown; StreamName?: unknown } = input;
  if (input.NextToken !== undefined) {
    if (input.StreamName !== undefined || input.StreamARN !== undefined || input.ExclusiveStartShardId !== undefined) {
      throw new KinesisError(
        'InvalidArgumentException',
        'NextToken and StreamName, StreamARN or ExclusiveStartShardId cannot be provided together.',
      );
    }
    const token = decodeToken(input.NextToken as string);
    if (typeof token?.arn !== 'string' || typeof token.after !== 'string') {
      throw new KinesisError('InvalidArgumentException', 'Invalid NextToken.');
    }
    ref = { StreamARN: token.arn };
    after = token.after;
  }
  const filter = input.ShardFilter as { Type: string; ShardId?: string } | undefined;
  if (filter?.Type === 'AFTER_SHARD_ID') {
    if (filter.ShardId === undefined) {
      throw new KinesisError(
        'InvalidArgumentException',
        'ShardId must be provided for ShardFilter type AFTER_SHARD_ID.',
      );
    }
    after = after !== undefined && after > filter.ShardId ? after : filter.ShardId;
  }
  const stream = context.findStream(ref);
  const limit = (input.MaxResults as number | undefined) ?? 1000;
  const all = stream.shards.shards.filter((s) => after === undefined || s.shardId > after);
  const page = all.slice(0, limit);
  const last = page.at(-1);
  return {
    Shards: page.map(describeShard),
    ...(all.length > page.length && last ? { NextToken: encodeToken({ arn: stream.arn, after: last.shardId }) } : {}),
  };
};
