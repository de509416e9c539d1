// What the resources panel shows, without the DOM: sizes and times as a learner reads them, a
// table's items in a stable order with what the lesson is about first and bookkeeping apart, a
// value in one short cell, and which trace messages may have
// changed a bucket or a table (so the panel refreshes then, and only then).
import type { TablePresentation } from '../../../../scenarios/catalog.ts';
import type { BucketView, ResourcesView, TableView, TraceMessage } from '../../../lib/workbench-api.ts';

/** `1234` → `1.2 KB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** An ISO time as `14:05:09` today, or `2024-05-14 14:05` another day; the input when not a time. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
  if (time.toDateString() === now.toDateString()) return clock;
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${clock.slice(0, 5)}`;
}

/** A value in one table cell, whole: strings as they are, anything else as compact JSON. */
export function cellValue(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `text` cut in the middle to `max` characters (keys and names differ at both ends). */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

const collator = new Intl.Collator('en', { numeric: true });

/** Compares two cell values: numbers by value, anything else as text (numbers in it by value). */
function compareValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(cellValue(a), cellValue(b));
}

/** A table as the panel shows it: what the lesson is about first, in a stable order. */
export interface TablePlan {
  /** The key attribute (first column, the sort order). */
  readonly key: string | undefined;
  /** The lesson's items, sorted by key, and their columns. */
  readonly items: readonly Record<string, unknown>[];
  readonly columns: readonly string[];
  /** Bookkeeping items (folded under a count), sorted by key, and their columns. */
  readonly bookkeeping: readonly Record<string, unknown>[];
  readonly bookkeepingColumns: readonly string[];
  /** The bookkeeping items' name: `12 idempotency marks`. */
  readonly bookkeepingSummary: string | undefined;
}

/**
 * Columns in an order that does not move between refreshes: the key, the `preferred` ones that
 * appear (the lesson's), then every other attribute by name (upper case first), at most `max`.
 */
export function stableColumns(
  items: readonly Record<string, unknown>[],
  key: string | undefined,
  preferred: readonly string[] = [],
  max = 8,
): string[] {
  const names = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) names.add(name);
  const first = [...(key === undefined ? [] : [key]), ...preferred].filter((name) => names.has(name));
  const rest = [...names].filter((name) => !first.includes(name)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...first, ...rest].slice(0, max);
}

/** The key of a table without a presentation: the first attribute every item has. */
function guessKey(items: readonly Record<string, unknown>[]): string | undefined {
  const first = items[0];
  if (first === undefined) return undefined;
  return Object.keys(first).find((name) => items.every((item) => item[name] !== undefined));
}

/** How to show `table`: the lesson's items sorted by key, bookkeeping apart, columns stable. */
export function planTable(table: TableView, presentation?: TablePresentation): TablePlan {
  const key = presentation?.key ?? guessKey(table.items);
  const prefix = presentation?.bookkeeping?.prefix;
  const isBookkeeping = (item: Record<string, unknown>) =>
    prefix !== undefined && key !== undefined && typeof item[key] === 'string' && item[key].startsWith(prefix);
  const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    key === undefined ? 0 : compareValues(a[key], b[key]);
  const items = table.items.filter((item) => !isBookkeeping(item)).sort(byKey);
  const bookkeeping = table.items.filter(isBookkeeping).sort(byKey);
  const noun = presentation?.bookkeeping?.noun;
  return {
    key,
    items,
    columns: stableColumns(items, key, presentation?.columns),
    bookkeeping,
    bookkeepingColumns: stableColumns(bookkeeping, key),
    bookkeepingSummary:
      noun === undefined || bookkeeping.length === 0
        ? undefined
        : `${bookkeeping.length} ${bookkeeping.length === 1 ? noun[0] : noun[1]}`,
  };
}

/** A bucket's objects in a stable order: by key, as S3 lists them, numbers in keys by value. */
export function sortObjects(objects: BucketView['objects']): BucketView['objects'] {
  return [...objects].sort((a, b) => collator.compare(a.key, b.key));
}

const WRITES = new Set([
  'PutObject',
  'CopyObject',
  'DeleteObject',
  'DeleteObjects',
  'CompleteMultipartUpload',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/**
 * Whether a trace message may have changed what the panel shows: a successful write to one of
 * `names` (every bucket and table when `names` is empty, before the first load).
 */
export function changesResources(message: TraceMessage, names: ReadonlySet<string>): boolean {
  if (message.type !== 's3.request' && message.type !== 'dynamodb.request') return false;
  const { operation, status } = message.detail;
  if (typeof operation !== 'string' || !WRITES.has(operation)) return false;
  if (typeof status === 'number' && status >= 300) return false;
  const name = message.detail.bucket ?? message.detail.table;
  return names.size === 0 || (typeof name === 'string' && names.has(name));
}

/** The physical names of every bucket and table in a view. */
export function resourceNames(view: ResourcesView): Set<string> {
  return new Set([...view.buckets.map((bucket) => bucket.name), ...view.tables.map((table) => table.name)]);
}

/** `thumbnailsBucket` → `Thumbnails bucket`. */
export function roleTitle(role: string): string {
  const words = role.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The panel's refresh timing: when it last refreshed, and since when a write waits for one. */
export interface RefreshState {
  readonly lastRefresh?: number;
  readonly pendingSince?: number;
}

/**
 * Milliseconds to wait before refreshing after a write seen at `now`: none when the panel has been
 * quiet for `debounceMs` (the thumbnail shows as soon as it is written), otherwise `debounceMs`
 * after the last write of a burst — but never more than `maxWaitMs` after the first.
 */
export function refreshDelay(now: number, state: RefreshState, debounceMs = 120, maxWaitMs = 600): number {
  if (state.pendingSince === undefined && (state.lastRefresh === undefined || now - state.lastRefresh >= debounceMs)) {
    return 0;
  }
  const since = state.pendingSince ?? now;
  return Math.min(debounceMs, Math.max(0, since + maxWaitMs - now));
}
