import { describe, expect, it } from 'vitest';
import {
  cellValue,
  changesResources,
  formatBytes,
  formatTime,
  planTable,
  refreshDelay,
  resourceNames,
  roleTitle,
  shorten,
  sortObjects,
  stableColumns,
} from '../../../../site/components/workbench/resources/view.ts';
import type { TraceMessage } from '../../../../site/lib/workbench-api.ts';

const trace = (type: string, detail: Record<string, unknown>): TraceMessage => ({ type, time: 0, detail });

describe('resources panel helpers', () => {
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12_345)).toBe('12 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(-1)).toBe('?');
  });

  it('formats times: the clock today, the date another day', () => {
    const now = new Date(2024, 4, 14, 12, 0, 0);
    expect(formatTime(new Date(2024, 4, 14, 9, 5, 7).toISOString(), now)).toBe('09:05:07');
    expect(formatTime(new Date(2024, 4, 13, 9, 5, 7).toISOString(), now)).toBe('2024-05-13 09:05');
    expect(formatTime('not a time', now)).toBe('not a time');
  });

  it('orders columns so they do not move between refreshes: the key, then by name, at most eight', () => {
    const items = [
      { metric: 'orders', revenue: 85, INSERT: 2 },
      { clicks: 3, metric: 'page#/pricing' },
      { REMOVE: 1, metric: 'orders' },
    ];
    expect(stableColumns(items, 'metric')).toEqual(['metric', 'INSERT', 'REMOVE', 'clicks', 'revenue']);
    // The same items in another scan order give the same columns.
    expect(stableColumns([...items].reverse(), 'metric')).toEqual(stableColumns(items, 'metric'));
    // The lesson's columns first, in the lesson's order, when it names them.
    expect(stableColumns(items, 'metric', ['INSERT', 'MODIFY', 'revenue', 'clicks'])).toEqual([
      'metric',
      'INSERT',
      'revenue',
      'clicks',
      'REMOVE',
    ]);
    const wide = [Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`a${i}`, i]))];
    expect(stableColumns(wide, undefined)).toHaveLength(8);
    expect(stableColumns([], 'metric')).toEqual([]);
  });

  it('writes cell values whole, and shortens long ones in the middle', () => {
    expect(cellValue('placed')).toBe('placed');
    expect(cellValue(42.5)).toBe('42.5');
    expect(cellValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(cellValue(undefined)).toBe('');
    expect(shorten('applied#shardId-00000001700000000000-1a2b3c4d#000000000000000000012', 20)).toBe(
      'applied#sh…000000012',
    );
    expect(shorten('short', 20)).toBe('short');
  });

  it('shows the lesson’s items first, sorted by key, and folds the bookkeeping under its count', () => {
    const table = {
      role: 'metricsTable',
      name: 'metrics-1',
      items: [
        { metric: 'applied#shardId-0001#0002', appliedAt: '2026-01-01T00:00:00Z' },
        { metric: 'page#/pricing', clicks: 3 },
        { metric: 'orders', INSERT: 2, revenue: 85 },
        { metric: 'applied#shardId-0001#0001', appliedAt: '2026-01-01T00:00:00Z' },
        { metric: 'page#/about', clicks: 1 },
      ],
    };
    const presentation = {
      key: 'metric',
      bookkeeping: { prefix: 'applied#', noun: ['idempotency mark', 'idempotency marks'] as const },
    };
    const plan = planTable(table, presentation);
    expect(plan.items.map((item) => item.metric)).toEqual(['orders', 'page#/about', 'page#/pricing']);
    expect(plan.columns).toEqual(['metric', 'INSERT', 'clicks', 'revenue']);
    expect(plan.bookkeeping.map((item) => item.metric)).toEqual([
      'applied#shardId-0001#0001',
      'applied#shardId-0001#0002',
    ]);
    expect(plan.bookkeepingColumns).toEqual(['metric', 'appliedAt']);
    expect(plan.bookkeepingSummary).toBe('2 idempotency marks');
    // Any scan order: the same rows in the same order.
    expect(planTable({ ...table, items: [...table.items].reverse() }, presentation)).toEqual(plan);
    expect(planTable({ ...table, items: table.items.slice(0, 1) }, presentation).bookkeepingSummary).toBe(
      '1 idempotency mark',
    );
  });

  it('sorts a table without a presentation by the attribute every item has, numbers by value', () => {
    const plan = planTable({
      role: 'itemsTable',
      name: 'items',
      items: [{ id: 'item-10', name: 'b' }, { id: 'item-2', name: 'a' }, { id: 'item-1' }],
    });
    expect(plan.key).toBe('id');
    expect(plan.items.map((item) => item.id)).toEqual(['item-1', 'item-2', 'item-10']);
    expect(plan.bookkeeping).toEqual([]);
    expect(plan.bookkeepingSummary).toBeUndefined();
  });

  it('lists a bucket’s objects by key, whatever order they came in', () => {
    const object = (key: string) => ({ key, size: 1, lastModified: '' });
    expect(
      sortObjects([object('b.jpg'), object('photo-10.jpg'), object('a.jpg'), object('photo-2.jpg')]).map((o) => o.key),
    ).toEqual(['a.jpg', 'b.jpg', 'photo-2.jpg', 'photo-10.jpg']);
  });

  it('refreshes on successful writes to its own buckets and tables only', () => {
    const names = new Set(['photos', 'thumbs', 'orders']);
    expect(
      changesResources(trace('s3.request', { operation: 'PutObject', bucket: 'thumbs', status: 200 }), names),
    ).toBe(true);
    expect(
      changesResources(trace('s3.request', { operation: 'GetObject', bucket: 'thumbs', status: 200 }), names),
    ).toBe(false);
    expect(changesResources(trace('s3.request', { operation: 'PutObject', bucket: 'other', status: 200 }), names)).toBe(
      false,
    );
    expect(
      changesResources(trace('s3.request', { operation: 'PutObject', bucket: 'thumbs', status: 403 }), names),
    ).toBe(false);
    expect(
      changesResources(trace('dynamodb.request', { operation: 'UpdateItem', table: 'orders', status: 200 }), names),
    ).toBe(true);
    expect(changesResources(trace('lambda.log', { line: 'PutObject' }), names)).toBe(false);
    // Before the first load every write counts.
    expect(changesResources(trace('s3.request', { operation: 'PutObject', bucket: 'x' }), new Set())).toBe(true);
  });

  it('refreshes at once after a quiet spell, and debounces a burst of writes', () => {
    expect(refreshDelay(1000, {})).toBe(0);
    expect(refreshDelay(1000, { lastRefresh: 800 })).toBe(0);
    // A write right after a refresh waits for the rest of the burst…
    expect(refreshDelay(1000, { lastRefresh: 950 })).toBe(120);
    expect(refreshDelay(1100, { lastRefresh: 950, pendingSince: 1000 })).toBe(120);
    // …but not for ever.
    expect(refreshDelay(1550, { lastRefresh: 950, pendingSince: 1000 })).toBe(50);
    expect(refreshDelay(1700, { lastRefresh: 950, pendingSince: 1000 })).toBe(0);
  });

  it('names resources and roles', () => {
    expect([...resourceNames({ buckets: [{ role: 'photosBucket', name: 'p', objects: [] }], tables: [] })]).toEqual([
      'p',
    ]);
    expect(roleTitle('thumbnailsBucket')).toBe('Thumbnails bucket');
    expect(roleTitle('ordersTable')).toBe('Orders table');
  });
});
