import type { KinesisStreamRecord } from 'aws-lambda';
import type { ShardRecord } from '../streams/shard-store.ts';

/** What the shard store keeps for one Kinesis record. */
export interface KinesisRecordPayload {
  /** The data blob, base64 — as GetRecords and Lambda events carry it. */
  readonly data: string;
  readonly partitionKey: string;
  /** Set when the producer chose the shard with ExplicitHashKey. */
  readonly explicitHashKey?: string;
}

export type KinesisShardRecord = ShardRecord<KinesisRecordPayload>;

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
