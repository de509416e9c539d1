import { type ShardStore, ShardStoreError } from '../../streams/shard-store.ts';
import type { Action } from '../context.ts';
import { KinesisError } from '../errors.ts';
import { type KinesisRecordPayload, toApiRecord } from '../record.ts';
import { type Rules, STREAM_ARN, validate } from '../validation.ts';

/** GetRecords returns at most 10,000 records a call; a larger Limit is an InvalidArgumentException (API reference). */
export const MAX_GET_RECORDS = 10_000;

const RULES: Rules = {
  ShardIterator: { type: 'string', required: true, minLength: 1, maxLength: 512 },
  Limit: { type: 'integer', min: 1 },
  StreamARN: STREAM_ARN,
};

function readOrTranslate(store: ShardStore<KinesisRecordPayload>, iterator: string, limit: number) {
  try {
    return store.read(iterator, limit);
  } catch (error) {
    if (!(error instanceof ShardStoreError)) throw error;
    switch (error.code) {
      case 'ExpiredIteratorException':
        throw new KinesisError('ExpiredIteratorException', error.message, { cause: error });
      case 'TrimmedDataAccessException': {
        // Kinesis has no such error: an iterator behind the trim horizon reads from the oldest record.
        const { streamArn, shardId } = store.iteratorTarget(iterator);
        return store.read(store.iterator(streamArn, shardId, { type: 'TRIM_HORIZON' }), limit);
      }
      case 'ResourceNotFoundException':
        throw new KinesisError('ResourceNotFoundException', error.message, { cause: error });
      default:
        throw new KinesisError('InvalidArgumentException', 'Invalid ShardIterator.', { cause: error });
    }
  }
}

/** GetRecords: records from an iterator's position on, with the iterator for the next call. */
export const getRecords: Action = (context, input) => {
  validate(input, RULES);
  const limit = (input.Limit as number | undefined) ?? MAX_GET_RECORDS;
  if (limit > MAX_GET_RECORDS) {
    throw new KinesisError(
      'InvalidArgumentException',
      `Limit cannot be greater than ${MAX_GET_RECORDS}. Limit: ${limit}`,
    );
  }
  const iterator = input.ShardIterator as string;
  let target: { streamArn: string; shardId: string };
  try {
    target = context.store.iteratorTarget(iterator);
  } catch (error) {
    throw new KinesisError('InvalidArgumentException', 'Invalid ShardIterator.', { cause: error });
  }
  if (input.StreamARN !== undefined && input.StreamARN !== target.streamArn) {
    throw new KinesisError(
      'InvalidArgumentException',
      `The ShardIterator does not belong to stream ${String(input.StreamARN)}.`,
    );
  }
  context.findStream({ StreamARN: target.streamArn });
  const { records, nextIterator, millisBehindLatest } = readOrTranslate(context.store, iterator, limit);
  return {
    Records: records.map(toApiRecord),
    ...(nextIterator === undefined ? {} : { NextShardIterator: nextIterator }),
    MillisBehindLatest: millisBehindLatest,
  };
};
