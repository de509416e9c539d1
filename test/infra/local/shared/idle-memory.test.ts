import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleMemoryRelease } from '../../../../infra/local/shared/idle-memory.ts';

describe('IdleMemoryRelease', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('collects once after startup when nothing comes, and not again while it stays quiet', () => {
    const collect = vi.fn();
    const release = new IdleMemoryRelease({ quietMs: 1000, collect });
    vi.advanceTimersByTime(999);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(collect).toHaveBeenCalledTimes(1);
    release.stop();
  });

  it('never collects under load, and once in the first quiet spell after it', () => {
    const collect = vi.fn();
    const release = new IdleMemoryRelease({ quietMs: 1000, collect });
    vi.advanceTimersByTime(1000);
    collect.mockClear();
    for (let i = 0; i < 50; i += 1) {
      release.noteActivity();
      vi.advanceTimersByTime(200);
    }
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2000);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(collect).toHaveBeenCalledTimes(1);
    release.stop();
  });

  it('stops for good when stopped', () => {
    const collect = vi.fn();
    const release = new IdleMemoryRelease({ quietMs: 1000, collect });
    release.stop();
    vi.advanceTimersByTime(10_000);
    expect(collect).not.toHaveBeenCalled();
  });
});

describe("V8's memory-reducing collection", () => {
  it('runs in this process without exposing gc to other contexts', async () => {
    const { runInNewContext } = await import('node:vm');
    const release = new IdleMemoryRelease({ quietMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    release.stop();
    expect(release.collections).toBe(1);
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
