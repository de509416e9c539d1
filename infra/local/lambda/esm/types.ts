import type { ShardRecord, ShardStore } from '../../streams/shard-store.ts';
import type { LambdaInvoker } from '../invoker.ts';

/**
 * Shapes of Lambda's event source mappings for stream sources (DynamoDB Streams, Kinesis), as the
 * Lambda API reference names them (CreateEventSourceMapping / EventSourceMappingConfiguration).
 */

/** AWS's mapping states; the transitional ones last a moment locally. */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

export type StreamKind = 'dynamodb' | 'kinesis';

export type StartingPositionName = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** One pattern of `FilterCriteria.Filters`: the JSON text as sent. */
export interface Filter {
  readonly Pattern: string;
}

/** The configuration the API returns (GetEventSourceMapping), in AWS's member order. */
export interface MappingConfiguration {
  BatchSize: number;
  BisectBatchOnFunctionError: boolean;
  DestinationConfig: { OnFailure: { Destination?: string } };
  EventSourceArn: string;
  EventSourceMappingArn: string;
  FilterCriteria?: { Filters: Filter[] };
  FunctionArn: string;
  FunctionResponseTypes: string[];
  /** Epoch seconds (the SDK turns it into a Date). */
  LastModified: number;
  LastProcessingResult: string;
  MaximumBatchingWindowInSeconds: number;
  MaximumRecordAgeInSeconds: number;
  MaximumRetryAttempts: number;
  ParallelizationFactor: number;
  StartingPosition: StartingPositionName;
  /** Epoch seconds, with AT_TIMESTAMP only. */
  StartingPositionTimestamp?: number;
  State: MappingState;
  StateTransitionReason: string;
  TumblingWindowInSeconds: number;
  UUID: string;
}

/**
 * Where a shard's poller resumes: the first record not yet processed. `position` is the next
 * sequence number to read, or the mapping's starting position before anything was read.
 */
export type Checkpoint =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: number }
  | { readonly type: 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

/** A mapping as the service keeps it: configuration plus per-shard checkpoints. */
export interface MappingRecord {
  readonly config: MappingConfiguration;
  readonly kind: StreamKind;
  /** shardId → where to resume. */
  readonly checkpoints: Record<string, Checkpoint>;
  /** Where shards the poller has not seen yet start (LATEST is fixed when the mapping is created). */
  initialPosition: Checkpoint;
  /**
   * `createdAt` of the stream the checkpoints belong to. A stream with the same ARN but another
   * creation time was recreated (after a restart DynamoDB and Kinesis start their streams empty),
   * so the mapping reads it from TRIM_HORIZON.
   */
  streamCreatedAt?: number;
  /** What the user asked for (`Enabled`); State follows it after a transition. */
  enabled: boolean;
  /** DeleteEventSourceMapping was called: removed once the poller has stopped. */
  deleting: boolean;
}

/** What a Lambda record of a Kinesis event looks like (aws-lambda's KinesisStreamRecord). */
export interface KinesisLambdaRecord {
  readonly kinesis: {
    readonly kinesisSchemaVersion: string;
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    /** Base64. */
    readonly data: string;
    /** Epoch seconds. */
    readonly approximateArrivalTimestamp: number;
  };
  readonly eventSource: 'aws:kinesis';
  readonly eventVersion: string;
  readonly eventID: string;
  readonly eventName: string;
  readonly invokeIdentityArn: string;
  readonly awsRegion: string;
  readonly eventSourceARN: string;
}

/**
 * What the poller needs of Kinesis: its shard store, and how a stored record becomes the record a
 * function receives (the Kinesis service owns its payload shape).
 */
export interface KinesisSource<T = unknown> {
  readonly store: ShardStore<T>;
  toLambdaRecord(
    record: ShardRecord<T>,
    context: {
      readonly streamArn: string;
      readonly shardId: string;
      readonly region: string;
      readonly functionArn: string;
    },
  ): KinesisLambdaRecord;
}

/** The synchronous (RequestResponse) invocation the poller makes: the one Lambda port's `invoke` (infra/local/lambda/invoker.ts). */
export type InvokeFunction = LambdaInvoker['invoke'];
