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

  it('hands an event to those subscribed when it was published, whoever subscribes or leaves meanwhile', () => {
    // Prepare: the first subscriber stops the second and subscribes a third while an event is handed out.
    const bus = new TraceBus();
    const got: string[] = [];
    let stopSecond = () => {};
    const stopFirst = bus.subscribe((event) => {
      got.push(`first ${event.type}`);
      if (event.type === 'a.one') {
        stopSecond();
        bus.subscribe((later) => got.push(`third ${later.type}`));
      }
    });
    stopSecond = bus.subscribe((event) => got.push(`second ${event.type}`));

    // Act
    bus.publish('a.one');
    bus.publish('a.two');
    stopFirst();
    stopFirst(); // a second call changes nothing
    bus.publish('a.three');

    // Assess
    expect(got).toEqual(['first a.one', 'second a.one', 'first a.two', 'third a.two', 'third a.three']);
  });

  it('subscribes the same listener twice as two subscriptions, each ended on its own', () => {
    const bus = new TraceBus();
    const got: string[] = [];
    const listener = (event: { type: string }) => got.push(event.type);
    const stopOne = bus.subscribe(listener);
    bus.subscribe(listener);
    bus.publish('a.one');
    stopOne();
    bus.publish('a.two');
    expect(got).toEqual(['a.one', 'a.one', 'a.two']);
  });
});
