import { randomUUID } from 'node:crypto';
import type { ShardRecord } from '../../streams/shard-store.ts';
import type { StreamKind } from './types.ts';

/**
 * Builders for what the poller sends: the invocation event (`{Records: [...]}`) and the on-failure
 * invocation record. Shapes recorded against AWS: test/recordings/aws/dynamodb-esm-*.json.
 */

/** One record of a batch: its place in the shard and the record the function receives. */
export interface BatchEntry {
  /** The shard store's sequence number (checkpoints). */
  readonly sequenceNumber: string;
  /**
   * The sequence number as the function sees it (`dynamodb.SequenceNumber`,
   * `kinesis.sequenceNumber`): what a batchItemFailures itemIdentifier names.
   */
  readonly itemIdentifier: string;
  /** Epoch milliseconds. */
  readonly arrivalTime: number;
  readonly lambdaRecord: Record<string, unknown>;
  /** Bytes of `JSON.stringify(lambdaRecord)`. */
  readonly size: number;
}

/** Synchronous invocation payload limit (6 MB), which caps a batch. */
export const MAX_BATCH_BYTES = 6_291_456;
/** `{"Records":[` + `]}`. */
export const EVENT_ENVELOPE_BYTES = 14;

/**
 * A DynamoDB Streams record as a function receives it: the stored stream record plus
 * `eventSourceARN` (recorded: test/recordings/aws/dynamodb-esm-event-insert-new-image.json).
 * ApproximateCreationDateTime is a number of epoch seconds in the event.
 */
export function dynamodbLambdaRecord(payload: unknown, streamArn: string): Record<string, unknown> {
  const record = { ...(payload as Record<string, unknown>) };
  const dynamodb = record.dynamodb as Record<string, unknown> | undefined;
  if (dynamodb && dynamodb.ApproximateCreationDateTime instanceof Date) {
    record.dynamodb = {
      ...dynamodb,
      ApproximateCreationDateTime: dynamodb.ApproximateCreationDateTime.getTime() / 1000,
    };
  }
  return { ...record, eventSourceARN: streamArn };
}

function visibleSequenceNumber(lambdaRecord: Record<string, unknown>): string | undefined {
  const dynamodb = lambdaRecord.dynamodb as { SequenceNumber?: unknown } | undefined;
  if (typeof dynamodb?.SequenceNumber === 'string') return dynamodb.SequenceNumber;
  const kinesis = lambdaRecord.kinesis as { sequenceNumber?: unknown } | undefined;
  if (typeof kinesis?.sequenceNumber === 'string') return kinesis.sequenceNumber;
  return undefined;
}

export function batchEntry(record: ShardRecord<unknown>, lambdaRecord: Record<string, unknown>): BatchEntry {
  return {
    sequenceNumber: record.sequenceNumber,
    itemIdentifier: visibleSequenceNumber(lambdaRecord) ?? record.sequenceNumber,
    arrivalTime: record.arrivalTime,
    lambdaRecord,
    size: Buffer.byteLength(JSON.stringify(lambdaRecord)),
  };
}

export function invocationEvent(batch: readonly BatchEntry[]): string {
  return `{"Records":[${batch.map((entry) => JSON.stringify(entry.lambdaRecord)).join(',')}]}`;
}

/** Why a batch was discarded, in AWS's words. */
export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface FailureContext {
  readonly uuid: string;
  readonly kind: StreamKind;
  readonly streamArn: string;
  readonly shardId: string;
  readonly functionArn: string;
  readonly condition: FailureCondition;
  readonly requestId: string;
  readonly approximateInvokeCount: number;
  /** Status of the last invocation (200 when the function ran). */
  readonly statusCode: number;
  /** `Unhandled` when the function errored, null when it answered (e.g. a partial batch failure). */
  readonly functionError: string | null;
  readonly now: number;
}

/** DynamoDB writes approximateArrival* without milliseconds, Kinesis with (AWS's documented examples). */
function arrival(kind: StreamKind, time: number): string {
  const iso = new Date(time).toISOString();
  return kind === 'dynamodb' ? iso.replace(/\.\d{3}Z$/, 'Z') : iso;
}

/**
 * The on-failure invocation record (recorded: test/recordings/aws/dynamodb-esm-onfailure-sqs.json).
 * An S3 destination also gets the whole event as `payload` (dynamodb-esm-onfailure-s3.json).
 */
export function onFailureRecord(
  context: FailureContext,
  batch: readonly BatchEntry[],
  { withPayload }: { withPayload: boolean },
): Record<string, unknown> {
  const first = batch[0]!;
  const last = batch.at(-1)!;
  return {
    requestContext: {
      requestId: context.requestId,
      functionArn: context.functionArn,
      condition: context.condition,
      approximateInvokeCount: context.approximateInvokeCount,
    },
    responseContext: {
      statusCode: context.statusCode,
      executedVersion: '$LATEST',
      functionError: context.functionError,
    },
    version: '1.0',
    timestamp: new Date(context.now).toISOString(),
    [context.kind === 'dynamodb' ? 'DDBStreamBatchInfo' : 'KinesisBatchInfo']: {
      shardId: context.shardId,
      startSequenceNumber: first.itemIdentifier,
      endSequenceNumber: last.itemIdentifier,
      approximateArrivalOfFirstRecord: arrival(context.kind, first.arrivalTime),
      approximateArrivalOfLastRecord: arrival(context.kind, last.arrivalTime),
      batchSize: batch.length,
      streamArn: context.streamArn,
    },
    ...(withPayload ? { payload: { Records: batch.map((entry) => entry.lambdaRecord) } } : {}),
  };
}

/**
 * Key of the on-failure object in an S3 destination, as documented:
 * `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`.
 */
export function onFailureObjectKey(uuid: string, shardId: string, now: number, random: string = randomUUID()): string {
  const iso = new Date(now).toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19).replaceAll(':', '.');
  return `aws/lambda/${uuid}/${shardId}/${day.replaceAll('-', '/')}/${day}T${time}-${random}`;
}
