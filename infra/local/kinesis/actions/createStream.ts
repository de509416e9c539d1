import type { Action, StreamMode } from '../context.ts';
import { KinesisError } from '../errors.ts';
import { type Rules, STREAM_NAME, validate } from '../validation.ts';

/** An on-demand stream starts with 4 MiB/s of write capacity: four shards (Kinesis developer guide, on-demand mode). */
export const ON_DEMAND_SHARDS = 4;

const RULES: Rules = {
  StreamName: { ...STREAM_NAME, required: true },
  ShardCount: { type: 'integer', min: 1, max: 100_000 },
  StreamModeDetails: {
    type: 'object',
    members: { StreamMode: { type: 'string', required: true, enum: ['PROVISIONED', 'ON_DEMAND'] } },
  },
};

/**
 * CreateStream. Without StreamModeDetails, a ShardCount means PROVISIONED and no ShardCount means
 * ON_DEMAND (as AWS's Java example creates an on-demand stream from a name alone). Tags and the
 * record-size and warm-throughput settings are accepted and ignored.
 */
export const createStream: Action = (context, input) => {
  validate(input, RULES);
  const name = input.StreamName as string;
  const shardCount = input.ShardCount as number | undefined;
  const requested = (input.StreamModeDetails as { StreamMode?: StreamMode } | undefined)?.StreamMode;
  const mode: StreamMode = requested ?? (shardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
  if (mode === 'PROVISIONED' && shardCount === undefined) {
    throw new KinesisError('InvalidArgumentException', 'ShardCount is required for streams in PROVISIONED mode.');
  }
  if (mode === 'ON_DEMAND' && shardCount !== undefined) {
    throw new KinesisError('InvalidArgumentException', 'ShardCount cannot be specified for streams in ON_DEMAND mode.');
  }
  context.createStream(name, shardCount ?? ON_DEMAND_SHARDS, mode);
  return {};
};
