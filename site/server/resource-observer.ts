// What the workbook can observe of a deployed sandbox besides its logs: what its buckets and tables
// hold. While anyone listens it lists the scenarios' buckets and scans their tables, compares each
// look with the one before, and publishes every object or item that appeared, changed or went away
// as a trace step (`s3.request` / `dynamodb.request` with `observed` set), so the flow diagram and
// the resources panel follow a sandbox on AWS as they follow the local cloud.
//
// Polling costs requests on AWS, so it is brisk only for a while after something happened (a
// trigger, an invoke, a function seen starting in its logs — `nudge`) and slow otherwise.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ScenarioId } from '../../scenarios/catalog.ts';
import { createPollingSource } from './polling-source.ts';
import { resourcesView } from './resources.ts';
import type { TraceRecord, TraceSource } from './runtime.ts';
import { clientConfig, type Target } from './target.ts';

export interface ResourceObserverOptions {
  readonly target: Target;
  /** The deployed scenarios to watch (read again on every poll). */
  readonly scenarios: () => readonly ScenarioId[];
  /** Between looks while nothing happened. @default 15 s */
  readonly idleIntervalMs?: number;
  /** Between looks for `activeForMs` after a nudge. @default 1 s */
  readonly activeIntervalMs?: number;
  /** @default 60 s */
  readonly activeForMs?: number;
  /** Called with each poll error. @default ignored */
  readonly onError?: (error: unknown, scenario: ScenarioId) => void;
  /** @default 200 */
  readonly keep?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface ResourceObserver extends TraceSource {
  /** Looks once now. */
  poll(): Promise<void>;
  /** Something just happened: look now, and often for a while. */
  nudge(): void;
  close(): void;
}

/** Last look at one bucket (key → size and time) or table (item key → item JSON). */
type Snapshot = Map<string, string>;

/** A stable identity of an item: its key attributes, in order; the whole item when they are unknown. */
export function itemIdentity(item: Readonly<Record<string, unknown>>, key: readonly string[]): string {
  if (key.length === 0) return JSON.stringify(item);
  return JSON.stringify(key.map((name) => item[name]));
}

/**
 * The steps between two looks at a bucket: objects that appeared or changed (`PutObject`) and went
 * away (`DeleteObject`).
 */
export function bucketChanges(
  bucket: string,
  before: Snapshot,
  after: Snapshot,
  time: number,
  sizes: ReadonlyMap<string, number>,
): TraceRecord[] {
  const records: TraceRecord[] = [];
  for (const [key, version] of after) {
    if (before.get(key) === version) continue;
    records.push({
      type: 's3.request',
      time,
      detail: {
        operation: 'PutObject',
        bucket,
        key,
        size: sizes.get(key),
        status: 200,
        observed: 'the bucket listing',
      },
    });
  }
  for (const key of before.keys()) {
    if (after.has(key)) continue;
    records.push({
      type: 's3.request',
      time,
      detail: { operation: 'DeleteObject', bucket, key, status: 204, observed: 'the bucket listing' },
    });
  }
  return records;
}

/** The steps between two scans of a table: items new (`PutItem`), changed (`UpdateItem`) or gone (`DeleteItem`). */
export function tableChanges(
  table: string,
  before: Snapshot,
  after: Snapshot,
  time: number,
  keys: ReadonlyMap<string, unknown>,
): TraceRecord[] {
  const records: TraceRecord[] = [];
  for (const [id, item] of after) {
    const previous = before.get(id);
    if (previous === item) continue;
    records.push({
      type: 'dynamodb.request',
      time,
      detail: {
        operation: previous === undefined ? 'PutItem' : 'UpdateItem',
        table,
        key: keys.get(id),
        status: 200,
        observed: 'a table scan',
      },
    });
  }
  for (const id of before.keys()) {
    if (after.has(id)) continue;
    records.push({
      type: 'dynamodb.request',
      time,
      detail: { operation: 'DeleteItem', table, key: keys.get(id), status: 200, observed: 'a table scan' },
    });
  }
  return records;
}

export function createResourceObserver(options: ResourceObserverOptions): ResourceObserver {
  const now = options.now ?? Date.now;
  const idleMs = options.idleIntervalMs ?? 15_000;
  const activeMs = options.activeIntervalMs ?? 1000;
  const activeForMs = options.activeForMs ?? 60_000;
  let dynamodb: DynamoDBClient | undefined;
  const keyNames = new Map<string, Promise<readonly string[]>>();
  /** A table's key attribute names (DescribeTable, once per table). */
  const keyOf = (table: string) => {
    let known = keyNames.get(table);
    if (known === undefined) {
      dynamodb ??= new DynamoDBClient(clientConfig(options.target));
      known = dynamodb
        .send(new DescribeTableCommand({ TableName: table }))
        .then((described) =>
          (described.Table?.KeySchema ?? []).flatMap((k) => (k.AttributeName ? [k.AttributeName] : [])),
        );
      known.catch(() => keyNames.delete(table));
      keyNames.set(table, known);
    }
    return known;
  };
  /** Per bucket or table name: the last look (absent until the first, which publishes nothing). */
  const snapshots = new Map<string, Snapshot>();
  let activeUntil = 0;

  async function look(scenario: ScenarioId, publish: (record: TraceRecord) => void): Promise<void> {
    const seen = await resourcesView(options.target, scenario);
    const time = now();
    for (const bucket of seen.buckets) {
      const after: Snapshot = new Map();
      const sizes = new Map<string, number>();
      for (const object of bucket.objects) {
        after.set(object.key, `${object.size}@${object.lastModified}`);
        sizes.set(object.key, object.size);
      }
      const before = snapshots.get(`s3:${bucket.name}`);
      snapshots.set(`s3:${bucket.name}`, after);
      if (before !== undefined)
        for (const record of bucketChanges(bucket.name, before, after, time, sizes)) publish(record);
    }
    for (const table of seen.tables) {
      const key = await keyOf(table.name);
      const after: Snapshot = new Map();
      const keys = new Map<string, unknown>();
      for (const item of table.items) {
        const id = itemIdentity(item, key);
        after.set(id, JSON.stringify(item));
        keys.set(id, key.length > 0 ? Object.fromEntries(key.map((name) => [name, item[name]])) : undefined);
      }
      const before = snapshots.get(`dynamodb:${table.name}`);
      // Keys of items that went away are only in the look before.
      if (before !== undefined) {
        for (const id of before.keys()) {
          if (!keys.has(id)) {
            const item = JSON.parse(before.get(id) ?? '{}') as Record<string, unknown>;
            keys.set(id, key.length > 0 ? Object.fromEntries(key.map((name) => [name, item[name]])) : undefined);
          }
        }
      }
      snapshots.set(`dynamodb:${table.name}`, after);
      if (before !== undefined)
        for (const record of tableChanges(table.name, before, after, time, keys)) publish(record);
    }
  }

  const source = createPollingSource({
    ...(options.keep !== undefined ? { keep: options.keep } : {}),
    interval: () => (now() < activeUntil ? activeMs : idleMs),
    async look(publish, closed) {
      for (const scenario of options.scenarios()) {
        if (closed()) return;
        try {
          await look(scenario, publish);
        } catch (error) {
          options.onError?.(error, scenario);
        }
      }
    },
    onClose: () => dynamodb?.destroy(),
  });
  return {
    subscribe: source.subscribe,
    recent: source.recent,
    poll: source.poll,
    nudge() {
      activeUntil = now() + activeForMs;
      source.wake();
    },
    close: source.close,
  };
}

/**
 * Whether a record says a function started (it may write soon) or finished (its writes are done):
 * AWS mode then looks at the buckets and tables at once.
 */
export function marksFunctionActivity(record: TraceRecord): boolean {
  return record.type === 'lambda.log' && /^(START|REPORT) RequestId:/.test(String(record.detail.line ?? ''));
}

/**
 * One trace source from several (AWS mode: the logs and the resources). A nudge reaches each that
 * takes one; `onRecord` sees every record first (AWS mode nudges the resource observer when a log
 * line says a function started).
 */
export function mergeTraceSources(
  sources: readonly (TraceSource & { nudge?(): void })[],
  onRecord?: (record: TraceRecord) => void,
): TraceSource & { nudge(): void } {
  return {
    subscribe(listener) {
      const unsubscribes = sources.map((source) =>
        source.subscribe((record) => {
          onRecord?.(record);
          listener(record);
        }),
      );
      return () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
      };
    },
    recent: () => sources.flatMap((source) => source.recent()).sort((a, b) => a.time - b.time),
    nudge() {
      for (const source of sources) source.nudge?.();
    },
  };
}
