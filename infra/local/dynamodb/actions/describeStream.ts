import type { DynamoDBAction } from '../context.ts';
import { streamNotFound } from '../context.ts';
import { SHARD_ID, STREAM_ARN, validateInput } from '../validation.ts';

/**
 * DynamoDB Streams DescribeStream (shape recorded: dynamodbstreams-keys-only-insert-modify-remove.json). An open
 * shard has only a StartingSequenceNumber; a disabled stream's shard is closed with an EndingSequenceNumber.
 */
export const describeStream: DynamoDBAction = async ({ streams }, input) => {
  validateInput(input, {
    StreamArn: { ...STREAM_ARN, required: true },
    Limit: { type: 'Integer', min: 1, max: 100 },
    ExclusiveStartShardId: SHARD_ID,
  });
  const arn = input.StreamArn as string;
  const stream = streams.get(arn);
  const shards = streams.store.get(arn);
  if (stream === undefined || shards === undefined) throw streamNotFound(arn);
  const after = input.ExclusiveStartShardId as string | undefined;
  const start = after === undefined ? 0 : shards.shards.findIndex((shard) => shard.shardId === after) + 1;
  const limit = (input.Limit as number | undefined) ?? 100;
  const page = shards.shards.slice(start, start + limit);
  return {
    StreamDescription: {
      CreationRequestDateTime: stream.createdAt / 1000,
      KeySchema: stream.keySchema,
      Shards: page.map((shard) => ({
        SequenceNumberRange: {
          StartingSequenceNumber: shard.startingSequenceNumber,
          ...(shard.endingSequenceNumber === undefined ? {} : { EndingSequenceNumber: shard.endingSequenceNumber }),
        },
        ShardId: shard.shardId,
        ...(shard.parentShardId === undefined ? {} : { ParentShardId: shard.parentShardId }),
      })),
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: stream.status,
      StreamViewType: stream.viewType,
      TableName: stream.tableName,
      ...(start + limit < shards.shards.length ? { LastEvaluatedShardId: page.at(-1)!.shardId } : {}),
    },
  };
};
