import { EventEmitter } from 'node:events';

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
  /** Retained records, oldest first. */
  readonly records: ShardRecord<T>[] = [];
  /** Sequence number of the newest record ever trimmed (records at or before it are gone). */
  trimmedThrough: bigint | undefined;

  constructor(
    shardId: string,
    startingSequenceNumber: string,
    options: { parentShardId?: string; hashKeyRange?: Shard<T>['hashKeyRange'] } = {},
  ) {
    this.shardId = shardId;
    this.startingSequenceNumber = startingSequenceNumber;
    this.parentShardId = options.parentShardId;
    this.hashKeyRange = options.hashKeyRange;
  }

  /** Index of the first retained record whose sequence number is >= `sequence`. */
  indexAtOrAfter(sequence: bigint): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (BigInt(this.records[mid]!.sequenceNumber) < sequence) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

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
  readonly #format: SequenceFormat;
  #next: bigint;

  constructor(arn: string, createdAt: number, format: SequenceFormat, firstSequence: bigint) {
    this.arn = arn;
    this.createdAt = createdAt;
    this.#format = format;
    this.#next = firstSequence;
  }

  formatSequence(value: bigint): string {
    return value.toString().padStart(this.#format.width, '0');
  }

  addShard(shardId: string, options?: ConstructorParameters<typeof Shard<T>>[2]): Shard<T> {
    const shard = new Shard<T>(shardId, this.formatSequence(this.#next), options);
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
    const record: ShardRecord<T> = { sequenceNumber: this.formatSequence(this.#next), arrivalTime: now, payload };
    shard.records.push(record);
    return record;
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

  /** @param iteratorTtlMs how long an iterator stays valid (Kinesis: 5 minutes) @default ITERATOR_TTL_MS */
  constructor({
    retentionMs = DAY_MS,
    now = Date.now,
    format = { width: 21 },
    iteratorTtlMs = ITERATOR_TTL_MS,
  }: { retentionMs?: number; now?: () => number; format?: SequenceFormat; iteratorTtlMs?: number } = {}) {
    this.#retentionMs = retentionMs;
    this.#now = now;
    this.#format = format;
    this.#iteratorTtlMs = iteratorTtlMs;
    this.#events.setMaxListeners(0);
  }

  now(): number {
    return this.#now();
  }

  create(arn: string, firstSequence = 100n): ShardedStream<T> {
    const stream = new ShardedStream<T>(arn, this.#now(), this.#format, firstSequence * 10n ** 10n);
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
      for (const shard of stream.shards) {
        let drop = 0;
        while (drop < shard.records.length && shard.records[drop]!.arrivalTime < cutoff) drop += 1;
        if (drop > 0) {
          shard.trimmedThrough = BigInt(shard.records[drop - 1]!.sequenceNumber);
          shard.records.splice(0, drop);
        }
      }
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
        from = shard.records[0]?.sequenceNumber ?? stream.latest();
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
        const index = shard.records.findIndex((r) => r.arrivalTime >= position.timestamp);
        from = index === -1 ? stream.latest() : shard.records[index]!.sequenceNumber;
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
    const records = shard.records.slice(start, start + limit);
    const last = records.at(-1);
    const nextFrom = last ? (BigInt(last.sequenceNumber) + 1n).toString() : state.from;
    const exhausted = shard.endingSequenceNumber !== undefined && BigInt(nextFrom) > BigInt(shard.endingSequenceNumber);
    const newest = shard.records.at(-1);
    const millisBehindLatest =
      last && newest && last !== newest ? Math.max(0, newest.arrivalTime - last.arrivalTime) : 0;
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
