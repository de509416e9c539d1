import type { DynamoDBAction } from '../context.ts';
import { validateInput } from '../validation.ts';

/**
 * DynamoDB Streams GetRecords: up to Limit (≤ 1000) records and the next iterator, which is absent once a
 * closed shard (disabled stream) is read to its end. Expired iterators answer ExpiredIteratorException, reads
 * behind the 24-hour retention TrimmedDataAccessException (both from the shard engine).
 */
export const getRecords: DynamoDBAction = async ({ streams }, input) => {
  validateInput(input, {
    ShardIterator: { type: 'String', required: true, minLength: 1, maxLength: 2048 },
    Limit: { type: 'Integer', min: 1, max: 1000 },
  });
  const { records, nextIterator } = streams.store.read(
    input.ShardIterator as string,
    (input.Limit as number | undefined) ?? 1000,
  );
  return {
    Records: records.map((record) => record.payload),
    ...(nextIterator === undefined ? {} : { NextShardIterator: nextIterator }),
  };
};
