import type { Action } from '../context.ts';
import { KinesisError } from '../errors.ts';
import { appendRecord, recordBytes, routeRecord, throughputExceededMessage } from '../put.ts';
import { DATA, HASH_KEY, PARTITION_KEY, type Rules, STREAM_ARN, STREAM_NAME, validate } from '../validation.ts';

/** A PutRecords request carries at most 500 records and 10 MiB of data and partition keys (PutRecords API reference). */
export const MAX_PUT_RECORDS = 500;
export const MAX_PUT_RECORDS_BYTES = 10 * 1024 * 1024;

const RULES: Rules = {
  StreamName: STREAM_NAME,
  StreamARN: STREAM_ARN,
  Records: {
    type: 'array',
    required: true,
    minLength: 1,
    maxLength: MAX_PUT_RECORDS,
    members: { Data: DATA, PartitionKey: PARTITION_KEY, ExplicitHashKey: HASH_KEY },
  },
};

interface Entry {
  readonly Data: string;
  readonly PartitionKey: string;
  readonly ExplicitHashKey?: string;
}

/**
 * PutRecords. As on AWS, a malformed entry (data over 1 MiB, an empty or too long partition key)
 * fails the whole request with ValidationException, while an entry a shard cannot take — over its
 * 1 MiB / 1,000 records per second write limit — fails alone with
 * ProvisionedThroughputExceededException and FailedRecordCount counts it
 * (PutRecordsResultEntry: "ErrorCodes can be either ProvisionedThroughputExceededException or InternalFailure").
 */
export const putRecords: Action = (context, input, request) => {
  validate(input, RULES);
  const stream = context.activeStream(input);
  const entries = input.Records as Entry[];
  const total = entries.reduce((sum, e) => sum + recordBytes(e.Data, e.PartitionKey), 0);
  if (total > MAX_PUT_RECORDS_BYTES) {
    throw new KinesisError(
      'InvalidArgumentException',
      `Records size exceeds ${MAX_PUT_RECORDS_BYTES / 1024 / 1024} MB limit`,
    );
  }
  const shardIds = entries.map((e) => routeRecord(stream, e.PartitionKey, e.ExplicitHashKey));
  let failed = 0;
  const results = entries.map((entry, index) => {
    const shardId = shardIds[index]!;
    if (!context.admitWrite(stream, shardId, recordBytes(entry.Data, entry.PartitionKey))) {
      failed += 1;
      return {
        ErrorCode: 'ProvisionedThroughputExceededException',
        ErrorMessage: throughputExceededMessage(stream, shardId),
      };
    }
    const record = appendRecord(
      context,
      stream,
      shardId,
      {
        data: entry.Data,
        partitionKey: entry.PartitionKey,
        ...(entry.ExplicitHashKey === undefined ? {} : { explicitHashKey: entry.ExplicitHashKey }),
      },
      request.requestId,
    );
    return { SequenceNumber: record.sequenceNumber, ShardId: shardId };
  });
  return { FailedRecordCount: failed, Records: results, EncryptionType: 'NONE' };
};
