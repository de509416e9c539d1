import { describe, expect, it } from 'vitest';
import {
  LineSplitter,
  LogCapture,
  MAX_LINE_CHARS,
  reportLine,
  TAIL_BYTES,
} from '../../../../../infra/local/lambda/runtime/logs.ts';

describe('LogCapture', () => {
  it('hands lines on within the budget and only counts the rest', () => {
    // Prepare
    const seen: string[] = [];
    const capture = new LogCapture({ onLine: (line) => seen.push(line), maxLines: 3 });

    // Act
    for (let i = 0; i < 10; i++) capture.line(`line ${i}`);

    // Assess
    expect(seen.slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2']);
    expect(seen[3]).toMatch(/over budget/);
    expect(seen).toHaveLength(4);
    expect(capture.droppedLines).toBe(7);
    expect(capture.tail().endsWith('line 9\n')).toBe(true);
  });

  it('keeps at most the last 4 KB, cut at a character boundary', () => {
    // Prepare
    const capture = new LogCapture();

    // Act
    for (let i = 0; i < 2000; i++) capture.line(`é${i}`);

    // Assess
    const tail = Buffer.from(capture.tail(), 'utf8');
    expect(tail.length).toBeLessThanOrEqual(TAIL_BYTES);
    expect(tail.length).toBeGreaterThan(TAIL_BYTES - 8);
    expect(capture.tail()).not.toContain('\uFFFD');
    expect(capture.tail().endsWith('é1999\n')).toBe(true);
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks and multi-byte characters split across chunks', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = Buffer.from('héllo\nwor');
    splitter.push(bytes.subarray(0, 2));
    splitter.push(bytes.subarray(2));
    splitter.push(Buffer.from('ld\nrest'));
    splitter.flush();
    expect(lines).toEqual(['héllo', 'world', 'rest']);
  });

  it('never holds more than MAX_LINE_CHARS of an unfinished line', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push(Buffer.alloc(MAX_LINE_CHARS * 2 + 10, 'x'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveLength(MAX_LINE_CHARS);
  });
});

describe('reportLine', () => {
  it('writes the REPORT line as Lambda does (recorded: lambda-invoke-tail-logresult-nodejs.json)', () => {
    expect(
      reportLine({
        requestId: 'r',
        durationMs: 3.014,
        billedDurationMs: 4,
        memorySizeMb: 128,
        maxMemoryUsedMb: 36,
        initDurationMs: 110.1,
      }),
    ).toBe(
      'REPORT RequestId: r\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t',
    );
  });
});
