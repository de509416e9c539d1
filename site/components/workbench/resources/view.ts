// What the resources panel shows, without the DOM: sizes and times as a learner reads them, the
// columns of a table of items, a JSON value in one short cell, and which trace messages may have
// changed a bucket or a table (so the panel refreshes then, and only then).
import type { ResourcesView, TraceMessage } from '../../../lib/workbench-api.ts';

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

/**
 * Columns for a list of items: every attribute that appears, in the order of first appearance
 * (the key attributes come first in DynamoDB's answers), at most `max`.
 */
export function tableColumns(items: readonly Record<string, unknown>[], max = 8): string[] {
  const columns: string[] = [];
  for (const item of items) {
    for (const key of Object.keys(item)) {
      if (!columns.includes(key)) columns.push(key);
    }
  }
  return columns.slice(0, max);
}

/** A value in one table cell: strings as they are, anything else as compact JSON, cut at `max`. */
export function cellText(value: unknown, max = 80): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
