import { describe, expect, it } from 'vitest';
import { RecordLog } from '../../../../infra/local/streams/record-log.ts';

/** Record n: offset 2n + 1 (offsets need only increase), arrival 1000 + n, bytes "r<n>" (and `pad` more). */
function fill(log: RecordLog, from: number, to: number, pad = 0) {
  for (let n = from; n < to; n += 1) log.append(2 * n + 1, 1000 + n, Buffer.from(`r${n}${'.'.repeat(pad)}`));
}

const text = (log: RecordLog, index: number) => log.bytes(index).toString('latin1').replace(/\.+$/, '');

describe('RecordLog', () => {
  it('keeps every record of many pages (by count and by bytes) with its offset, time and bytes', () => {
    // Prepare
    const log = new RecordLog();

    // Act: 10,000 small records (more than a page holds) then 40 of 100 KiB (more than a page's bytes).
    fill(log, 0, 10_000);
    fill(log, 10_000, 10_040, 100 * 1024);

    // Assess
    expect(log.size).toBe(10_040);
    for (const n of [0, 1, 4095, 4096, 4097, 8191, 8192, 9999, 10_000, 10_009, 10_010, 10_039]) {
      expect([log.offset(n), log.time(n), text(log, n)]).toEqual([2 * n + 1, 1000 + n, `r${n}`]);
    }
    expect(log.bytes(10_039).length).toBe(`r10039`.length + 100 * 1024);
    expect(() => log.bytes(10_040)).toThrow(RangeError);
  });

  it('takes a record larger than a page', () => {
    const log = new RecordLog();
    fill(log, 0, 3);
    log.append(7, 1003, Buffer.alloc(3 * 1024 * 1024, 9));
    fill(log, 4, 6);
    expect(log.size).toBe(6);
    expect(log.bytes(3).equals(Buffer.alloc(3 * 1024 * 1024, 9))).toBe(true);
    expect(text(log, 5)).toBe('r5');
  });

  it('finds the first record at or after an offset and a time, across pages', () => {
    // Prepare
    const log = new RecordLog();
    fill(log, 0, 9000);

    // Act / Assess: offsets are odd, so an even offset falls between two records.
    expect(log.indexAtOrAfterOffset(-5)).toBe(0);
    expect(log.indexAtOrAfterOffset(1)).toBe(0);
    expect(log.indexAtOrAfterOffset(2)).toBe(1);
    expect(log.indexAtOrAfterOffset(2 * 4096 + 1)).toBe(4096);
    expect(log.indexAtOrAfterOffset(2 * 4096)).toBe(4096);
    expect(log.indexAtOrAfterOffset(2 * 8999 + 1)).toBe(8999);
    expect(log.indexAtOrAfterOffset(2 * 8999 + 2)).toBe(9000);
    expect(log.indexAtOrAfterTime(0)).toBe(0);
    expect(log.indexAtOrAfterTime(1000 + 5000)).toBe(5000);
    expect(log.indexAtOrAfterTime(1000 + 9000)).toBe(9000);
  });

  it('drops the oldest records across page boundaries; indexes count from the oldest left', () => {
    // Prepare
    const log = new RecordLog();
    fill(log, 0, 9000);

    // Act
    log.dropOldest(10);
    log.dropOldest(5000);

    // Assess
    expect(log.size).toBe(3990);
    expect([log.offset(0), text(log, 0)]).toEqual([2 * 5010 + 1, 'r5010']);
    expect(text(log, 3989)).toBe('r8999');
    expect(log.indexAtOrAfterOffset(0)).toBe(0);
    expect(log.indexAtOrAfterOffset(2 * 6000 + 1)).toBe(990);
    expect(log.indexAtOrAfterTime(1000 + 6000)).toBe(990);
    expect(log.indexAtOrAfterTime(0)).toBe(0);
  });

  it('starts over after every record is dropped, and keeps going after that', () => {
    // Prepare
    const log = new RecordLog();
    fill(log, 0, 5000);

    // Act
    log.dropOldest(5000);
    const emptied = { size: log.size, byOffset: log.indexAtOrAfterOffset(0), byTime: log.indexAtOrAfterTime(0) };
    fill(log, 5000, 5003);
    log.dropOldest(1);
    fill(log, 5003, 14_000);

    // Assess
    expect(emptied).toEqual({ size: 0, byOffset: 0, byTime: 0 });
    expect(log.size).toBe(8999);
    expect(text(log, 0)).toBe('r5001');
    expect(text(log, 8998)).toBe('r13999');
    expect(log.indexAtOrAfterOffset(2 * 10_000 + 1)).toBe(4999);
  });
});
