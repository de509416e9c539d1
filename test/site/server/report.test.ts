import { describe, expect, it } from 'vitest';
import { decodeLogResult, estimateCostUsd, findReport, parseReportLine } from '../../../site/server/report.ts';
import { recordingContent } from '../../helpers/recordings.ts';

const REQUEST_ID = 'c6b1d5f0-0a5e-4c0e-9a39-2b1b7e0b6f11';

/** A recorded line with its placeholders bound to plausible values. */
const bind = (line: string) =>
  line
    .replaceAll('<request-id>', REQUEST_ID)
    .replace('Duration: <duration>', 'Duration: 12.34')
    .replace('Billed Duration: <duration>', 'Billed Duration: 13')
    .replace('Init Duration: <duration>', 'Init Duration: 145.67')
    .replace('<memory>', '68');

interface LogEvents {
  log_events: { message: string }[];
}

describe('REPORT line parser', () => {
  it('reads the recorded cold and warm REPORT lines of real Lambda (lambda-logs-async-error-cloudwatch.json)', () => {
    const reports = recordingContent<LogEvents>('lambda-logs-async-error-cloudwatch.json')
      .log_events.map((event) => parseReportLine(bind(event.message)))
      .filter((report) => report !== undefined);
    expect(reports).toHaveLength(2);
    expect(reports[0]).toEqual({
      requestId: REQUEST_ID,
      durationMs: 3.01,
      billedDurationMs: 4,
      memorySizeMb: 128,
      maxMemoryUsedMb: 36,
      initDurationMs: 110.1,
      coldStart: true,
      estimatedCostUsd: estimateCostUsd(4, 128),
    });
    expect(reports[1]).toMatchObject({ durationMs: 2.9, billedDurationMs: 3, coldStart: false });
    expect(reports[1]).not.toHaveProperty('initDurationMs');
  });

  it('reads the REPORT line of a decoded LogResult tail (lambda-invoke-tail-logresult-nodejs.json)', () => {
    const lines = recordingContent<{ logs: { logs: string[] } }>('lambda-invoke-tail-logresult-nodejs.json').logs.logs;
    const tail = lines.map(bind).join('');
    const report = findReport(tail, REQUEST_ID);
    expect(report).toMatchObject({
      requestId: REQUEST_ID,
      durationMs: 12.34,
      billedDurationMs: 13,
      memorySizeMb: 128,
      maxMemoryUsedMb: 68,
      initDurationMs: 145.67,
      coldStart: true,
    });
    // Through base64, as LogType: Tail returns it.
    expect(findReport(decodeLogResult(Buffer.from(tail).toString('base64')))).toEqual(report);
  });

  it('keeps Duration apart from Billed Duration and Init Duration whatever the field order', () => {
    const line = `REPORT RequestId: ${REQUEST_ID}\tInit Duration: 200.00 ms\tBilled Duration: 7 ms\tDuration: 6.50 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB`;
    expect(parseReportLine(line)).toMatchObject({ durationMs: 6.5, billedDurationMs: 7, initDurationMs: 200 });
  });

  it('ignores lines that are not a complete REPORT line', () => {
    expect(parseReportLine(`START RequestId: ${REQUEST_ID} Version: $LATEST`)).toBeUndefined();
    expect(parseReportLine(`REPORT RequestId: ${REQUEST_ID}\tDuration: 3.01 ms`)).toBeUndefined();
    expect(parseReportLine('console.log("REPORT RequestId: x")')).toBeUndefined();
    expect(findReport('', REQUEST_ID)).toBeUndefined();
  });

  it('finds the REPORT of the asked invocation when a tail holds two', () => {
    const other = 'a0000000-0000-4000-8000-000000000000';
    const tail = [
      `REPORT RequestId: ${other}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\t`,
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 31 MB\t`,
    ].join('\n');
    expect(findReport(tail, other)?.durationMs).toBe(1);
    expect(findReport(tail)?.durationMs).toBe(2);
  });
});

describe('estimated cost', () => {
  it("is billed GB-seconds at Lambda's x86 price plus $0.20 per million requests", () => {
    // 1024 MB for 1000 ms = 1 GB-second.
    expect(estimateCostUsd(1000, 1024)).toBeCloseTo(0.0000166667 + 0.0000002, 12);
    // 128 MB for 4 ms = 0.0005 GB-s.
    expect(estimateCostUsd(4, 128)).toBeCloseTo(0.0005 * 0.0000166667 + 0.0000002, 15);
    // A million 100 ms invocations at 512 MB: 50,000 GB-s → $0.83 + $0.20.
    expect(estimateCostUsd(100, 512) * 1_000_000).toBeCloseTo(1.033335, 4);
  });
});
