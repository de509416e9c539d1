// Shared helpers for `npm run bench`: timing, percentiles and a plain-text report.
import { performance } from 'node:perf_hooks';

export interface Sample {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly n: number;
}

export function summarize(durationsMs: readonly number[]): Sample {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { p50: at(0.5), p99: at(0.99), mean, n: sorted.length };
}

/**
 * Runs `fn` `warmup` times unmeasured, then `n` times measured. Every call gets its own index
 * (warm-up calls get n, n+1, …), so a call that writes `item-${i}` never repeats an earlier write.
 */
export async function time(n: number, fn: (i: number) => Promise<unknown>, warmup = Math.min(20, n)): Promise<Sample> {
  for (let i = 0; i < warmup; i += 1) await fn(n + i);
  const durations: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await fn(i);
    durations.push(performance.now() - start);
  }
  return summarize(durations);
}

/** Operations per second of `total` calls with `concurrency` in flight. */
export async function throughput(
  total: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next;
        next += 1;
        await fn(i);
      }
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

export interface Row {
  readonly name: string;
  readonly value: string;
  readonly baseline?: string;
  readonly ratio?: string;
  readonly goal?: string;
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;
export const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;

export function printTable(title: string, rows: readonly Row[]): void {
  console.log(`\n## ${title}\n`);
  console.log('| measure | local cloud | baseline (same run) | ratio | goal |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.value} | ${row.baseline ?? ''} | ${row.ratio ?? ''} | ${row.goal ?? ''} |`);
  }
}
