import { describe, expect, it } from 'vitest';
import {
  checkEventName,
  deleteEvent,
  isSavedEvents,
  MAX_SAVED_EVENTS,
  type SavedTestEvent,
  saveEvent,
} from '../../../../site/components/workbench/results/saved-events.ts';

const event = (name: string, text = '{}'): SavedTestEvent => ({ name, text, savedAt: '2026-12-07T09:00:00.000Z' });
const samples = ['click', 'click-invalid'];

describe('saved test events', () => {
  it.each([
    ['my-event_2', undefined],
    ['A'.repeat(25), undefined],
    ['', 'Give the event a name.'],
    ['A'.repeat(26), 'The name is 26 characters long; the Lambda console allows 25.'],
    ['my event', 'Use only letters, digits, - and _ (up to 25), as the Lambda console does.'],
    ['déjà', 'Use only letters, digits, - and _ (up to 25), as the Lambda console does.'],
    ['click', "“click” is a sample's name: choose another."],
  ])('names %j: %s', (name, problem) => {
    expect(checkEventName(name, samples)).toBe(problem);
  });

  it('adds in name order, replaces one of the same name, and deletes', () => {
    const first = saveEvent([], event('zeta'), samples);
    expect(first).toMatchObject({ ok: true, replaced: false });
    if (!first.ok) return;
    const second = saveEvent(first.events, event('alpha'), samples);
    if (!second.ok) throw new Error(second.error);
    expect(second.events.map((saved) => saved.name)).toEqual(['alpha', 'zeta']);
    const again = saveEvent(second.events, event('zeta', '{"v":2}'), samples);
    expect(again).toMatchObject({ ok: true, replaced: true });
    if (!again.ok) return;
    expect(again.events).toHaveLength(2);
    expect(again.events.find((saved) => saved.name === 'zeta')?.text).toBe('{"v":2}');
    expect(deleteEvent(again.events, 'alpha').map((saved) => saved.name)).toEqual(['zeta']);
  });

  it('keeps at most 10, as the Lambda console does, but still replaces one', () => {
    const full = Array.from({ length: MAX_SAVED_EVENTS }, (_, index) => event(`e${index}`));
    expect(saveEvent(full, event('one-more'), samples)).toEqual({
      ok: false,
      error: "You have 10 saved events, the Lambda console's limit: delete one first.",
    });
    expect(saveEvent(full, event('e3', '[]'), samples)).toMatchObject({ ok: true, replaced: true });
  });

  it('ignores what is not a list of saved events in storage', () => {
    expect(isSavedEvents([event('a')])).toBe(true);
    expect(isSavedEvents({ name: 'a' })).toBe(false);
    expect(isSavedEvents([{ name: 'a', text: 1, savedAt: '' }])).toBe(false);
  });
});
