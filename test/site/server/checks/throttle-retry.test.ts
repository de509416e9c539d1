// A check's own invoke rides out Lambda's throttling (a busy reserved concurrency) instead of
// failing the check as "could not run"; anything else fails at once.
import { describe, expect, it } from 'vitest';
import { invokeThroughThrottles } from '../../../../site/server/checks/context.ts';

const throttled = () => Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' });

describe('invokeThroughThrottles', () => {
  it('retries a throttled invoke until it goes through', async () => {
    let calls = 0;
    const answer = await invokeThroughThrottles(async () => {
      calls++;
      if (calls < 3) throw throttled();
      return 'ran';
    }, 5_000);
    expect(answer).toBe('ran');
    expect(calls).toBe(3);
  });

  it('gives up after its budget, saying why', async () => {
    let calls = 0;
    await expect(
      invokeThroughThrottles(async () => {
        calls++;
        throw throttled();
      }, 600),
    ).rejects.toThrow(/throttled the check's invocation .*reserved concurrency is busy/);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      invokeThroughThrottles(async () => {
        calls++;
        throw Object.assign(new Error('no such function'), { name: 'ResourceNotFoundException' });
      }),
    ).rejects.toThrow('no such function');
    expect(calls).toBe(1);
  });
});
