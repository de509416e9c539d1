import {
  ACCOUNT_ID,
  DEFAULT_REGION,
  type RequestAuthorization,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../edge/types.ts';
import { dispatchJson, type JsonServiceProtocol } from '../shared/json-protocol.ts';
import { DAY_MS, ShardStore } from '../streams/shard-store.ts';
import type { TraceBus } from '../trace/bus.ts';
import { createStream } from './actions/createStream.ts';
import { deleteStream } from './actions/deleteStream.ts';
import { describeStream } from './actions/describeStream.ts';
import { describeStreamSummary } from './actions/describeStreamSummary.ts';
import { getRecords } from './actions/getRecords.ts';
import { getShardIterator } from './actions/getShardIterator.ts';
import { listShards } from './actions/listShards.ts';
import { listStreams } from './actions/listStreams.ts';
import { putRecord } from './actions/putRecord.ts';
import { putRecords } from './actions/putRecords.ts';
import {
  type Action,
  type KinesisContext,
  type KinesisStream,
  notFoundMessage,
  type StreamMode,
  type StreamRef,
  type StreamStatus,
} from './context.ts';
import { KinesisError } from './errors.ts';
import { evenHashKeyRanges, shardIdFor } from './hash.ts';
import { KINESIS_PARAMETERS } from './parameters.ts';
import {
  KINESIS_RECORD_CODEC,
  type KinesisRecordPayload,
  type KinesisShardRecord,
  type LambdaKinesisRecord,
  toLambdaKinesisRecord,
} from './record.ts';
import { parseJsonBody } from './validation.ts';

export {
  type KinesisRecordPayload,
  type KinesisShardRecord,
  type LambdaKinesisRecord,
  type LambdaRecordSource,
  toLambdaKinesisRecord,
} from './record.ts';

/** Kinesis shard iterators expire 5 minutes after they are returned (GetShardIterator API reference). */
export const KINESIS_ITERATOR_TTL_MS = 5 * 60 * 1000;
/** The account's shard quota in us-east-1 (Kinesis Data Streams quotas: 500 shards, 200 elsewhere). */
export const DEFAULT_SHARD_LIMIT = 500;
/** A shard takes up to 1 MiB and 1,000 records per second of writes (Kinesis Data Streams quotas). */
export const SHARD_WRITE_LIMITS = { recordsPerSecond: 1000, bytesPerSecond: 1_048_576 } as const;

const TARGET_PREFIX = 'Kinesis_20131202.';

/** Every supported operation, by its X-Amz-Target name (dispatched like dynalite's index.js). */
export const ACTIONS: Readonly<Record<string, Action>> = {
  CreateStream: createStream,
  DeleteStream: deleteStream,
  DescribeStream: describeStream,
  DescribeStreamSummary: describeStreamSummary,
  ListStreams: listStreams,
  ListShards: listShards,
  PutRecord: putRecord,
  PutRecords: putRecords,
  GetShardIterator: getShardIterator,
  GetRecords: getRecords,
};

/** Operations of the Kinesis API the local cloud knows of but does not implement: NotImplemented, never silence. */
const NOT_IMPLEMENTED = new Set([
  'AddTagsToStream',
  'DecreaseStreamRetentionPeriod',
  'DeleteResourcePolicy',
  'DeregisterStreamConsumer',
  'DescribeAccountSettings',
  'DescribeLimits',
  'DescribeStreamConsumer',
  'DisableEnhancedMonitoring',
  'EnableEnhancedMonitoring',
  'GetResourcePolicy',
  'IncreaseStreamRetentionPeriod',
  'ListStreamConsumers',
  'ListTagsForResource',
  'ListTagsForStream',
  'MergeShards',
  'PutResourcePolicy',
  'RegisterStreamConsumer',
  'RemoveTagsFromStream',
  'SplitShard',
  'StartStreamEncryption',
  'StopStreamEncryption',
  'SubscribeToShard',
  'TagResource',
  'UntagResource',
  'UpdateAccountSettings',
  'UpdateMaxRecordSize',
  'UpdateShardCount',
  'UpdateStreamMode',
  'UpdateStreamWarmThroughput',
]);

/** A Kinesis shard store: 56-digit sequence numbers, 24-hour retention, 5-minute iterators. */
export function createKinesisStore({
  now = Date.now,
  retentionMs = DAY_MS,
}: {
  now?: () => number;
  retentionMs?: number;
} = {}): ShardStore<KinesisRecordPayload> {
  return new ShardStore<KinesisRecordPayload>({
    now,
    retentionMs,
    format: { width: 56 },
    iteratorTtlMs: KINESIS_ITERATOR_TTL_MS,
    codec: KINESIS_RECORD_CODEC,
  });
}

export interface KinesisServiceOptions {
  readonly trace: TraceBus;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** The shard engine (shared with the Lambda event source mapping poller). @default createKinesisStore() */
  readonly streams?: ShardStore<KinesisRecordPayload>;
  /**
   * How long a new stream stays CREATING and a deleted one DELETING. On AWS this takes seconds and
   * SDK waiters poll every 10 s, so the local cloud makes streams ACTIVE (and gone) at once. @default 0
   */
  readonly transitionMs?: number;
  /** @default DEFAULT_SHARD_LIMIT */
  readonly shardLimit?: number;
  /** Per-shard write limits; `false` lifts them. @default SHARD_WRITE_LIMITS */
  readonly shardWriteLimits?: { readonly recordsPerSecond: number; readonly bytesPerSecond: number } | false;
}

interface StreamState {
  readonly mode: StreamMode;
  deletingAt?: number;
}

interface WriteWindow {
  second: number;
  records: number;
  bytes: number;
}

/**
 * Kinesis Data Streams on the local cloud: the JSON 1.1 API (`X-Amz-Target: Kinesis_20131202.<Op>`)
 * over the shared shard engine. Streams live in one region (the service's), whatever region a request was signed for.
 */
export class KinesisService implements Service, KinesisContext {
  readonly signingNames = ['kinesis'] as const;
  readonly region: string;
  readonly trace: TraceBus;
  readonly shardLimit: number;
  readonly #store: ShardStore<KinesisRecordPayload>;
  readonly #transitionMs: number;
  readonly #writeLimits: KinesisServiceOptions['shardWriteLimits'];
  readonly #state = new Map<string, StreamState>();
  readonly #writes = new Map<string, WriteWindow>();

  constructor({
    trace,
    region = DEFAULT_REGION,
    streams = createKinesisStore(),
    transitionMs = 0,
    shardLimit = DEFAULT_SHARD_LIMIT,
    shardWriteLimits = SHARD_WRITE_LIMITS,
  }: KinesisServiceOptions) {
    this.trace = trace;
    this.region = region;
    this.#store = streams;
    this.#transitionMs = transitionMs;
    this.shardLimit = shardLimit;
    this.#writeLimits = shardWriteLimits;
  }

  /** The shard store the streams' records live in: the event source mapping poller reads it by stream ARN. */
  get store(): ShardStore<KinesisRecordPayload> {
    return this.#store;
  }

  now(): number {
    return this.#store.now();
  }

  /**
   * A stored record as a Lambda function receives it (fits the event source mapping's KinesisSource).
   * `invokeIdentityArn` is the function's execution role on AWS; without it the function ARN stands in.
   */
  toLambdaRecord(
    record: KinesisShardRecord,
    context: {
      readonly streamArn: string;
      readonly shardId: string;
      readonly region?: string;
      readonly functionArn?: string;
      readonly invokeIdentityArn?: string;
    },
  ): LambdaKinesisRecord {
    return toLambdaKinesisRecord(record, {
      streamArn: context.streamArn,
      shardId: context.shardId,
      region: context.region ?? this.region,
      invokeIdentityArn: context.invokeIdentityArn ?? context.functionArn ?? `arn:aws:iam::${ACCOUNT_ID}:root`,
    });
  }

  streamArn(name: string): string {
    return `arn:aws:kinesis:${this.region}:${ACCOUNT_ID}:stream/${name}`;
  }

  /** The stream with this ARN, or undefined (for the poller: a deleted stream disappears). */
  stream(arn: string): KinesisStream | undefined {
    this.#sweep();
    const shards = this.#store.get(arn);
    return shards && this.#isMine(arn) ? this.#view(arn) : undefined;
  }

  listStreams(): KinesisStream[] {
    this.#sweep();
    return this.#store
      .list()
      .filter((s) => this.#isMine(s.arn))
      .map((s) => this.#view(s.arn))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  findStream(ref: StreamRef): KinesisStream {
    const name = typeof ref.StreamName === 'string' ? ref.StreamName : undefined;
    const arn = typeof ref.StreamARN === 'string' ? ref.StreamARN : undefined;
    if (name === undefined && arn === undefined) {
      throw new KinesisError('InvalidArgumentException', 'Either StreamName or StreamARN should be provided.');
    }
    if (name !== undefined && arn !== undefined && arn !== this.streamArn(name)) {
      throw new KinesisError(
        'InvalidArgumentException',
        `StreamARN ${arn} and StreamName ${name} do not name the same stream.`,
      );
    }
    const key = arn ?? this.streamArn(name!);
    const stream = this.stream(key);
    if (!stream) throw new KinesisError('ResourceNotFoundException', notFoundMessage(name ?? nameOf(key), ACCOUNT_ID));
    return stream;
  }

  activeStream(ref: StreamRef): KinesisStream {
    const stream = this.findStream(ref);
    if (stream.status !== 'ACTIVE') {
      throw new KinesisError(
        'ResourceInUseException',
        `Stream ${stream.name} under account ${ACCOUNT_ID} not ACTIVE, instead in state ${stream.status}`,
      );
    }
    return stream;
  }

  createStream(name: string, shardCount: number, mode: StreamMode): KinesisStream {
    const arn = this.streamArn(name);
    if (this.stream(arn)) {
      throw new KinesisError('ResourceInUseException', `Stream ${name} under account ${ACCOUNT_ID} already exists.`);
    }
    const open = this.listStreams().reduce(
      (sum, s) => sum + s.shards.shards.filter((shard) => shard.endingSequenceNumber === undefined).length,
      0,
    );
    if (open + shardCount > this.shardLimit) {
      throw new KinesisError(
        'LimitExceededException',
        `This request would exceed the shard limit for the account ${ACCOUNT_ID} in ${this.region}. Current shard count for the account: ${open}. Limit: ${this.shardLimit}. Number of additional shards that would have resulted from this request: ${shardCount}.`,
      );
    }
    // Kinesis sequence numbers are 56 digits starting "49…"; the store multiplies this by 10^10.
    const created = this.now();
    const firstSequence = BigInt(`49${String(created).padStart(13, '0')}${'0'.repeat(31)}`);
    const shards = this.#store.create(arn, firstSequence);
    evenHashKeyRanges(shardCount).forEach((hashKeyRange, index) => {
      shards.addShard(shardIdFor(index), { hashKeyRange });
    });
    this.#state.set(arn, { mode });
    return this.#view(arn);
  }

  deleteStream(stream: KinesisStream): void {
    const state = this.#state.get(stream.arn) ?? { mode: stream.mode };
    state.deletingAt = this.now();
    this.#state.set(stream.arn, state);
    this.#sweep();
  }

  admitWrite(stream: KinesisStream, shardId: string, bytes: number): boolean {
    const limits = this.#writeLimits;
    if (limits === false || limits === undefined) return true;
    const key = `${stream.arn}\n${shardId}`;
    const second = Math.floor(this.now() / 1000);
    let window = this.#writes.get(key);
    if (window === undefined || window.second !== second) {
      window = { second, records: 0, bytes: 0 };
      this.#writes.set(key, window);
    }
    // The first write of a second always goes in, so a single maximum-size record (1 MiB of data plus its key) fits.
    const over = window.records + 1 > limits.recordsPerSecond || window.bytes + bytes > limits.bytesPerSecond;
    if (window.records > 0 && over) return false;
    window.records += 1;
    window.bytes += bytes;
    return true;
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    const started = Date.now();
    const context = { requestId: request.requestId, caller: request.caller };
    return dispatchJson(request, this.#protocol, {
      run: (action, input) => action(this, input, context),
      done: ({ operation, input, status, error }) =>
        this.#publish(request.requestId, operation, this.#streamNameOf(input), status, started, error),
    });
  }

  readonly #protocol: JsonServiceProtocol<Action> = {
    targetPrefix: TARGET_PREFIX,
    title: 'Kinesis',
    actions: ACTIONS,
    notImplemented: NOT_IMPLEMENTED,
    parameters: KINESIS_PARAMETERS,
    parseBody: parseJsonBody,
    error: (code, message) => new KinesisError(code, message),
    refuseParameter: (message) => new KinesisError('InvalidArgumentException', message),
    from: (thrown) => KinesisError.from(thrown),
  };

  /**
   * The IAM action (`kinesis:<Operation>`) and the stream's ARN (from StreamARN, StreamName or the
   * shard iterator), `*` for ListStreams, for the edge's policy check.
   */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
    const operation = target.slice(TARGET_PREFIX.length);
    if (ACTIONS[operation] === undefined && !NOT_IMPLEMENTED.has(operation)) return undefined;
    const action = `kinesis:${operation}`;
    if (operation === 'ListStreams') return { action, resources: ['*'] };
    let input: Readonly<Record<string, unknown>>;
    try {
      input = parseJsonBody(request.body);
    } catch {
      return undefined;
    }
    if (typeof input.StreamARN === 'string') return { action, resources: [input.StreamARN] };
    if (typeof input.StreamName === 'string') return { action, resources: [this.streamArn(input.StreamName)] };
    if (typeof input.ShardIterator === 'string') {
      try {
        return { action, resources: [this.#store.iteratorTarget(input.ShardIterator).streamArn] };
      } catch {
        return undefined; // GetRecords answers the invalid iterator itself
      }
    }
    return { action, resources: ['*'] };
  }

  #publish(
    requestId: string,
    operation: string,
    stream: string | undefined,
    status: number,
    started: number,
    error?: string,
  ) {
    this.trace.publish(
      'kinesis.request',
      { operation, stream, status, durationMs: Date.now() - started, ...(error ? { error } : {}) },
      requestId,
    );
  }

  /** The stream a request is about, for the trace. */
  #streamNameOf(input: Readonly<Record<string, unknown>>): string | undefined {
    if (typeof input.StreamName === 'string') return input.StreamName;
    if (typeof input.StreamARN === 'string') return nameOf(input.StreamARN);
    if (typeof input.ShardIterator === 'string') {
      try {
        return nameOf(this.#store.iteratorTarget(input.ShardIterator).streamArn);
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  #isMine(arn: string): boolean {
    return arn.startsWith(`arn:aws:kinesis:${this.region}:${ACCOUNT_ID}:stream/`);
  }

  #status(arn: string, createdAt: number): StreamStatus {
    const state = this.#state.get(arn);
    if (state?.deletingAt !== undefined) return 'DELETING';
    return this.now() < createdAt + this.#transitionMs ? 'CREATING' : 'ACTIVE';
  }

  #view(arn: string): KinesisStream {
    const shards = this.#store.require(arn);
    return {
      name: nameOf(arn),
      arn,
      status: this.#status(arn, shards.createdAt),
      // A stream someone else put in the store (no state here) reads as PROVISIONED.
      mode: this.#state.get(arn)?.mode ?? 'PROVISIONED',
      createdAt: shards.createdAt,
      shards,
    };
  }

  /** Removes streams whose DELETING time is over. */
  #sweep(): void {
    const now = this.now();
    for (const [arn, state] of this.#state) {
      if (state.deletingAt !== undefined && now >= state.deletingAt + this.#transitionMs) {
        this.#store.delete(arn);
        this.#state.delete(arn);
        for (const key of this.#writes.keys()) if (key.startsWith(`${arn}\n`)) this.#writes.delete(key);
      }
    }
  }
}

function nameOf(arn: string): string {
  const index = arn.indexOf(':stream/');
  return index === -1 ? arn : arn.slice(index + ':stream/'.length);
}
