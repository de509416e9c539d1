// Lambda's REPORT line, parsed, with what the invocation would cost on AWS. Shared by the server
// (invoke results, the trace) and the page (live invocations).
import type { ReportLine } from './workbench-api.ts';

/**
 * Lambda's public on-demand price for x86 functions (US East (N. Virginia), first tier, as listed
 * on https://aws.amazon.com/lambda/pricing/): duration per GB-second, and per request
 * ($0.20 per million).
 */
export const LAMBDA_X86_PRICE = { perGbSecond: 0.0000166667, perRequest: 0.2 / 1_000_000 } as const;

/** Billed duration × memory at Lambda's public x86 price, plus the per-request charge, in USD. */
export function estimateCostUsd(billedDurationMs: number, memorySizeMb: number): number {
  const gbSeconds = (memorySizeMb / 1024) * (billedDurationMs / 1000);
  return gbSeconds * LAMBDA_X86_PRICE.perGbSecond + LAMBDA_X86_PRICE.perRequest;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;

/** Reads one `Name: value unit` field of a REPORT line. */
function field(line: string, name: string, unit: 'ms' | 'MB'): number | undefined {
  // `Duration` must not match inside `Billed Duration` or `Init Duration`.
  const match = new RegExp(`(?<!Billed |Init )${name}: ${NUMBER} ${unit}`).exec(line);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Parses a REPORT line as Lambda writes it (`REPORT RequestId: …\tDuration: 3.01 ms\tBilled Duration: 4 ms\t
 * Memory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t`); undefined for any other line.
 */
export function parseReportLine(line: string): ReportLine | undefined {
  const head = /^REPORT RequestId: ([0-9A-Za-z-]+)/.exec(line.trim());
  if (head?.[1] === undefined) return undefined;
  const durationMs = field(line, 'Duration', 'ms');
  const billedDurationMs = field(line, 'Billed Duration', 'ms');
  const memorySizeMb = field(line, 'Memory Size', 'MB');
  const maxMemoryUsedMb = field(line, 'Max Memory Used', 'MB');
  if (
    durationMs === undefined ||
    billedDurationMs === undefined ||
    memorySizeMb === undefined ||
    maxMemoryUsedMb === undefined
  ) {
    return undefined;
  }
  const initDurationMs = field(line, 'Init Duration', 'ms');
  return {
    requestId: head[1],
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb,
    ...(initDurationMs !== undefined ? { initDurationMs } : {}),
    coldStart: initDurationMs !== undefined,
    estimatedCostUsd: estimateCostUsd(billedDurationMs, memorySizeMb),
  };
}

/** The REPORT line of a log (the one of `requestId` when given; the last one otherwise). */
export function findReport(log: string, requestId?: string): ReportLine | undefined {
  let found: ReportLine | undefined;
  for (const line of log.split('\n')) {
    const report = parseReportLine(line);
    if (report === undefined) continue;
    if (requestId === undefined || report.requestId === requestId) found = report;
  }
  return found;
}
