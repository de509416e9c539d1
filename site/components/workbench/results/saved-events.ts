// Saved test events, as the Lambda console keeps private ones: a name (the console's rule: up to 25
// letters, digits, '-' or '_'), the JSON as the learner edited it, at most 10 per function. Kept
// in the browser (storage.ts, per scenario) like the learner's edits: it survives a reload and a
// restart of the workbook, works the same against a sandbox on AWS, and needs no server state.

/** One saved event. */
export interface SavedTestEvent {
  readonly name: string;
  /** The JSON text as saved (not re-formatted: what the learner wrote). */
  readonly text: string;
  /** Which of the scenario's functions the sample it started from is for; absent: the first. */
  readonly functionIndex?: number;
  /** ISO time of the last save. */
  readonly savedAt: string;
}

/** The Lambda console's rule for a test event's name. */
export const EVENT_NAME = /^[A-Za-z0-9_-]{1,25}$/;

/** The console keeps up to 10 saved test events per function (Lambda Developer Guide, "Testing Lambda functions in the console"). */
export const MAX_SAVED_EVENTS = 10;

/** Why `name` cannot name a saved event, or undefined when it can. */
export function checkEventName(name: string, sampleNames: readonly string[]): string | undefined {
  if (name === '') return 'Give the event a name.';
  if (!EVENT_NAME.test(name)) {
    return name.length > 25
      ? `The name is ${name.length} characters long; the Lambda console allows 25.`
      : 'Use only letters, digits, - and _ (up to 25), as the Lambda console does.';
  }
  if (sampleNames.includes(name)) return `“${name}” is a sample's name: choose another.`;
  return undefined;
}

export type SaveVerdict =
  | { readonly ok: true; readonly events: readonly SavedTestEvent[]; readonly replaced: boolean }
  | { readonly ok: false; readonly error: string };

/** The list with `event` saved: replacing one of the same name, or added (sorted by name) within the limit. */
export function saveEvent(
  events: readonly SavedTestEvent[],
  event: SavedTestEvent,
  sampleNames: readonly string[],
): SaveVerdict {
  const problem = checkEventName(event.name, sampleNames);
  if (problem) return { ok: false, error: problem };
  const replaced = events.some((saved) => saved.name === event.name);
  if (!replaced && events.length >= MAX_SAVED_EVENTS) {
    return {
      ok: false,
      error: `You have ${MAX_SAVED_EVENTS} saved events, the Lambda console's limit: delete one first.`,
    };
  }
  const others = events.filter((saved) => saved.name !== event.name);
  return { ok: true, replaced, events: [...others, event].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** The list without the event named `name`. */
export const deleteEvent = (events: readonly SavedTestEvent[], name: string): SavedTestEvent[] =>
  events.filter((saved) => saved.name !== name);

/** Whether a stored value is a list of saved events (anything else in storage is ignored). */
export function isSavedEvents(value: unknown): value is SavedTestEvent[] {
  return (
    Array.isArray(value) &&
    value.every(
      (event) =>
        typeof event === 'object' &&
        event !== null &&
        typeof (event as SavedTestEvent).name === 'string' &&
        typeof (event as SavedTestEvent).text === 'string' &&
        typeof (event as SavedTestEvent).savedAt === 'string',
    )
  );
}
