import { describe, expect, it } from 'vitest';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';

describe('TraceBus', () => {
  it('remembers exactly the last `keep` events, oldest first, however many were published', () => {
    const bus = new TraceBus(3);
    for (let i = 0; i < 10; i += 1) {
      bus.publish('test.step', { i });
      const seen = bus.recent().map((event) => event.detail.i);
      const expected = Array.from({ length: Math.min(3, i + 1) }, (_, k) => i - Math.min(3, i + 1) + 1 + k);
      expect(seen).toEqual(expected);
    }
  });

  it('remembers nothing with keep 0, and stays in order across many turns of its ring', () => {
    expect(
      (() => {
        const none = new TraceBus(0);
        none.publish('test.step');
        return none.recent();
      })(),
    ).toEqual([]);
    const bus = new TraceBus(4);
    for (let i = 0; i < 4 * 25 + 3; i += 1) bus.publish('test.step', { i });
    expect(bus.recent().map((event) => event.detail.i)).toEqual([99, 100, 101, 102]);
  });

  it('hands every subscriber each event, and a throwing subscriber does not stop the others', () => {
    const bus = new TraceBus();
    const got: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken subscriber');
    });
    const stop = bus.subscribe((event) => got.push(event.type));
    bus.publish('a.one');
    stop();
    bus.publish('a.two');
    expect(got).toEqual(['a.one']);
  });
});
