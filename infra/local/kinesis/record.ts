import type { KinesisStreamRecord } from 'aws-lambda';
import type { PayloadCodec, ShardRecord } from '../streams/shard-store.ts';

/** What the shard store keeps for one Kinesis record. */
export interface KinesisRecordPayload {
  /** The data blob, base64 — as GetRecords and Lambda events carry it. */
  readonly data: string;
  readonly partitionKey: string;
  /** Set when the producer chose the shard with ExplicitHashKey. */
  readonly explicitHashKey?: string;
}

export type KinesisShardRecord = ShardRecord<KinesisRecordPayload>;

/**
 * A Kinesis record as the shard store keeps it: the partition key's length and UTF-8 bytes, the
 * explicit hash key's length + 1 (0: none) and its digits, then the data blob's own bytes (as
 * AWS keeps them; base64 only on the wire). Lengths are 32-bit little-endian.
 */
export const KINESIS_RECORD_CODEC: PayloadCodec<KinesisRecordPayload> = {
  encode({ data, partitionKey, explicitHashKey }) {
    const keyBytes = Buffer.byteLength(partitionKey, 'utf8');
    const hashKeyBytes = explicitHashKey === undefined ? 0 : Buffer.byteLength(explicitHashKey, 'latin1');
    const bytes = Buffer.allocUnsafe(8 + keyBytes + hashKeyBytes + Buffer.byteLength(data, 'base64'));
    let at = bytes.writeUInt32LE(keyBytes, 0);
    at += bytes.write(partitionKey, at, 'utf8');
    at = bytes.writeUInt32LE(explicitHashKey === undefined ? 0 : hashKeyBytes + 1, at);
    if (explicitHashKey !== undefined) at += bytes.write(explicitHashKey, at, 'latin1');
    at += bytes.write(data, at, 'base64');
    return bytes.subarray(0, at);
  },
  decode(bytes) {
    const keyEnd = 4 + bytes.readUInt32LE(0);
    const partitionKey = bytes.toString('utf8', 4, keyEnd);
    const hashKeyField = bytes.readUInt32LE(keyEnd);
    const dataStart = keyEnd + 4 + Math.max(0, hashKeyField - 1);
    const data = bytes.toString('base64', dataStart);
    return hashKeyField === 0
      ? { data, partitionKey }
      : { data, partitionKey, explicitHashKey: bytes.toString('latin1', keyEnd + 4, dataStart) };
  },
};

/** aws-lambda's KinesisStreamRecord with the constant members narrowed. */
export type LambdaKinesisRecord = KinesisStreamRecord & {
  readonly eventSource: 'aws:kinesis';
  readonly eventName: 'aws:kinesis:record';
};

export interface LambdaRecordSource {
  /** ARN of the stream the record came from. */
  readonly streamArn: string;
  readonly shardId: string;
  /** The event source mapping's function's execution role. */
  readonly invokeIdentityArn: string;
  /** @default the region in `streamArn` */
  readonly region?: string;
}

/**
 * One record of a Kinesis event for a Lambda function, in AWS's shape (Lambda developer guide,
 * "Using Lambda with Kinesis", example event): `kinesis.data` is base64 and
 * `approximateArrivalTimestamp` epoch seconds with milliseconds as the fraction.
 */
export function toLambdaKinesisRecord(record: KinesisShardRecord, source: LambdaRecordSource): LambdaKinesisRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.payload.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: record.payload.data,
      approximateArrivalTimestamp: record.arrivalTime / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${source.shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: source.invokeIdentityArn,
    awsRegion: source.region ?? source.streamArn.split(':')[3] ?? 'us-east-1',
    eventSourceARN: source.streamArn,
  };
}

/** A record as GetRecords answers it (JSON 1.1: timestamps in epoch seconds, blobs base64). */
export function toApiRecord(record: KinesisShardRecord): Record<string, unknown> {
  return {
    SequenceNumber: record.sequenceNumber,
    ApproximateArrivalTimestamp: record.arrivalTime / 1000,
    Data: record.payload.data,
    PartitionKey: record.payload.partitionKey,
  };
}
