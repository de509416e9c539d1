import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PutLogEvents counts each event as its UTF-8 message plus 26 bytes (PutLogEvents API reference). */
export const EVENT_OVERHEAD_BYTES = 26;
export const DAY_MS = 86_400_000;
/** Events kept in memory at most, counted as PutLogEvents counts them. @default 64 MiB */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** Log streams the local store holds at most (every one costs memory even when empty). */
export const DEFAULT_MAX_STREAMS = 50_000;

/** One stored log event. */
export interface StoredEvent {
  readonly timestamp: number;
  readonly ingestionTime: number;
  /** Order of arrival across the whole store: breaks ties between equal timestamps and makes event ids unique. */
  readonly seq: number;
  readonly message: string;
  /** UTF-8 bytes of the message plus {@link EVENT_OVERHEAD_BYTES}. */
  readonly bytes: number;
}

export interface LogStreamRecord {
  readonly name: string;
  readonly creationTime: number;
  /** Sorted by (timestamp, seq). */
  readonly events: StoredEvent[];
  /** Ingestion time of the last batch. */
  lastIngestionTime?: number;
  /** Accepted PutLogEvents batches: the (ignored) sequence token AWS still returns. */
  uploads: number;
  bytes: number;
}

export interface LogGroupRecord {
  readonly name: string;
  readonly creationTime: number;
  retentionInDays?: number;
  readonly logGroupClass: string;
  readonly kmsKeyId?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly streams: Map<string, LogStreamRecord>;
  bytes: number;
  /** Size of the group's journal file, to know when compacting it pays. */
  journalBytes: number;
}

export interface NewGroup {
  readonly logGroupClass?: string;
  readonly kmsKeyId?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly retentionInDays?: number;
}

export interface LogStoreOptions {
  /** Log groups persist under `<dataDir>/logs/` (one append-only journal per group); undefined keeps them in memory. */
  readonly dataDir?: string;
  /** @default DEFAULT_MAX_BYTES: past it the oldest events are dropped, store-wide. */
  readonly maxBytes?: number;
  /** @default DEFAULT_MAX_STREAMS */
  readonly maxStreams?: number;
  readonly now?: () => number;
}

/** The journal's lines: replayed in order on start. */
type JournalEntry =
  | {
      op: 'group';
      name: string;
      creationTime: number;
      logGroupClass: string;
      kmsKeyId?: string;
      tags: Record<string, string>;
      retentionInDays?: number;
    }
  | { op: 'retention'; days: number | null }
  | { op: 'stream'; name: string; creationTime: number }
  | { op: 'delete-stream'; name: string }
  | { op: 'events'; stream: string; ingestionTime: number; events: [number, string][] };

const byteLength = (message: string) => Buffer.byteLength(message, 'utf8') + EVENT_OVERHEAD_BYTES;

/** Index of the first event sorting after `timestamp` (events of equal timestamp keep their arrival order). */
function upperBound(events: readonly StoredEvent[], timestamp: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.timestamp <= timestamp) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * CloudWatch Logs' data: log groups, their streams and events, in memory. Memory is bounded: past
 * `maxBytes` the oldest events (store-wide) are dropped, as if their retention had run out. With a
 * data directory every change is appended to the group's journal (`<dataDir>/logs/<hash>.ndjson`)
 * and replayed on start; a journal much larger than what it holds is rewritten.
 */
export class LogStore {
  readonly #dir: string | undefined;
  readonly #maxBytes: number;
  readonly #maxStreams: number;
  readonly #now: () => number;
  readonly #groups = new Map<string, LogGroupRecord>();
  #seq = 0;
  #bytes = 0;
  #streams = 0;

  constructor({
    dataDir,
    maxBytes = DEFAULT_MAX_BYTES,
    maxStreams = DEFAULT_MAX_STREAMS,
    now = Date.now,
  }: LogStoreOptions = {}) {
    this.#dir = dataDir === undefined ? undefined : join(dataDir, 'logs');
    this.#maxBytes = maxBytes;
    this.#maxStreams = maxStreams;
    this.#now = now;
    if (this.#dir !== undefined) {
      mkdirSync(this.#dir, { recursive: true });
      this.#load(this.#dir);
    }
  }

  now(): number {
    return this.#now();
  }

  /** Bytes of events held (as PutLogEvents counts them). */
  get bytes(): number {
    return this.#bytes;
  }

  get streamCount(): number {
    return this.#streams;
  }

  get maxStreams(): number {
    return this.#maxStreams;
  }

  /** The group, with events past its retention removed. */
  group(name: string): LogGroupRecord | undefined {
    const group = this.#groups.get(name);
    if (group !== undefined) this.#expire(group);
    return group;
  }

  /** Every group, sorted by name (as DescribeLogGroups lists them). */
  groups(): LogGroupRecord[] {
    return [...this.#groups.keys()].sort(compare).map((name) => this.group(name)!);
  }

  createGroup(name: string, options: NewGroup = {}): LogGroupRecord {
    const group: LogGroupRecord = {
      name,
      creationTime: this.#now(),
      logGroupClass: options.logGroupClass ?? 'STANDARD',
      ...(options.kmsKeyId === undefined ? {} : { kmsKeyId: options.kmsKeyId }),
      ...(options.retentionInDays === undefined ? {} : { retentionInDays: options.retentionInDays }),
      tags: { ...options.tags },
      streams: new Map(),
      bytes: 0,
      journalBytes: 0,
    };
    this.#groups.set(name, group);
    this.#write(group, this.#header(group));
    return group;
  }

  deleteGroup(name: string): boolean {
    const group = this.#groups.get(name);
    if (group === undefined) return false;
    this.#groups.delete(name);
    this.#bytes -= group.bytes;
    this.#streams -= group.streams.size;
    if (this.#dir !== undefined) rmSync(this.#file(name), { force: true });
    return true;
  }

  setRetention(group: LogGroupRecord, days: number | undefined): void {
    if (days === undefined) delete group.retentionInDays;
    else group.retentionInDays = days;
    this.#write(group, { op: 'retention', days: days ?? null });
    this.#expire(group);
  }

  createStream(group: LogGroupRecord, name: string): LogStreamRecord {
    const stream: LogStreamRecord = { name, creationTime: this.#now(), events: [], uploads: 0, bytes: 0 };
    group.streams.set(name, stream);
    this.#streams += 1;
    this.#write(group, { op: 'stream', name, creationTime: stream.creationTime });
    return stream;
  }

  deleteStream(group: LogGroupRecord, name: string): boolean {
    const stream = group.streams.get(name);
    if (stream === undefined) return false;
    group.streams.delete(name);
    this.#streams -= 1;
    group.bytes -= stream.bytes;
    this.#bytes -= stream.bytes;
    this.#write(group, { op: 'delete-stream', name });
    this.#compactIfWorthIt(group);
    return true;
  }

  /**
   * Stores a batch of events (already checked: timestamps within what the stream accepts) and
   * returns their size as PutLogEvents counts it. Events may come in any order relative to what
   * the stream holds: each is inserted in timestamp order.
   */
  append(
    group: LogGroupRecord,
    stream: LogStreamRecord,
    events: readonly { readonly timestamp: number; readonly message: string }[],
  ): number {
    if (events.length === 0) return 0;
    const ingestionTime = this.#now();
    const added = this.#insert(group, stream, ingestionTime, events);
    // In memory (no journal), not even built: this runs for every batch of a function's log lines.
    if (this.#dir !== undefined)
      this.#write(group, {
        op: 'events',
        stream: stream.name,
        ingestionTime,
        events: events.map((event) => [event.timestamp, event.message]),
      });
    if (this.#bytes > this.#maxBytes) this.#evict();
    return added;
  }

  /** Writes pending journal compactions; nothing is held open, so there is nothing else to close. */
  close(): void {
    for (const group of this.#groups.values()) this.#compactIfWorthIt(group);
  }

  // ------------------------------------------------------------------------------- internals

  #insert(
    group: LogGroupRecord,
    stream: LogStreamRecord,
    ingestionTime: number,
    events: readonly { readonly timestamp: number; readonly message: string }[],
  ): number {
    let added = 0;
    for (const { timestamp, message } of events) {
      this.#seq += 1;
      const event: StoredEvent = { timestamp, ingestionTime, seq: this.#seq, message, bytes: byteLength(message) };
      const last = stream.events.at(-1);
      if (last === undefined || last.timestamp <= timestamp) stream.events.push(event);
      else stream.events.splice(upperBound(stream.events, timestamp), 0, event);
      added += event.bytes;
    }
    stream.bytes += added;
    group.bytes += added;
    this.#bytes += added;
    stream.uploads += 1;
    stream.lastIngestionTime = ingestionTime;
    return added;
  }

  /** Drops events older than the group's retention (AWS deletes them; here they go at once). */
  #expire(group: LogGroupRecord): void {
    if (group.retentionInDays === undefined) return;
    const cutoff = this.#now() - group.retentionInDays * DAY_MS;
    let dropped = false;
    for (const stream of group.streams.values()) {
      const first = stream.events[0];
      if (first === undefined || first.timestamp >= cutoff) continue;
      const count = upperBound(stream.events, cutoff - 1);
      this.#drop(group, stream, count);
      dropped = true;
    }
    if (dropped) this.#compactIfWorthIt(group);
  }

  #drop(group: LogGroupRecord, stream: LogStreamRecord, count: number): void {
    let freed = 0;
    for (const event of stream.events.splice(0, count)) freed += event.bytes;
    stream.bytes -= freed;
    group.bytes -= freed;
    this.#bytes -= freed;
  }

  /** Over the memory budget: drop the oldest events store-wide until a tenth of it is free again. */
  #evict(): void {
    const target = this.#maxBytes * 0.9;
    const touched = new Set<LogGroupRecord>();
    while (this.#bytes > target) {
      let oldest: { group: LogGroupRecord; stream: LogStreamRecord; timestamp: number } | undefined;
      for (const group of this.#groups.values()) {
        for (const stream of group.streams.values()) {
          const first = stream.events[0];
          if (first !== undefined && (oldest === undefined || first.timestamp < oldest.timestamp)) {
            oldest = { group, stream, timestamp: first.timestamp };
          }
        }
      }
      if (oldest === undefined) break;
      const { group, stream } = oldest;
      // A quarter of that stream at a time keeps the scans few.
      this.#drop(group, stream, Math.max(1, Math.ceil(stream.events.length / 4)));
      touched.add(group);
    }
    for (const group of touched) this.#compactIfWorthIt(group);
  }

  #file(name: string): string {
    return join(this.#dir!, `${createHash('sha256').update(name).digest('hex').slice(0, 32)}.ndjson`);
  }

  #header(group: LogGroupRecord): JournalEntry {
    return {
      op: 'group',
      name: group.name,
      creationTime: group.creationTime,
      logGroupClass: group.logGroupClass,
      ...(group.kmsKeyId === undefined ? {} : { kmsKeyId: group.kmsKeyId }),
      tags: { ...group.tags },
      ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
    };
  }

  #write(group: LogGroupRecord, entry: JournalEntry): void {
    if (this.#dir === undefined) return;
    const line = `${JSON.stringify(entry)}\n`;
    appendFileSync(this.#file(group.name), line);
    group.journalBytes += Buffer.byteLength(line);
  }

  /** Rewrites a journal that holds much more than its group (deleted streams, dropped events). */
  #compactIfWorthIt(group: LogGroupRecord): void {
    if (this.#dir === undefined || group.journalBytes <= 2 * group.bytes + 1024 * 1024) return;
    if (!this.#groups.has(group.name)) return;
    const lines = [JSON.stringify(this.#header(group))];
    for (const stream of group.streams.values()) {
      lines.push(JSON.stringify({ op: 'stream', name: stream.name, creationTime: stream.creationTime }));
      for (let start = 0; start < stream.events.length; start += 1000) {
        const chunk = stream.events.slice(start, start + 1000);
        lines.push(
          JSON.stringify({
            op: 'events',
            stream: stream.name,
            ingestionTime: chunk[0]!.ingestionTime,
            events: chunk.map((event) => [event.timestamp, event.message]),
          }),
        );
      }
    }
    const text = `${lines.join('\n')}\n`;
    const file = this.#file(group.name);
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    group.journalBytes = Buffer.byteLength(text);
  }

  #load(dir: string): void {
    for (const entry of readdirSync(dir).sort()) {
      if (!entry.endsWith('.ndjson')) continue;
      const file = join(dir, entry);
      const text = readFileSync(file, 'utf8');
      let group: LogGroupRecord | undefined;
      for (const line of text.split('\n')) {
        if (line === '') continue;
        let record: JournalEntry;
        try {
          record = JSON.parse(line) as JournalEntry;
        } catch {
          continue; // a line cut short by a crash
        }
        if (record.op === 'group') {
          if (group !== undefined) continue;
          group = {
            name: record.name,
            creationTime: record.creationTime,
            logGroupClass: record.logGroupClass,
            ...(record.kmsKeyId === undefined ? {} : { kmsKeyId: record.kmsKeyId }),
            ...(record.retentionInDays === undefined ? {} : { retentionInDays: record.retentionInDays }),
            tags: record.tags ?? {},
            streams: new Map(),
            bytes: 0,
            journalBytes: 0,
          };
          this.#groups.set(group.name, group);
        } else if (group === undefined) {
          break; // not a journal this store wrote
        } else if (record.op === 'retention') {
          if (record.days === null) delete group.retentionInDays;
          else group.retentionInDays = record.days;
        } else if (record.op === 'stream') {
          if (!group.streams.has(record.name)) {
            group.streams.set(record.name, {
              name: record.name,
              creationTime: record.creationTime,
              events: [],
              uploads: 0,
              bytes: 0,
            });
            this.#streams += 1;
          }
        } else if (record.op === 'delete-stream') {
          const stream = group.streams.get(record.name);
          if (stream !== undefined) {
            group.streams.delete(record.name);
            this.#streams -= 1;
            group.bytes -= stream.bytes;
            this.#bytes -= stream.bytes;
          }
        } else if (record.op === 'events') {
          const stream = group.streams.get(record.stream);
          if (stream === undefined) continue;
          this.#insert(
            group,
            stream,
            record.ingestionTime,
            record.events.map(([timestamp, message]) => ({ timestamp, message })),
          );
        }
      }
      if (group !== undefined) group.journalBytes = Buffer.byteLength(text);
    }
    for (const group of this.#groups.values()) this.#expire(group);
    if (this.#bytes > this.#maxBytes) this.#evict();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
