import { EventEmitter } from 'node:events';
import { RecordLog } from './record-log.ts';

/**
 * The one engine behind DynamoDB Streams and Kinesis Data Streams: append-only shards of
 * records with increasing sequence numbers, 24-hour retention, and shard iterators.
 * Both APIs (and the Lambda event source mapping poller) read through it.
 */

/** One record in a shard. `payload` is the service's own record (a DynamoDB change, a Kinesis blob). */
export interface ShardRecord<T> {
  /** Decimal string, strictly increasing within a shard (compare as BigInt). */
  readonly sequenceNumber: string;
  /** Epoch milliseconds when the record was appended. */
  readonly arrivalTime: number;
  readonly payload: T;
}

/** Where a shard iterator starts, in AWS's words. */
export type StartingPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: number };

export class ShardStoreError extends Error {
  override name = 'ShardStoreError';
  /** AWS error code the APIs answer with. */
  readonly code:
    | 'ResourceNotFoundException'
    | 'ExpiredIteratorException'
    | 'TrimmedDataAccessException'
    | 'ValidationException';

  constructor(code: ShardStoreError['code'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/** DynamoDB Streams iterators expire 15 minutes after they are returned (Kinesis passes its own 5 minutes as `iteratorTtlMs`). */
export const ITERATOR_TTL_MS = 15 * 60 * 1000;

export class Shard<T> {
  readonly shardId: string;
  readonly parentShardId: string | undefined;
  /** Kinesis hash key range (decimal strings); DynamoDB shards leave it unset. */
  readonly hashKeyRange: { readonly startingHashKey: string; readonly endingHashKey: string } | undefined;
  readonly startingSequenceNumber: string;
  /** Set when the shard is closed (no more writes). */
  endingSequenceNumber: string | undefined;
  /** Sequence number of the newest record ever trimmed (records at or before it are gone). */
  trimmedThrough: bigint | undefined;
  /** Retained records, oldest first, packed (payloads encoded by the stream's codec). */
  readonly #log = new RecordLog();
  readonly #stream: ShardedStream<T>;

  constructor(
    stream: ShardedStream<T>,
    shardId: string,
    startingSequenceNumber: string,
    options: { parentShardId?: string; hashKeyRange?: Shard<T>['hashKeyRange'] } = {},
  ) {
    this.#stream = stream;
    this.shardId = shardId;
    this.startingSequenceNumber = startingSequenceNumber;
    this.parentShardId = options.parentShardId;
    this.hashKeyRange = options.hashKeyRange;
  }

  /** How many records the shard retains. */
  get size(): number {
    return this.#log.size;
  }

  /** The retained record at `index` (0 is the oldest), decoded. */
  at(index: number): ShardRecord<T> | undefined {
    if (index < 0 || index >= this.#log.size) return undefined;
    return {
      sequenceNumber: this.#stream.formatSequence(this.#stream.sequenceAt(this.#log.offset(index))),
      arrivalTime: this.#log.time(index),
      payload: this.#stream.codec.decode(this.#log.bytes(index)),
    };
  }

  /** Retained records `start` … `end - 1`, decoded. */
  slice(start: number, end: number): ShardRecord<T>[] {
    const records: ShardRecord<T>[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.#log.size); i += 1) records.push(this.at(i)!);
    return records;
  }

  /** The sequence number of the retained record at `index`, without decoding it. */
  sequenceAt(index: number): bigint | undefined {
    if (index < 0 || index >= this.#log.size) return undefined;
    return this.#stream.sequenceAt(this.#log.offset(index));
  }

  /** Arrival time (epoch milliseconds) of the retained record at `index`. */
  arrivalTimeAt(index: number): number | undefined {
    if (index < 0 || index >= this.#log.size) return undefined;
    return this.#log.time(index);
  }

  /** Index of the first retained record whose sequence number is >= `sequence`. */
  indexAtOrAfter(sequence: bigint): number {
    const offset = this.#stream.offsetOf(sequence);
    return offset <= 0 ? 0 : this.#log.indexAtOrAfterOffset(offset);
  }

  /** Index of the first retained record that arrived at or after `time` (`size` when none). */
  indexAtOrAfterTime(time: number): number {
    return this.#log.indexAtOrAfterTime(time);
  }

  /** Stores a record the stream numbered. */
  push(sequence: bigint, arrivalTime: number, payload: T): void {
    this.#log.append(this.#stream.offsetOf(sequence), arrivalTime, this.#stream.codec.encode(payload));
  }

  /** Drops the oldest records up to the first that arrived at or after `cutoff`. */
  dropBefore(cutoff: number): void {
    const drop = this.#log.indexAtOrAfterTime(cutoff);
    if (drop === 0) return;
    this.trimmedThrough = this.sequenceAt(drop - 1);
    this.#log.dropOldest(drop);
  }
}

/** How a store keeps its records' payloads: as bytes outside the JS heap, turned back into objects on read. */
export interface PayloadCodec<T> {
  encode(payload: T): Uint8Array;
  decode(bytes: Buffer): T;
}

/** Payloads as JSON text (DynamoDB stream records are JSON on the wire already). */
export const JSON_CODEC: PayloadCodec<never> = {
  encode: (payload) => Buffer.from(JSON.stringify(payload), 'utf8'),
  decode: (bytes) => JSON.parse(bytes.toString('utf8')) as never,
};

export interface SequenceFormat {
  /** Digits in a sequence number (Kinesis: 56, DynamoDB Streams: 21). */
  readonly width: number;
}

/** Decoded form of a shard iterator. */
interface IteratorState {
  readonly streamArn: string;
  readonly shardId: string;
  /** The next record to return has a sequence number >= this. */
  readonly from: string;
  readonly issuedAt: number;
}

export class ShardedStream<T> {
  readonly arn: string;
  readonly createdAt: number;
  readonly shards: Shard<T>[] = [];
  readonly codec: PayloadCodec<T>;
  readonly #format: SequenceFormat;
  /** The stream's first sequence number less one: records are numbered origin + 1, origin + 2, … */
  readonly #origin: bigint;
  #next: bigint;

  constructor(arn: string, createdAt: number, format: SequenceFormat, firstSequence: bigint, codec: PayloadCodec<T>) {
    this.arn = arn;
    this.createdAt = createdAt;
    this.codec = codec;
    this.#format = format;
    this.#origin = firstSequence;
    this.#next = firstSequence;
  }

  formatSequence(value: bigint): string {
    return value.toString().padStart(this.#format.width, '0');
  }

  /** A sequence number as a shard stores it: how far past the stream's origin (≤ 0 before its first record). */
  offsetOf(sequence: bigint): number {
    return Number(sequence - this.#origin);
  }

  sequenceAt(offset: number): bigint {
    return this.#origin + BigInt(offset);
  }

  addShard(shardId: string, options?: ConstructorParameters<typeof Shard<T>>[3]): Shard<T> {
    const shard = new Shard<T>(this, shardId, this.formatSequence(this.#next), options);
    this.shards.push(shard);
    return shard;
  }

  shard(shardId: string): Shard<T> {
    const shard = this.shards.find((s) => s.shardId === shardId);
    if (!shard)
      throw new ShardStoreError('ResourceNotFoundException', `Shard ${shardId} in stream ${this.arn} does not exist`);
    return shard;
  }

  /** Appends a record; sequence numbers increase across the whole stream, hence within each shard. */
  append(shardId: string, payload: T, now: number): ShardRecord<T> {
    const shard = this.shard(shardId);
    if (shard.endingSequenceNumber !== undefined) {
      throw new ShardStoreError('ValidationException', `Shard ${shardId} is closed`);
    }
    this.#next += 1n;
    shard.push(this.#next, now, payload);
    return { sequenceNumber: this.formatSequence(this.#next), arrivalTime: now, payload };
  }

  /** The sequence number a LATEST iterator starts from: just after the newest record. */
  latest(): string {
    return this.formatSequence(this.#next + 1n);
  }
}

/** A store of sharded streams with retention, iterators and arrival notifications. */
export class ShardStore<T> {
  readonly #streams = new Map<string, ShardedStream<T>>();
  readonly #events = new EventEmitter();
  readonly #retentionMs: number;
  readonly #now: () => number;
  readonly #format: SequenceFormat;
  readonly #iteratorTtlMs: number;
  readonly #codec: PayloadCodec<T>;

  /**
   * @param iteratorTtlMs how long an iterator stays valid (Kinesis: 5 minutes) @default ITERATOR_TTL_MS
   * @param codec how payloads are kept as bytes @default JSON_CODEC
   */
  constructor({
    retentionMs = DAY_MS,
    now = Date.now,
    format = { width: 21 },
    iteratorTtlMs = ITERATOR_TTL_MS,
    codec = JSON_CODEC,
  }: {
    retentionMs?: number;
    now?: () => number;
    format?: SequenceFormat;
    iteratorTtlMs?: number;
    codec?: PayloadCodec<T>;
  } = {}) {
    this.#retentionMs = retentionMs;
    this.#now = now;
    this.#format = format;
    this.#iteratorTtlMs = iteratorTtlMs;
    this.#codec = codec;
    this.#events.setMaxListeners(0);
  }

  now(): number {
    return this.#now();
  }

  create(arn: string, firstSequence = 100n): ShardedStream<T> {
    const stream = new ShardedStream<T>(arn, this.#now(), this.#format, firstSequence * 10n ** 10n, this.#codec);
    this.#streams.set(arn, stream);
    return stream;
  }

  get(arn: string): ShardedStream<T> | undefined {
    return this.#streams.get(arn);
  }

  /** Throws ResourceNotFoundException naming the stream when it does not exist. */
  require(arn: string): ShardedStream<T> {
    const stream = this.#streams.get(arn);
    if (!stream)
      throw new ShardStoreError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);
    return stream;
  }

  delete(arn: string): boolean {
    return this.#streams.delete(arn);
  }

  list(): ShardedStream<T>[] {
    return [...this.#streams.values()];
  }

  append(arn: string, shardId: string, payload: T): ShardRecord<T> {
    const record = this.require(arn).append(shardId, payload, this.#now());
    this.#events.emit(arn, shardId);
    return record;
  }

  /** Calls `listener(shardId)` whenever records arrive on the stream; returns the unsubscribe function. */
  onRecords(arn: string, listener: (shardId: string) => void): () => void {
    this.#events.on(arn, listener);
    return () => this.#events.off(arn, listener);
  }

  /** Drops records older than the retention period. */
  trim(): void {
    const cutoff = this.#now() - this.#retentionMs;
    for (const stream of this.#streams.values()) {
      for (const shard of stream.shards) shard.dropBefore(cutoff);
    }
  }

  /** Returns a new iterator string for a shard at the given position. */
  iterator(arn: string, shardId: string, position: StartingPosition): string {
    this.trim();
    const stream = this.require(arn);
    const shard = stream.shard(shardId);
    let from: string;
    switch (position.type) {
      case 'TRIM_HORIZON':
        from = shard.size > 0 ? stream.formatSequence(shard.sequenceAt(0)!) : stream.latest();
        break;
      case 'LATEST':
        from = stream.latest();
        break;
      case 'AT_SEQUENCE_NUMBER':
        from = BigInt(position.sequenceNumber).toString();
        break;
      case 'AFTER_SEQUENCE_NUMBER':
        from = (BigInt(position.sequenceNumber) + 1n).toString();
        break;
      case 'AT_TIMESTAMP': {
        const index = shard.indexAtOrAfterTime(position.timestamp);
        from = index < shard.size ? stream.formatSequence(shard.sequenceAt(index)!) : stream.latest();
        break;
      }
    }
    return this.#encode({ streamArn: arn, shardId, from, issuedAt: this.#now() });
  }

  /**
   * Reads up to `limit` records from an iterator. Returns the records and the iterator for the
   * next call (undefined once a closed shard is exhausted).
   */
  read(
    iterator: string,
    limit: number,
  ): { records: ShardRecord<T>[]; nextIterator: string | undefined; millisBehindLatest: number } {
    const state = this.#decode(iterator);
    if (this.#now() - state.issuedAt > this.#iteratorTtlMs) {
      throw new ShardStoreError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created over ${Math.round(this.#iteratorTtlMs / 60_000)} minutes ago.`,
      );
    }
    this.trim();
    const stream = this.require(state.streamArn);
    const shard = stream.shard(state.shardId);
    const from = BigInt(state.from);
    if (shard.trimmedThrough !== undefined && from <= shard.trimmedThrough) {
      throw new ShardStoreError(
        'TrimmedDataAccessException',
        'The operation attempted to read past the oldest stream record in a shard.',
      );
    }
    const start = shard.indexAtOrAfter(from);
    const records = shard.slice(start, start + limit);
    const last = records.at(-1);
    const nextFrom = last ? (BigInt(last.sequenceNumber) + 1n).toString() : state.from;
    const exhausted = shard.endingSequenceNumber !== undefined && BigInt(nextFrom) > BigInt(shard.endingSequenceNumber);
    // How far the last record returned is behind the newest one (0 when it is the newest).
    const newestTime = shard.arrivalTimeAt(shard.size - 1);
    const millisBehindLatest =
      last && newestTime !== undefined && start + records.length < shard.size
        ? Math.max(0, newestTime - last.arrivalTime)
        : 0;
    return {
      records,
      nextIterator: exhausted
        ? undefined
        : this.#encode({ streamArn: state.streamArn, shardId: state.shardId, from: nextFrom, issuedAt: this.#now() }),
      millisBehindLatest,
    };
  }

  /** The stream and shard an iterator reads (without checking its age); ValidationException when malformed. */
  iteratorTarget(iterator: string): { readonly streamArn: string; readonly shardId: string } {
    const { streamArn, shardId } = this.#decode(iterator);
    return { streamArn, shardId };
  }

  #encode(state: IteratorState): string {
    return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  }

  #decode(iterator: string): IteratorState {
    try {
      const state = JSON.parse(Buffer.from(iterator, 'base64url').toString('utf8')) as Partial<IteratorState>;
      if (
        typeof state.streamArn === 'string' &&
        typeof state.shardId === 'string' &&
        typeof state.from === 'string' &&
        /^\d+$/.test(state.from) &&
        typeof state.issuedAt === 'number'
      ) {
        return state as IteratorState;
      }
    } catch {
      // fall through
    }
    throw new ShardStoreError('ValidationException', 'Invalid ShardIterator');
  }
}
