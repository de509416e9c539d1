import type { Caller } from '../edge/types.ts';
import type { ShardedStream, ShardStore } from '../streams/shard-store.ts';
import type { TraceBus } from '../trace/bus.ts';
import type { KinesisRecordPayload } from './record.ts';

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';
export type StreamStatus = 'CREATING' | 'DELETING' | 'ACTIVE' | 'UPDATING';

/** A Kinesis data stream: the shard store's stream plus what only Kinesis knows about it. */
export interface KinesisStream {
  readonly name: string;
  readonly arn: string;
  readonly status: StreamStatus;
  readonly mode: StreamMode;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly shards: ShardedStream<KinesisRecordPayload>;
}

/** How a request names a stream: StreamName, StreamARN or both (they must agree). */
export interface StreamRef {
  readonly StreamName?: unknown;
  readonly StreamARN?: unknown;
}

/** What an action module may use of the Kinesis service. */
export interface KinesisContext {
  readonly store: ShardStore<KinesisRecordPayload>;
  readonly region: string;
  readonly trace: TraceBus;
  /** Open shards the account may have at most (CreateStream answers LimitExceededException beyond). */
  readonly shardLimit: number;
  now(): number;
  streamArn(name: string): string;
  /** Every stream of the account, by name. */
  listStreams(): KinesisStream[];
  /** The stream a request names; ResourceNotFoundException when there is none. */
  findStream(ref: StreamRef): KinesisStream;
  /** Like findStream, and ResourceInUseException unless the stream is ACTIVE (reads and writes need it). */
  activeStream(ref: StreamRef): KinesisStream;
  createStream(name: string, shardCount: number, mode: StreamMode): KinesisStream;
  deleteStream(stream: KinesisStream): void;
  /**
   * Counts a write against the shard's per-second write limit (1 MiB and 1,000 records per second);
   * false when the shard is over it (ProvisionedThroughputExceededException).
   */
  admitWrite(stream: KinesisStream, shardId: string, bytes: number): boolean;
}

export interface ActionRequest {
  readonly requestId: string;
  readonly caller: Caller;
}

/** An action takes the parsed JSON 1.1 input and returns the output members. */
export type Action = (
  context: KinesisContext,
  input: Readonly<Record<string, unknown>>,
  request: ActionRequest,
) => Record<string, unknown>;

/** Epoch milliseconds → JSON 1.1 timestamp (epoch seconds, milliseconds as the fraction). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

export function notFoundMessage(name: string, accountId: string): string {
  return `Stream ${name} under account ${accountId} not found.`;
}

/** A shard as DescribeStream and ListShards answer it. */
export function describeShard(shard: KinesisStream['shards']['shards'][number]): Record<string, unknown> {
  return {
    ShardId: shard.shardId,
    ...(shard.parentShardId === undefined ? {} : { ParentShardId: shard.parentShardId }),
    HashKeyRange: {
      StartingHashKey: shard.hashKeyRange?.startingHashKey ?? '0',
      EndingHashKey: shard.hashKeyRange?.endingHashKey ?? (2n ** 128n - 1n).toString(),
    },
    SequenceNumberRange: {
      StartingSequenceNumber: shard.startingSequenceNumber,
      ...(shard.endingSequenceNumber === undefined ? {} : { EndingSequenceNumber: shard.endingSequenceNumber }),
    },
  };
}

/** Opaque, self-describing pagination tokens (shared with the other JSON services). */
export { decodeToken, encodeToken } from '../shared/json-protocol.ts';
