import type { StartingPosition } from '../../streams/shard-store.ts';
import type { DynamoDBAction } from '../context.ts';
import { streamNotFound } from '../context.ts';
import { DynamoDBError, validationError } from '../errors.ts';
import { SEQUENCE_NUMBER, SHARD_ID, STREAM_ARN, validateInput } from '../validation.ts';

/** DynamoDB Streams GetShardIterator; iterators expire after 15 minutes (the shard engine checks on read). */
export const getShardIterator: DynamoDBAction = async ({ streams }, input) => {
  validateInput(input, {
    StreamArn: { ...STREAM_ARN, required: true },
    ShardId: { ...SHARD_ID, required: true },
    ShardIteratorType: {
      type: 'String',
      required: true,
      enum: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'],
    },
    SequenceNumber: SEQUENCE_NUMBER,
  });
  const arn = input.StreamArn as string;
  const shardId = input.ShardId as string;
  const type = input.ShardIteratorType as 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';
  const sequenceNumber = input.SequenceNumber as string | undefined;
  const shards = streams.store.get(arn);
  if (streams.get(arn) === undefined || shards === undefined) throw streamNotFound(arn);
  if (!shards.shards.some((shard) => shard.shardId === shardId)) {
    throw new DynamoDBError(
      'ResourceNotFoundException',
      `Requested resource not found: Shard: ${shardId} in Stream: ${arn} not found`,
    );
  }
  let position: StartingPosition;
  if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
    if (sequenceNumber === undefined) {
      throw validationError(`SequenceNumber is required for ShardIteratorType ${type}`);
    }
    if (!/^\d+$/.test(sequenceNumber)) throw validationError(`Invalid SequenceNumber: ${sequenceNumber}`);
    position = { type, sequenceNumber };
  } else {
    if (sequenceNumber !== undefined) {
      throw validationError(`SequenceNumber must not be specified for ShardIteratorType ${type}`);
    }
    position = { type };
  }
  return { ShardIterator: streams.store.iterator(arn, shardId, position) };
};
