import { ACCOUNT_ID } from '../edge/types.ts';
import type { KinesisContext, KinesisStream } from './context.ts';
import { KinesisError } from './errors.ts';
import { HASH_KEY_SPACE, inRange, partitionKeyHash } from './hash.ts';
import type { KinesisShardRecord } from './record.ts';

/** The open shard whose hash key range holds the record's hash key (ExplicitHashKey, else MD5 of the partition key). */
export function routeRecord(stream: KinesisStream, partitionKey: string, explicitHashKey: string | undefined): string {
  let hashKey: bigint;
  if (explicitHashKey === undefined) {
    hashKey = partitionKeyHash(partitionKey);
  } else {
    hashKey = BigInt(explicitHashKey);
    if (hashKey >= HASH_KEY_SPACE) {
      throw new KinesisError(
        'InvalidArgumentException',
        `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicitHashKey}`,
      );
    }
  }
  const shard = stream.shards.shards.find(
    (s) => s.endingSequenceNumber === undefined && s.hashKeyRange !== undefined && inRange(hashKey, s.hashKeyRange),
  );
  if (!shard) throw new KinesisError('InternalFailure', 'Internal Service Failure');
  return shard.shardId;
}

export function throughputExceededMessage(stream: KinesisStream, shardId: string): string {
  return `Rate exceeded for shard ${shardId} in stream ${stream.name} under account ${ACCOUNT_ID}.`;
}

/** Appends one record to a shard and tells the trace. */
export function appendRecord(
  context: KinesisContext,
  stream: KinesisStream,
  shardId: string,
  payload: { data: string; partitionKey: string; explicitHashKey?: string },
  requestId: string,
): KinesisShardRecord {
  const record = context.store.append(stream.arn, shardId, payload);
  context.trace.publish(
    'kinesis.record',
    { stream: stream.name, shardId, partitionKey: payload.partitionKey, sequenceNumber: record.sequenceNumber },
    requestId,
  );
  return record;
}

/** Bytes a record counts against a shard's write limit: its data and its partition key. */
export function recordBytes(data: string, partitionKey: string): number {
  return Buffer.byteLength(data, 'base64') + Buffer.byteLength(partitionKey, 'utf8');
}
