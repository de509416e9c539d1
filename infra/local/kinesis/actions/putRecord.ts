import type { Action } from '../context.ts';
import { KinesisError } from '../errors.ts';
import { appendRecord, recordBytes, routeRecord, throughputExceededMessage } from '../put.ts';
import {
  DATA,
  HASH_KEY,
  PARTITION_KEY,
  type Rules,
  SEQUENCE_NUMBER,
  STREAM_ARN,
  STREAM_NAME,
  validate,
} from '../validation.ts';

const RULES: Rules = {
  StreamName: STREAM_NAME,
  StreamARN: STREAM_ARN,
  Data: DATA,
  PartitionKey: PARTITION_KEY,
  ExplicitHashKey: HASH_KEY,
  SequenceNumberForOrdering: SEQUENCE_NUMBER,
};

/**
 * PutRecord. SequenceNumberForOrdering is satisfied by construction: sequence numbers here always
 * increase, so a later put for the same partition key always sorts after the earlier one.
 */
export const putRecord: Action = (context, input, request) => {
  validate(input, RULES);
  const stream = context.activeStream(input);
  const data = input.Data as string;
  const partitionKey = input.PartitionKey as string;
  const explicitHashKey = input.ExplicitHashKey as string | undefined;
  const shardId = routeRecord(stream, partitionKey, explicitHashKey);
  if (!context.admitWrite(stream, shardId, recordBytes(data, partitionKey))) {
    throw new KinesisError('ProvisionedThroughputExceededException', throughputExceededMessage(stream, shardId));
  }
  const record = appendRecord(
    context,
    stream,
    shardId,
    { data, partitionKey, ...(explicitHashKey === undefined ? {} : { explicitHashKey }) },
    request.requestId,
  );
  return { ShardId: shardId, SequenceNumber: record.sequenceNumber, EncryptionType: 'NONE' };
};
