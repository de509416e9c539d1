import { describe, expect, it } from 'vitest';
import { summarize, time } from '../../bench/lib.ts';

describe('bench helpers', () => {
  it('gives every call of time() its own index, warm-up included', async () => {
    const seen: number[] = [];
    await time(5, async (i) => seen.push(i), 3);
    expect(new Set(seen).size).toBe(8);
    expect(seen.slice(3)).toEqual([0, 1, 2, 3, 4]);
  });

  it('summarizes percentiles', () => {
    const sample = summarize(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(sample).toMatchObject({ p50: 51, p99: 100, n: 100 });
  });
});
