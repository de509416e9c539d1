// What the workbook can observe of a deployed sandbox besides its logs: what its buckets and tables
// hold. While anyone listens it lists the scenarios' buckets and scans their tables, compares each
// look with the one before, and publishes every object or item that appeared, changed or went away
// as a trace step (`s3.request` / `dynamodb.request` with `observed` set), so the flow diagram and
// the resources panel follow a sandbox on AWS as they follow the local cloud.
//
// Looks cost requests on AWS, so they follow what the logs said happened: a trigger or a function
// seen starting or finishing (`nudge`, with its scenario) makes the observer look at that
// scenario's buckets and tables at once and twice more within a few seconds; otherwise it looks
// every few minutes (for what changed outside the workbench).
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ScenarioId } from '../../scenarios/catalog.ts';
import { isThrottle, throttleNotice } from './observation-schedule.ts';
import { createPollingSource } from './polling-source.ts';
import { resourcesView } from './resources.ts';
import type { TraceRecord, TraceSource } from './runtime.ts';
import { clientConfig, type Target } from './target.ts';

export interface ResourceObserverOptions {
  readonly target: Target;
  /** The deployed scenarios to watch (read again on every poll). */
  readonly scenarios: () => readonly ScenarioId[];
  /** Between looks while nothing happened. @default 5 min */
  readonly idleIntervalMs?: number;
  /** Between looks for `activeForMs` after a nudge. @default 2 s */
  readonly activeIntervalMs?: number;
  /** @default 5 s */
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
  /** Something just happened (to `scenario`, or to any): look now, and often for a while. */
  nudge(scenario?: string): void;
  /** Listings and scans made so far (the simulation's account). */
  readonly requests: number;
  close(): void;
}

/** One entry of a look: what tells a change (`version`), and what a step reports of it. */
interface Seen {
  readonly version: string;
  /** An object's size, or an item's key attributes. */
  readonly detail: unknown;
}

/** Last look at one bucket (by object key) or table (by item identity). */
export type Look = ReadonlyMap<string, Seen>;

/** A stable identity of an item: its key attributes, in order; the whole item when they are unknown. */
export function itemIdentity(item: Readonly<Record<string, unknown>>, key: readonly string[]): string {
  if (key.length === 0) return JSON.stringify(item);
  return JSON.stringify(key.map((name) => item[name]));
}

/** A bucket listing as a look: objects by key, changed when their size or time changes. */
export function bucketLook(objects: readonly { key: string; size: number; lastModified: string }[]): Look {
  return new Map(objects.map((o) => [o.key, { version: `${o.size}@${o.lastModified}`, detail: o.size }]));
}

/** A table scan as a look: items by their key attributes, changed when anything in them changes. */
export function tableLook(items: readonly Readonly<Record<string, unknown>>[], key: readonly string[]): Look {
  return new Map(
    items.map((item) => [
      itemIdentity(item, key),
      {
        version: JSON.stringify(item),
        detail: key.length > 0 ? Object.fromEntries(key.map((name) => [name, item[name]])) : undefined,
      },
    ]),
  );
}

/**
 * The steps between two looks at a bucket: objects that appeared or changed (`PutObject`) and went
 * away (`DeleteObject`).
 */
export function bucketChanges(bucket: string, before: Look, after: Look, time: number): TraceRecord[] {
  const observed = 'the bucket listing';
  const records: TraceRecord[] = [];
  for (const [key, seen] of after) {
    if (before.get(key)?.version === seen.version) continue;
    records.push({
      type: 's3.request',
      time,
      detail: { operation: 'PutObject', bucket, key, size: seen.detail, status: 200, observed },
    });
  }
  for (const key of before.keys()) {
    if (after.has(key)) continue;
    records.push({
      type: 's3.request',
      time,
      detail: { operation: 'DeleteObject', bucket, key, status: 204, observed },
    });
  }
  return records;
}

/** The steps between two scans of a table: items new (`PutItem`), changed (`UpdateItem`) or gone (`DeleteItem`). */
export function tableChanges(table: string, before: Look, after: Look, time: number): TraceRecord[] {
  const observed = 'a table scan';
  const records: TraceRecord[] = [];
  for (const [id, seen] of after) {
    const previous = before.get(id);
    if (previous?.version === seen.version) continue;
    const operation = previous === undefined ? 'PutItem' : 'UpdateItem';
    records.push({
      type: 'dynamodb.request',
      time,
      detail: { operation, table, key: seen.detail, status: 200, observed },
    });
  }
  for (const [id, seen] of before) {
    if (after.has(id)) continue;
    records.push({
      type: 'dynamodb.request',
      time,
      detail: { operation: 'DeleteItem', table, key: seen.detail, status: 200, observed },
    });
  }
  return records;
}

export function createResourceObserver(options: ResourceObserverOptions): ResourceObserver {
  const now = options.now ?? Date.now;
  const idleMs = options.idleIntervalMs ?? 300_000;
  const activeMs = options.activeIntervalMs ?? 2000;
  const activeForMs = options.activeForMs ?? 5000;
  /** Scenarios nudged in the active window (looked at alone); empty: every scenario. */
  const nudged = new Set<string>();
  let everything = true;
  let requests = 0;
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
  const looks = new Map<string, Look>();
  let activeUntil = 0;

  /** Keeps `after` as the latest look at `name`, and publishes what changed since the one before. */
  const compare = (
    name: string,
    after: Look,
    changes: (before: Look) => TraceRecord[],
    publish: (r: TraceRecord) => void,
  ) => {
    const before = looks.get(name);
    looks.set(name, after);
    if (before !== undefined) for (const record of changes(before)) publish(record);
  };

  async function look(scenario: ScenarioId, publish: (record: TraceRecord) => void): Promise<void> {
    const seen = await resourcesView(options.target, scenario);
    requests += seen.buckets.length + seen.tables.length;
    const time = now();
    for (const bucket of seen.buckets) {
      const after = bucketLook(bucket.objects);
      compare(`s3:${bucket.name}`, after, (before) => bucketChanges(bucket.name, before, after, time), publish);
    }
    for (const table of seen.tables) {
      const after = tableLook(table.items, await keyOf(table.name));
      compare(`dynamodb:${table.name}`, after, (before) => tableChanges(table.name, before, after, time), publish);
    }
  }

  const source = createPollingSource({
    ...(options.keep !== undefined ? { keep: options.keep } : {}),
    interval: () => (now() < activeUntil ? activeMs : idleMs),
    async look(publish, closed) {
      const active = now() < activeUntil;
      const scenarios = options.scenarios().filter((scenario) => everything || !active || nudged.has(scenario));
      if (!active) {
        nudged.clear();
        everything = true;
      }
      for (const scenario of scenarios) {
        if (closed()) return;
        try {
          await look(scenario, publish);
        } catch (error) {
          if (isThrottle(error)) {
            publish({
              type: 'observer.notice',
              time: now(),
              detail: {
                service: scenario,
                message: throttleNotice(`AWS (${scenario}'s buckets and tables)`, active ? activeMs : idleMs),
                tone: 'error',
              },
            });
            return;
          }
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
    nudge(scenario) {
      if (now() >= activeUntil) {
        nudged.clear();
        everything = false;
      }
      if (scenario === undefined) everything = true;
      else nudged.add(scenario);
      activeUntil = now() + activeForMs;
      source.wake();
    },
    get requests() {
      return requests;
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
  sources: readonly (TraceSource & { nudge?(scenario?: string): void })[],
  onRecord?: (record: TraceRecord) => void,
): TraceSource & { nudge(scenario?: string): void } {
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
    nudge(scenario) {
      for (const source of sources) source.nudge?.(scenario);
    },
  };
}
