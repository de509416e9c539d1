import { describe, expect, it } from 'vitest';
import {
  cellText,
  changesResources,
  formatBytes,
  formatTime,
  refreshDelay,
  resourceNames,
  roleTitle,
  tableColumns,
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

  it('lists columns in order of first appearance, at most eight', () => {
    const items = [
      { metric: 'orders', INSERT: 2, revenue: 85 },
      { metric: 'page#/pricing', clicks: 3 },
      { metric: 'orders', REMOVE: 1 },
    ];
    expect(tableColumns(items)).toEqual(['metric', 'INSERT', 'revenue', 'clicks', 'REMOVE']);
    const wide = [Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`a${i}`, i]))];
    expect(tableColumns(wide)).toHaveLength(8);
    expect(tableColumns([])).toEqual([]);
  });

  it('shows cells as text or compact JSON, cut when long', () => {
    expect(cellText('placed')).toBe('placed');
    expect(cellText(42.5)).toBe('42.5');
    expect(cellText({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(cellText(undefined)).toBe('');
    expect(cellText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
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
