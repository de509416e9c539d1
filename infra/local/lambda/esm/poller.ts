import { randomUUID } from 'node:crypto';
import type { ShardRecord, ShardStore, StartingPosition } from '../../streams/shard-store.ts';
import { ShardStoreError } from '../../streams/shard-store.ts';
import type { TraceBus } from '../../trace/bus.ts';
import { compileFilters, type Pattern, passes } from './filter.ts';
import {
  type BatchEntry,
  batchEntry,
  EVENT_ENVELOPE_BYTES,
  type FailureCondition,
  invocationEvent,
  MAX_BATCH_BYTES,
  onFailureObjectKey,
  onFailureRecord,
} from './records.ts';
import type { Checkpoint, InvokeFunction, MappingRecord } from './types.ts';

/** A stream source as the poller sees it: shards, and how a stored record becomes a Lambda record. */
export interface StreamSource {
  readonly store: ShardStore<unknown>;
  lambdaRecord(record: ShardRecord<unknown>, shardId: string): Record<string, unknown>;
  /** What filter patterns are matched against (Kinesis: `data` decoded when it is JSON). */
  filterView(lambdaRecord: Record<string, unknown>): unknown;
}

export interface PollerDependencies {
  readonly trace: TraceBus;
  readonly invoke: InvokeFunction;
  readonly s3PutObject?: (bucket: string, key: string, body: string) => Promise<void>;
  /** Wait before retrying a failed batch. */
  readonly retryDelayMs: number;
  /** Checkpoints or LastProcessingResult moved: persist soon. */
  readonly changed: () => void;
}

/** LastProcessingResult values, in AWS's words. */
export const PROCESSING_OK = 'OK';
export const PROCESSING_FAILED = 'PROBLEM: Function call failed';

/** How one invocation of a batch ended. */
type Outcome =
  | { readonly kind: 'ok' }
  /** ReportBatchItemFailures: records before `index` succeeded. */
  | { readonly kind: 'partial'; readonly index: number }
  | {
      readonly kind: 'failed';
      readonly functionError: string | null;
      readonly statusCode: number;
      readonly bisectable: boolean;
    };

interface Attempt {
  entries: BatchEntry[];
  /** Invocations of exactly these records so far. */
  invokeCount: number;
  /** Set once an attempt of this work failed, so the next one waits first. */
  retrying: boolean;
  lastRequestId?: string;
  lastOutcome?: Outcome;
}

function toPosition(checkpoint: Checkpoint): StartingPosition {
  return checkpoint;
}

function after(sequenceNumber: string): Checkpoint {
  return { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: (BigInt(sequenceNumber) + 1n).toString() };
}

/**
 * Reads a ReportBatchItemFailures response. Empty, `{}`, `[]`, null and `{batchItemFailures: []}`
 * are success (recorded: test/recordings/aws/dynamodb-esm-batch-item-success-*.json); a failure whose
 * itemIdentifier is missing, null or not in the batch fails the whole batch
 * (dynamodb-esm-batch-item-failure-*.json). Otherwise the lowest failed record is where to retry.
 */
export function parseBatchItemFailures(payload: string | undefined, batch: readonly BatchEntry[]): Outcome {
  let body: unknown;
  try {
    body = JSON.parse(payload ?? 'null');
  } catch {
    return { kind: 'ok' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { kind: 'ok' };
  const failures = (body as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'ok' };
  const wholeBatch: Outcome = { kind: 'failed', functionError: null, statusCode: 200, bisectable: false };
  if (!Array.isArray(failures)) return wholeBatch;
  if (failures.length === 0) return { kind: 'ok' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return wholeBatch;
    const index = batch.findIndex((entry) => entry.itemIdentifier === id);
    if (index === -1) return wholeBatch;
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', index: lowest };
}

/**
 * Polls one shard for one mapping: records in order, one batch in flight, a failing batch blocks
 * the shard until it succeeds, is retried out or ages out (Lambda's stream semantics).
 */
class ShardPoller {
  readonly shardId: string;
  finished = false;
  readonly #owner: MappingPoller;
  #stopped = false;
  #woken = false;
  #wakeUp: (() => void) | undefined;
  readonly #stopListeners = new Set<() => void>();
  done: Promise<void> = Promise.resolve();

  constructor(owner: MappingPoller, shardId: string) {
    this.#owner = owner;
    this.shardId = shardId;
  }

  start(): void {
    this.done = this.#run().catch((error: unknown) => {
      this.#owner.deps.trace.publish('esm.error', {
        uuid: this.#owner.mapping.config.UUID,
        shardId: this.shardId,
        message: (error as Error).message,
      });
    });
  }

  stop(): void {
    this.#stopped = true;
    this.wake();
    for (const listener of this.#stopListeners) listener();
  }

  /** Records arrived (or something else changed): look again now. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  get #mapping(): MappingRecord {
    return this.#owner.mapping;
  }

  /** Waits for a wake-up, a stop, or `ms`. */
  #sleep(ms?: number): Promise<void> {
    if (this.#woken || this.#stopped) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(finish, ms);
      const self = this;
      function finish(): void {
        if (timer) clearTimeout(timer);
        self.#wakeUp = undefined;
        self.#woken = false;
        resolve();
      }
      this.#wakeUp = finish;
    });
  }

  /** Waits `ms` unless stopped; new records do not shorten a retry delay. */
  #delay(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#stopListeners.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#stopListeners.add(finish);
    });
  }

  get #checkpoint(): Checkpoint {
    return this.#mapping.checkpoints[this.shardId] ?? this.#mapping.initialPosition;
  }

  #commit(checkpoint: Checkpoint): void {
    this.#mapping.checkpoints[this.shardId] = checkpoint;
    this.#owner.deps.changed();
  }

  /**
   * A checkpoint beyond anything the stream has handed out means the stream was recreated (DynamoDB
   * and Kinesis keep records in memory, so after a restart their numbering starts again): read the
   * new stream from its start rather than skip its first records.
   */
  #checkRestoredCheckpoint(): void {
    const checkpoint = this.#checkpoint;
    if (checkpoint.type !== 'AT_SEQUENCE_NUMBER') return;
    const stream = this.#owner.source.store.get(this.#mapping.config.EventSourceArn);
    if (stream === undefined || BigInt(checkpoint.sequenceNumber) <= BigInt(stream.latest())) return;
    this.#owner.deps.trace.publish('esm.checkpoint.reset', {
      uuid: this.#mapping.config.UUID,
      shardId: this.shardId,
      checkpoint: checkpoint.sequenceNumber,
      reason: 'the stream is newer than the checkpoint (recreated): reading it from TRIM_HORIZON',
    });
    this.#commit({ type: 'TRIM_HORIZON' });
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      if (!this.#owner.parentDone(this.shardId)) {
        await this.#sleep();
        continue;
      }
      const batch = await this.#collect();
      if (batch === undefined) break;
      if (batch.length > 0) await this.#deliver(batch);
    }
  }

  /**
   * Gathers the next batch: until BatchSize records, 6 MB, or the batching window has passed since
   * the first record. Returns undefined when stopped or the (closed) shard is exhausted.
   */
  async #collect(): Promise<BatchEntry[] | undefined> {
    const { store } = this.#owner.source;
    const arn = this.#mapping.config.EventSourceArn;
    const pending: BatchEntry[] = [];
    let bytes = EVENT_ENVELOPE_BYTES;
    let scanned: Checkpoint | undefined;
    let windowStart: number | undefined;
    while (!this.#stopped) {
      const { BatchSize, MaximumBatchingWindowInSeconds } = this.#mapping.config;
      let full = pending.length >= BatchSize;
      let moreWaiting = false;
      if (!full) {
        const limit = BatchSize - pending.length;
        if (scanned === undefined) this.#checkRestoredCheckpoint();
        let result: ReturnType<typeof store.read>;
        try {
          const iterator = store.iterator(arn, this.shardId, toPosition(scanned ?? this.#checkpoint));
          result = store.read(iterator, limit);
        } catch (error) {
          if (error instanceof ShardStoreError && error.code === 'TrimmedDataAccessException') {
            // The checkpoint fell out of retention: carry on from the oldest record left.
            if (pending.length > 0) return pending;
            this.#commit({ type: 'TRIM_HORIZON' });
            continue;
          }
          if (error instanceof ShardStoreError && error.code === 'ResourceNotFoundException') {
            // Stream or shard gone (table deleted): wait, in case it comes back.
            if (pending.length > 0) return pending;
            await this.#sleep();
            continue;
          }
          throw error;
        }
        for (const record of result.records) {
          const lambdaRecord = this.#owner.source.lambdaRecord(record, this.shardId);
          const entry = batchEntry(record, lambdaRecord);
          if (!passes(this.#owner.patterns, this.#owner.source.filterView(lambdaRecord))) {
            scanned = after(record.sequenceNumber);
            // Records filtered out are done with: move the checkpoint past them when nothing waits.
            if (pending.length === 0) this.#commit(scanned);
            continue;
          }
          const separator = pending.length > 0 ? 1 : 0;
          if (pending.length > 0 && bytes + separator + entry.size > MAX_BATCH_BYTES) {
            full = true;
            break;
          }
          pending.push(entry);
          bytes += separator + entry.size;
          scanned = after(record.sequenceNumber);
          windowStart ??= Date.now();
        }
        if (result.records.length === 0 && result.nextIterator === undefined && pending.length === 0) {
          this.finished = true;
          this.#owner.shardFinished();
          return undefined;
        }
        if (pending.length >= BatchSize) full = true;
        // A full read may have been all filtered out: more may be waiting, read again at once.
        moreWaiting = !full && result.records.length === limit;
      }
      if (moreWaiting) continue;
      if (pending.length === 0) {
        await this.#sleep();
        continue;
      }
      if (full || MaximumBatchingWindowInSeconds === 0) return pending;
      const remaining = windowStart! + MaximumBatchingWindowInSeconds * 1000 - Date.now();
      if (remaining <= 0) return pending;
      await this.#sleep(remaining);
    }
    return undefined;
  }

  /** Invokes until the batch is done with: success, retries exhausted, or records too old. */
  async #deliver(batch: BatchEntry[]): Promise<void> {
    const queue: Attempt[] = [{ entries: batch, invokeCount: 0, retrying: false }];
    while (queue.length > 0 && !this.#stopped) {
      const attempt = queue[0]!;
      const config = this.#mapping.config;
      if (config.MaximumRecordAgeInSeconds !== -1) {
        const oldest = this.#owner.source.store.now() - config.MaximumRecordAgeInSeconds * 1000;
        const expired = attempt.entries.filter((entry) => entry.arrivalTime < oldest).length;
        if (expired > 0) {
          const discarded = attempt.entries.slice(0, expired);
          await this.#discard(discarded, 'RecordAgeExceeded', attempt);
          this.#commit(after(discarded.at(-1)!.sequenceNumber));
          attempt.entries = attempt.entries.slice(expired);
          if (attempt.entries.length === 0) queue.shift();
          continue;
        }
      }
      if (attempt.retrying) {
        await this.#delay(this.#owner.deps.retryDelayMs);
        if (this.#stopped) return;
      }
      attempt.invokeCount += 1;
      const outcome = await this.#invoke(attempt);
      attempt.lastOutcome = outcome;
      if (outcome.kind === 'ok') {
        this.#commit(after(attempt.entries.at(-1)!.sequenceNumber));
        queue.shift();
        continue;
      }
      if (outcome.kind === 'partial' && outcome.index > 0) {
        // Checkpoint before the lowest failed record; the rest is a new batch with its own retries
        // (recorded: test/recordings/aws/dynamodb-esm-report-batch-item-failures.json — the failed record
        // came 1 + 4 times, its on-failure record says approximateInvokeCount 4).
        this.#commit(after(attempt.entries[outcome.index - 1]!.sequenceNumber));
        queue[0] = { entries: attempt.entries.slice(outcome.index), invokeCount: 0, retrying: true };
        continue;
      }
      const bisectable = outcome.kind === 'failed' && outcome.bisectable;
      if (config.BisectBatchOnFunctionError && bisectable && attempt.entries.length > 1) {
        // Splitting a batch does not count towards the retry quota (Lambda developer guide).
        const middle = Math.ceil(attempt.entries.length / 2);
        queue.splice(
          0,
          1,
          { entries: attempt.entries.slice(0, middle), invokeCount: 0, retrying: true },
          { entries: attempt.entries.slice(middle), invokeCount: 0, retrying: true },
        );
        this.#owner.deps.trace.publish('esm.bisect', {
          uuid: config.UUID,
          shardId: this.shardId,
          sizes: [middle, attempt.entries.length - middle],
        });
        continue;
      }
      if (config.MaximumRetryAttempts !== -1 && attempt.invokeCount > config.MaximumRetryAttempts) {
        await this.#discard(attempt.entries, 'RetryAttemptsExhausted', attempt);
        this.#commit(after(attempt.entries.at(-1)!.sequenceNumber));
        queue.shift();
        continue;
      }
      attempt.retrying = true;
    }
  }

  async #invoke(attempt: Attempt): Promise<Outcome> {
    const { deps } = this.#owner;
    const config = this.#mapping.config;
    const entries = attempt.entries;
    const requestId = randomUUID();
    attempt.lastRequestId = requestId;
    deps.trace.publish(
      'esm.batch',
      {
        uuid: config.UUID,
        functionArn: config.FunctionArn,
        eventSourceArn: config.EventSourceArn,
        shardId: this.shardId,
        size: entries.length,
        firstSequence: entries[0]!.itemIdentifier,
        lastSequence: entries.at(-1)!.itemIdentifier,
        attempt: attempt.invokeCount,
      },
      requestId,
    );
    let outcome: Outcome;
    let errorMessage: string | undefined;
    try {
      const result = await deps.invoke(config.FunctionArn, invocationEvent(entries), { requestId, source: 'esm' });
      if (result.requestId) attempt.lastRequestId = result.requestId;
      if (result.functionError) {
        outcome = { kind: 'failed', functionError: result.functionError, statusCode: 200, bisectable: true };
        errorMessage = result.payload;
      } else if (config.FunctionResponseTypes.includes('ReportBatchItemFailures')) {
        outcome = parseBatchItemFailures(result.payload, entries);
      } else {
        outcome = { kind: 'ok' };
      }
    } catch (error) {
      // Lambda could not run the function (deleted, payload refused, service closing …).
      const status = (error as { status?: unknown }).status;
      outcome = {
        kind: 'failed',
        functionError: null,
        statusCode: typeof status === 'number' ? status : 500,
        bisectable: false,
      };
      errorMessage = (error as Error).message;
    }
    config.LastProcessingResult = outcome.kind === 'failed' ? PROCESSING_FAILED : PROCESSING_OK;
    deps.changed();
    deps.trace.publish(
      'esm.invoke.result',
      {
        uuid: config.UUID,
        shardId: this.shardId,
        ok: outcome.kind === 'ok',
        outcome: outcome.kind,
        ...(outcome.kind === 'partial' ? { failedSequence: entries[outcome.index]!.itemIdentifier } : {}),
        ...(outcome.kind === 'failed' ? { functionError: outcome.functionError, error: errorMessage } : {}),
        attempt: attempt.invokeCount,
        retries: attempt.invokeCount - 1,
      },
      attempt.lastRequestId,
    );
    return outcome;
  }

  /** Sends a discarded batch's invocation record to the on-failure destination (if any) and moves on. */
  async #discard(entries: readonly BatchEntry[], condition: FailureCondition, attempt: Attempt): Promise<void> {
    const { deps } = this.#owner;
    const config = this.#mapping.config;
    const destination = config.DestinationConfig.OnFailure.Destination;
    const now = Date.now();
    const failed = attempt.lastOutcome?.kind === 'failed' ? attempt.lastOutcome : undefined;
    const record = onFailureRecord(
      {
        uuid: config.UUID,
        kind: this.#mapping.kind,
        streamArn: config.EventSourceArn,
        shardId: this.shardId,
        functionArn: config.FunctionArn,
        condition,
        requestId: attempt.lastRequestId ?? randomUUID(),
        approximateInvokeCount: attempt.invokeCount,
        statusCode: failed?.statusCode ?? 200,
        functionError: failed?.functionError ?? null,
        now,
      },
      entries,
      { withPayload: true },
    );
    const detail: Record<string, unknown> = {
      uuid: config.UUID,
      shardId: this.shardId,
      condition,
      approximateInvokeCount: attempt.invokeCount,
      batchSize: entries.length,
      startSequenceNumber: entries[0]!.itemIdentifier,
      endSequenceNumber: entries.at(-1)!.itemIdentifier,
      destination: destination ?? null,
    };
    if (destination === undefined) {
      deps.trace.publish('esm.onfailure', {
        ...detail,
        delivered: false,
        reason: 'no on-failure destination: records discarded',
      });
      return;
    }
    const bucket = destination.slice(destination.lastIndexOf(':') + 1);
    const key = onFailureObjectKey(config.UUID, this.shardId, now);
    try {
      if (!deps.s3PutObject) throw new Error('the local cloud was started without S3 for on-failure destinations');
      await deps.s3PutObject(bucket, key, JSON.stringify(record));
      deps.trace.publish('esm.onfailure', { ...detail, delivered: true, bucket, key });
    } catch (error) {
      deps.trace.publish('esm.onfailure', {
        ...detail,
        delivered: false,
        bucket,
        key,
        reason: (error as Error).message,
      });
    }
  }
}

/** All shard pollers of one enabled mapping. */
export class MappingPoller {
  readonly mapping: MappingRecord;
  readonly source: StreamSource;
  readonly deps: PollerDependencies;
  patterns: readonly Pattern[];
  readonly #shards = new Map<string, ShardPoller>();
  #unsubscribe: (() => void) | undefined;
  #stopped = false;

  constructor(mapping: MappingRecord, source: StreamSource, deps: PollerDependencies) {
    this.mapping = mapping;
    this.source = source;
    this.deps = deps;
    this.patterns = compileFilters(mapping.config.FilterCriteria?.Filters);
  }

  start(): void {
    this.#unsubscribe = this.source.store.onRecords(this.mapping.config.EventSourceArn, (shardId) => {
      const poller = this.#shards.get(shardId);
      if (poller) poller.wake();
      else this.#discover();
    });
    this.#discover();
  }

  /** Configuration changed (batch size, filters …): apply from the next batch. */
  reconfigure(): void {
    this.patterns = compileFilters(this.mapping.config.FilterCriteria?.Filters);
    for (const poller of this.#shards.values()) poller.wake();
  }

  /** Stops polling; resolves once the batch in flight (if any) has returned. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    for (const poller of this.#shards.values()) poller.stop();
    await Promise.all([...this.#shards.values()].map((poller) => poller.done));
  }

  /** A shard is processed only after its parent shard has been read to its end. */
  parentDone(shardId: string): boolean {
    const stream = this.source.store.get(this.mapping.config.EventSourceArn);
    const parentId = stream?.shards.find((shard) => shard.shardId === shardId)?.parentShardId;
    if (parentId === undefined) return true;
    const parent = this.#shards.get(parentId);
    return parent === undefined || parent.finished;
  }

  shardFinished(): void {
    for (const poller of this.#shards.values()) poller.wake();
  }

  #discover(): void {
    if (this.#stopped) return;
    const stream = this.source.store.get(this.mapping.config.EventSourceArn);
    if (stream !== undefined && this.mapping.streamCreatedAt !== stream.createdAt) {
      if (this.mapping.streamCreatedAt !== undefined) {
        this.deps.trace.publish('esm.checkpoint.reset', {
          uuid: this.mapping.config.UUID,
          reason: 'the stream was recreated: reading it from TRIM_HORIZON',
        });
        for (const shardId of Object.keys(this.mapping.checkpoints)) delete this.mapping.checkpoints[shardId];
        this.mapping.initialPosition = { type: 'TRIM_HORIZON' };
      }
      this.mapping.streamCreatedAt = stream.createdAt;
      this.deps.changed();
    }
    // Sequence numbers grow across the whole stream, so the mapping's initial position (LATEST is
    // fixed at creation) also suits shards that appear later.
    for (const shard of stream?.shards ?? []) {
      if (this.#shards.has(shard.shardId)) continue;
      const poller = new ShardPoller(this, shard.shardId);
      this.#shards.set(shard.shardId, poller);
      poller.start();
    }
  }
}
