import { createHash } from 'node:crypto';
import { ACCOUNT_ID } from '../edge/types.ts';
import type { ShardStore } from '../streams/shard-store.ts';
import type { TraceBus } from '../trace/bus.ts';
import type { Item, KeySchemaElement, TableRecord } from './engine.ts';
import { buildStreamRecord, type DynamoDBStreamRecord, itemsEqual, type StreamViewType } from './stream-record.ts';

/** A table's stream, as DescribeStream reports it. */
export interface TableStream {
  readonly arn: string;
  /** ISO timestamp without zone, e.g. `2025-10-08T12:34:09.123` (the ARN's last part). */
  readonly label: string;
  readonly tableName: string;
  readonly keySchema: readonly KeySchemaElement[];
  readonly viewType: StreamViewType;
  status: 'ENABLED' | 'DISABLED';
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** The stream's only shard. AWS splits shards over time; one shard per stream is enough locally. */
  readonly shardId: string;
}

/**
 * The tables' DynamoDB streams on top of the shared shard engine: creates and closes streams, and turns item
 * writes into stream records. Stream settings live in the table record (so they persist with the table);
 * stream records live in memory for the 24-hour retention.
 */
export class TableStreams {
  readonly store: ShardStore<DynamoDBStreamRecord>;
  readonly #region: string;
  readonly #trace: TraceBus;
  readonly #byArn = new Map<string, TableStream>();
  /** The enabled stream per table name. */
  readonly #enabled = new Map<string, TableStream>();

  constructor({ store, region, trace }: { store: ShardStore<DynamoDBStreamRecord>; region: string; trace: TraceBus }) {
    this.store = store;
    this.#region = region;
    this.#trace = trace;
  }

  /** Whether writes to the table produce records. */
  isEnabled(tableName: string): boolean {
    return this.#enabled.has(tableName);
  }

  get(arn: string): TableStream | undefined {
    return this.#byArn.get(arn);
  }

  /** Streams, oldest first, optionally of one table. */
  list(tableName?: string): TableStream[] {
    return [...this.#byArn.values()]
      .filter((stream) => tableName === undefined || stream.tableName === tableName)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** A new stream label and ARN for a table (unique even when re-enabled within the same millisecond). */
  newIdentity(tableName: string): { label: string; arn: string } {
    let at = this.store.now();
    for (;;) {
      const label = new Date(at).toISOString().slice(0, -1);
      const arn = `arn:aws:dynamodb:${this.#region}:${ACCOUNT_ID}:table/${tableName}/stream/${label}`;
      if (!this.#byArn.has(arn) && this.store.get(arn) === undefined) return { label, arn };
      at += 1;
    }
  }

  /** Opens the stream named in a table record (after CreateTable/UpdateTable, or on restart). */
  open(table: TableRecord): TableStream | undefined {
    const arn = table.LatestStreamArn;
    const label = table.LatestStreamLabel;
    const viewType = (table.StreamSpecification?.StreamViewType ?? table.LocalCloudStreamViewType) as
      | StreamViewType
      | undefined;
    if (arn === undefined || label === undefined || viewType === undefined) return undefined;
    const existing = this.#byArn.get(arn);
    if (existing) return existing;
    const createdAt = Date.parse(`${label}Z`);
    const stream: TableStream = {
      arn,
      label,
      tableName: table.TableName,
      keySchema: table.KeySchema,
      viewType,
      status: 'ENABLED',
      createdAt,
      // AWS shard ids look like shardId-00000001414576573621-f55eea83; derived from the ARN so they survive restarts.
      shardId: `shardId-${String(createdAt).padStart(20, '0')}-${createHash('sha256').update(arn).digest('hex').slice(0, 8)}`,
    };
    this.store.get(arn) ?? this.store.create(arn);
    const shards = this.store.require(arn);
    if (!shards.shards.some((s) => s.shardId === stream.shardId)) shards.addShard(stream.shardId);
    this.#byArn.set(arn, stream);
    if (table.StreamSpecification?.StreamEnabled === true) this.#enabled.set(table.TableName, stream);
    else this.#close(stream);
    return stream;
  }

  /** Disables the table's stream (UpdateTable StreamEnabled=false, DeleteTable): readable for 24 hours, then gone. */
  disable(tableName: string): void {
    const stream = this.#enabled.get(tableName);
    if (stream === undefined) return;
    this.#enabled.delete(tableName);
    this.#close(stream);
  }

  #close(stream: TableStream): void {
    stream.status = 'DISABLED';
    const shards = this.store.get(stream.arn);
    const shard = shards?.shards.find((s) => s.shardId === stream.shardId);
    if (shards && shard && shard.endingSequenceNumber === undefined) {
      // The newest sequence number handed out (LATEST starts one past it): nothing more will be appended.
      shard.endingSequenceNumber = shards.formatSequence(BigInt(shards.latest()) - 1n);
    }
  }

  /**
   * Records one item write. Called inside dynalite's per-item lock, so records of one item are appended in
   * the order of its writes. A write that changes nothing produces no record, as on AWS.
   */
  capture(tableName: string, oldItem: Item | undefined, newItem: Item | undefined): DynamoDBStreamRecord | undefined {
    const stream = this.#enabled.get(tableName);
    if (stream === undefined || (oldItem === undefined && newItem === undefined)) return undefined;
    if (oldItem !== undefined && newItem !== undefined && itemsEqual(oldItem, newItem)) return undefined;
    const shards = this.store.require(stream.arn);
    // The append below is synchronous, so the next sequence number is the one it will receive.
    const sequenceNumber = shards.latest();
    const record = buildStreamRecord({
      keySchema: stream.keySchema,
      oldItem,
      newItem,
      viewType: stream.viewType,
      region: this.#region,
      sequenceNumber,
      now: this.store.now(),
    });
    const appended = this.store.append(stream.arn, stream.shardId, record);
    if (appended.sequenceNumber !== sequenceNumber) {
      throw new Error(`Stream record numbered ${appended.sequenceNumber}, expected ${sequenceNumber}`);
    }
    this.#trace.publish('dynamodb.stream.record', {
      table: tableName,
      eventName: record.eventName,
      keys: record.dynamodb.Keys,
      sequenceNumber,
    });
    return record;
  }
}
