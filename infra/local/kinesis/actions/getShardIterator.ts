import { ACCOUNT_ID } from '../../edge/types.ts';
import type { Shard, StartingPosition } from '../../streams/shard-store.ts';
import type { Action } from '../context.ts';
import { KinesisError } from '../errors.ts';
import type { KinesisRecordPayload } from '../record.ts';
import { type Rules, SEQUENCE_NUMBER, SHARD_ID, STREAM_ARN, STREAM_NAME, validate } from '../validation.ts';

const ITERATOR_TYPES = [
  'AT_SEQUENCE_NUMBER',
  'AFTER_SEQUENCE_NUMBER',
  'TRIM_HORIZON',
  'LATEST',
  'AT_TIMESTAMP',
] as const;

const RULES: Rules = {
  StreamName: STREAM_NAME,
  StreamARN: STREAM_ARN,
  ShardId: { ...SHARD_ID, required: true },
  ShardIteratorType: { type: 'string', required: true, enum: ITERATOR_TYPES },
  StartingSequenceNumber: SEQUENCE_NUMBER,
  Timestamp: { type: 'timestamp' },
};

/** GetShardIterator: an iterator that expires after 5 minutes (the store's `iteratorTtlMs`). */
export const getShardIterator: Action = (context, input) => {
  validate(input, RULES);
  const stream = context.activeStream(input);
  const shardId = input.ShardId as string;
  const shard = stream.shards.shards.find((s) => s.shardId === shardId);
  if (!shard) {
    throw new KinesisError(
      'ResourceNotFoundException',
      `Shard ${shardId} in stream ${stream.name} under account ${ACCOUNT_ID} does not exist`,
    );
  }
  const type = input.ShardIteratorType as (typeof ITERATOR_TYPES)[number];
  let position: StartingPosition;
  switch (type) {
    case 'TRIM_HORIZON':
    case 'LATEST':
      position = { type };
      break;
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      const sequenceNumber = input.StartingSequenceNumber as string | undefined;
      if (sequenceNumber === undefined) {
        throw new KinesisError(
          'InvalidArgumentException',
          `The StartingSequenceNumber must be provided for the ShardIteratorType ${type}.`,
        );
      }
      if (!belongsToShard(BigInt(sequenceNumber), shard, BigInt(stream.shards.latest()))) {
        throw new KinesisError(
          'InvalidArgumentException',
          `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shardId} in stream ${stream.name} under account ${ACCOUNT_ID} is invalid.`,
        );
      }
      position = { type, sequenceNumber };
      break;
    }
    case 'AT_TIMESTAMP': {
      if (input.Timestamp === undefined) {
        throw new KinesisError(
          'InvalidArgumentException',
          'The Timestamp must be provided for the ShardIteratorType AT_TIMESTAMP.',
        );
      }
      const timestamp = Math.round((input.Timestamp as number) * 1000);
      const now = context.now();
      if (timestamp > now) {
        throw new KinesisError(
          'InvalidArgumentException',
          `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${timestamp}, currentTimestampInMillis: ${now}`,
        );
      }
      position = { type, timestamp };
      break;
    }
  }
  return { ShardIterator: context.store.iterator(stream.arn, shardId, position) };
};

/**
 * Whether a sequence number names a position in this shard: the shard's starting sequence number,
 * one of its retained records, or one it has trimmed. Sequence numbers increase across the whole
 * stream, so the numbers in between belong to other shards (AWS answers InvalidArgumentException for those).
 */
function belongsToShard(sequence: bigint, shard: Shard<KinesisRecordPayload>, latest: bigint): boolean {
  if (sequence < BigInt(shard.startingSequenceNumber) || sequence >= latest) return false;
  if (sequence === BigInt(shard.startingSequenceNumber)) return true;
  if (shard.trimmedThrough !== undefined && sequence <= shard.trimmedThrough) return true;
  return shard.sequenceAt(shard.indexAtOrAfter(sequence)) === sequence;
}
