import type { FilterLogEventsCommand, FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { createLogObserver } from '../../../site/server/log-observer.ts';
import {
  isThrottle,
  learnerBudget,
  ObservationSchedule,
  throttleNotice,
} from '../../../site/server/observation-schedule.ts';
import type { TraceRecord } from '../../../site/server/runtime.ts';
import type { Target } from '../../../site/server/target.ts';

const GROUPS = ['/aws/lambda/thumbs', '/aws/lambda/metrics', '/aws/lambda/web', '/aws/lambda/clicks'];
const ID = '11111111-2222-3333-4444-555555555555';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('learnerBudget', () => {
  it.each([
    [25, 30, (25 * 0.5) / 30],
    [25, 100, (25 * 0.5) / 100],
    [5, 30, (5 * 0.5) / 30],
    [10, 1, 5],
  ])('gives each of a class its share of half the quota (%i per second, %i learners)', (quota, learners, budget) => {
    expect(learnerBudget(quota, learners)).toBeCloseTo(budget, 10);
  });
});

describe('ObservationSchedule', () => {
  it('sweeps one quiet group per look, in turn, at the idle interval', () => {
    const time = clock();
    const schedule = new ObservationSchedule({ budgetPerSecond: 0.4, now: time.now });
    expect([0, 1, 2, 3, 4].map(() => schedule.groupsToRead(GROUPS))).toEqual([
      [GROUPS[0]],
      [GROUPS[1]],
      [GROUPS[2]],
      [GROUPS[3]],
      [GROUPS[0]],
    ]);
    expect(schedule.active).toBe(false);
    expect(schedule.afterLook(1)).toBe(30_000);
  });

  it('reads only the hot group after a trigger, as often as the budget allows', () => {
    const time = clock();
    const schedule = new ObservationSchedule({ budgetPerSecond: 0.4, now: time.now });
    schedule.markActive(GROUPS[2] as string);
    expect(schedule.groupsToRead(GROUPS)).toEqual([GROUPS[2]]);
    // one call at 0.4 per second: 2.5 s until the next look
    expect(schedule.afterLook(1)).toBe(2500);
    // a generous budget is held to the 1 s floor
    const fast = new ObservationSchedule({ budgetPerSecond: 10, now: time.now });
    fast.markActive(GROUPS[0] as string);
    expect(fast.afterLook(1)).toBe(1000);
  });

  it('keeps a group hot from START until its REPORT, then a short tail, then quiet', () => {
    const time = clock();
    const schedule = new ObservationSchedule({ budgetPerSecond: 1, now: time.now, activeForMs: 10_000 });
    schedule.sawLine(GROUPS[1] as string, `START RequestId: ${ID} Version: $LATEST`);
    time.advance(60_000); // a long invocation: still running, still hot
    expect(schedule.groupsToRead(GROUPS)).toEqual([GROUPS[1]]);
    schedule.sawLine(GROUPS[1] as string, `REPORT RequestId: ${ID}\tDuration: 1.00 ms`);
    time.advance(4000);
    expect(schedule.active).toBe(true);
    time.advance(2000);
    expect(schedule.active).toBe(false);
  });

  it('backs off exponentially with jitter on throttles, and recovers after a good look', () => {
    const time = clock();
    const random = [0, 1, 0.5, 0, 0];
    const schedule = new ObservationSchedule({ budgetPerSecond: 1, now: time.now, random: () => random.shift() ?? 0 });
    // ceilings 2 s, 4 s, 8 s, 16 s: half fixed, half random
    expect(schedule.afterThrottle()).toBe(1000);
    expect(schedule.afterThrottle()).toBe(4000);
    expect(schedule.afterThrottle()).toBe(6000);
    expect(schedule.wakeDelay()).toBe(6000); // a nudge does not cut the back-off short
    expect(schedule.afterThrottle()).toBe(8000);
    schedule.afterLook(1);
    expect(schedule.afterThrottle()).toBe(1000);
  });

  it('caps the back-off', () => {
    const schedule = new ObservationSchedule({
      budgetPerSecond: 1,
      now: () => 0,
      random: () => 1,
      backoffMaxMs: 10_000,
    });
    const delays = Array.from({ length: 8 }, () => schedule.afterThrottle());
    expect(Math.max(...delays)).toBe(10_000);
  });

  it('makes a woken look wait until the budget is spent', () => {
    const time = clock();
    const schedule = new ObservationSchedule({ budgetPerSecond: 0.25, now: time.now });
    schedule.markActive(GROUPS[0] as string);
    schedule.afterLook(1);
    expect(schedule.wakeDelay()).toBe(4000);
    time.advance(3000);
    expect(schedule.wakeDelay()).toBe(1000);
    time.advance(1000);
    expect(schedule.wakeDelay()).toBe(0);
  });

  it.each([
    ['ThrottlingException', true],
    ['TooManyRequestsException', true],
    ['SlowDown', true],
    ['AccessDeniedException', false],
  ])('tells a throttle (%s) from other errors', (name, throttle) => {
    expect(isThrottle(Object.assign(new Error('x'), { name }))).toBe(throttle);
  });
});

describe('the log observer under throttling', () => {
  const target: Target = { kind: 'aws', region: 'us-east-1', stacks: {} };

  it('tells the learner in plain words when CloudWatch Logs throttles, and reads nothing more in that look', async () => {
    // GIVEN CloudWatch Logs throttling every call
    const calls: string[] = [];
    const observer = createLogObserver({
      target,
      budgetPerSecond: 1,
      random: () => 0,
      logGroups: () => GROUPS.map((logGroupName) => ({ logGroupName, functionName: logGroupName.slice(12) })),
      send: async (command: FilterLogEventsCommand): Promise<FilterLogEventsCommandOutput> => {
        calls.push(String(command.input.logGroupName));
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      },
    });
    const seen: TraceRecord[] = [];
    const unsubscribe = observer.subscribe((record) => seen.push(record));
    // WHEN it looks
    await observer.poll();
    // THEN one call was made, and the learner reads why the logs are late
    expect(calls).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({
      type: 'observer.notice',
      detail: { service: 'CloudWatch Logs', message: throttleNotice('CloudWatch Logs', 1000), tone: 'error' },
    });
    expect(String(seen.at(-1)?.detail.message)).toMatch(/throttling this account's reads.*next look in 1 s/);
    unsubscribe();
    observer.close();
  });

  it("reads only a nudged scenario's group after the first full look", async () => {
    const calls: string[] = [];
    const observer = createLogObserver({
      target,
      budgetPerSecond: 100,
      logGroups: () =>
        GROUPS.map((logGroupName, i) => ({ logGroupName, functionName: `fn${i}`, scenario: `scenario${i}` })),
      send: async (command: FilterLogEventsCommand): Promise<FilterLogEventsCommandOutput> => {
        calls.push(String(command.input.logGroupName));
        return { events: [], $metadata: {} };
      },
    });
    const unsubscribe = observer.subscribe(() => {});
    await observer.poll();
    expect(calls).toEqual(GROUPS);
    calls.length = 0;
    observer.nudge('scenario2');
    for (let waited = 0; calls.length === 0 && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(new Set(calls)).toEqual(new Set([GROUPS[2]]));
    expect(observer.calls).toBe(GROUPS.length + calls.length);
    unsubscribe();
    observer.close();
  });
});

describe('a throttled wait is said to the learner', () => {
  it('names the service and the wait', () => {
    expect(throttleNotice('CloudWatch Logs', 7500)).toBe(
      "CloudWatch Logs is throttling this account's reads (the class shares one quota): the workbench looks less often — next look in 8 s.",
    );
  });
});
