import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMING,
  type PlayerFrame,
  type PlayerTiming,
  StepPlayer,
  stepDuration,
} from '../../../../site/components/workbench/flow/player.ts';

const TIMING: PlayerTiming = { stepMs: 100, holdMs: 300, pathGapMs: 500, minStepMs: 20, backlog: 3 };

/** A player on a hand-driven clock: `advance(ms)` runs what falls due, in time order. */
function harness(timing = TIMING) {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  const frames: { at: number; frame: PlayerFrame<string> }[] = [];
  const player = new StepPlayer<string>(
    {
      now: () => now,
      schedule: (run, ms) => {
        const id = ++seq;
        timers.set(id, { at: now + ms, run });
        return () => timers.delete(id);
      },
      onFrame: (frame) => frames.push({ at: now, frame }),
    },
    timing,
  );
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].run();
    }
    now = end;
  };
  /** The steps shown, in order, with when each started. */
  const shown = () =>
    frames
      .filter(({ frame }) => frame.step)
      .map(({ at, frame }) => ({ at, line: frame.step!.data, current: [...frame.current] }));
  return { player, advance, frames, shown, step: (line: string, ...ids: string[]) => player.push({ ids, data: line }) };
}

describe('flow step player', () => {
  it('plays a burst of steps one at a time, in the order they happened, at a steady pace', () => {
    const { step, advance, shown } = harness();
    // A whole invocation's trace arrives within a millisecond.
    step('upload', 'client>Photos', 'Photos');
    step('notify', 'Photos>Fn');
    step('invoke', 'Fn');
    step('write', 'Fn>Thumbs', 'Thumbs');
    advance(1000);
    expect(shown()).toEqual([
      { at: 0, line: 'upload', current: ['client>Photos', 'Photos'] },
      { at: 100, line: 'notify', current: ['Photos>Fn'] },
      { at: 200, line: 'invoke', current: ['Fn'] },
      { at: 300, line: 'write', current: ['Fn>Thumbs', 'Thumbs'] },
    ]);
  });

  it('keeps the path behind the current step lit, then lets everything fade after the hold', () => {
    const { step, advance, frames } = harness();
    step('a', 'A');
    step('b', 'A>B');
    advance(150);
    const last = frames.at(-1)!.frame;
    expect([...last.current]).toEqual(['A>B']);
    expect([...last.visited]).toEqual(['A']);
    // The last step plays 100 ms (until 200), stays lit for the hold (until 500), then all goes dark.
    advance(340);
    expect(frames.at(-1)!.frame.current.size).toBe(1);
    advance(20);
    expect(frames.at(-1)!.frame.current.size).toBe(0);
    expect(frames.at(-1)!.frame.visited.size).toBe(0);
  });

  it('tells a line that lights nothing in its turn, without holding up the next step', () => {
    const { step, advance, shown } = harness();
    step('a', 'A');
    step('note');
    step('b', 'B');
    advance(1000);
    expect(shown().map((s) => [s.at, s.line])).toEqual([
      [0, 'a'],
      [100, 'note'],
      [100, 'b'],
    ]);
  });

  it('quickens when many steps wait, so the picture does not lag far behind', () => {
    expect(stepDuration(TIMING, 0)).toBe(100);
    expect(stepDuration(TIMING, 3)).toBe(100);
    expect(stepDuration(TIMING, 6)).toBe(50);
    expect(stepDuration(TIMING, 100)).toBe(20);
    expect(stepDuration(DEFAULT_TIMING, 0)).toBeGreaterThanOrEqual(500);
    const { step, advance, shown } = harness();
    for (let i = 0; i < 10; i++) step(`s${i}`, `N${i}`);
    advance(5000);
    const starts = shown().map((s) => s.at);
    expect(starts).toHaveLength(10);
    expect(starts.at(-1)!).toBeLessThan(9 * 100);
  });

  it('replays the latest event’s path from its start, and a new event after a quiet spell starts a new path', () => {
    const { player, step, advance, shown } = harness();
    step('first-a', 'A');
    step('first-b', 'B');
    advance(2000);
    step('second-a', 'C');
    step('second-b', 'D');
    advance(2000);
    expect(player.lastPath.map((s) => s.data)).toEqual(['second-a', 'second-b']);
    const before = shown().length;
    player.replay();
    advance(2000);
    expect(
      shown()
        .slice(before)
        .map((s) => s.line),
    ).toEqual(['second-a', 'second-b']);
  });

  it('a step arriving while the path is still lit belongs to the same path', () => {
    const { player, step, advance } = harness();
    step('a', 'A');
    advance(150); // a played; held lit
    step('b', 'B');
    advance(2000);
    expect(player.lastPath.map((s) => s.data)).toEqual(['a', 'b']);
  });

  it('replay marks its frames, and clear stops and forgets', () => {
    const { player, step, advance, frames } = harness();
    step('a', 'A');
    advance(1000);
    player.replay();
    expect(frames.at(-1)!.frame.replaying).toBe(true);
    player.clear();
    expect(frames.at(-1)!.frame.current.size).toBe(0);
    expect(player.lastPath).toEqual([]);
    player.replay();
    advance(1000);
    expect(frames.at(-1)!.frame.current.size).toBe(0);
  });
});
