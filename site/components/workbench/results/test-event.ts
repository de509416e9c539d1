// The test-event panel, like the Lambda console's: pick a sample event or one you saved, edit its
// JSON (validated as you type), save it under a name or delete a saved one, choose how to invoke
// (RequestResponse waits for the answer, Event queues it).
import type { SampleEvent } from '../../../lib/workbench-api.ts';
import { el } from '../dom.ts';
import type { ScenarioStore } from '../storage.ts';
import { checkEventName, deleteEvent, type SavedTestEvent, saveEvent } from './saved-events.ts';

/** The panel's state as the shell reads it when it runs the function. */
export interface EventPanel {
  readonly element: HTMLElement;
  /** The parsed event, or undefined (with the error shown and focus on the JSON) when it is not valid JSON. */
  event(): unknown;
  invocationType(): 'RequestResponse' | 'Event';
  /** Which of the scenario's functions the chosen sample (or the one the edit started from) is for; undefined: the first. */
  functionIndex(): number | undefined;
}

const CUSTOM = 'custom';
/** Option values of saved events: `saved:<name>` (a sample may have the same name as nothing saved). */
const SAVED = 'saved:';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** Where JSON.parse failed, as "line L, column C" when the engine says at which position. */
function describeJsonError(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  if (!position?.[1]) return error.message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset).split('\n');
  return `${error.message.replace(/\s*\(line \d+ column \d+\)$/, '')} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

/** Builds the panel; `idPrefix` keeps ids unique when a page has more than one workbench. */
export function createEventPanel(events: readonly SampleEvent[], store: ScenarioStore, idPrefix: string): EventPanel {
  const saved = store.event;
  // The sample that succeeds (the catalog's default), else the first for the function being edited.
  const first = events.find((sample) => sample.default) ?? events.find((sample) => !sample.functionIndex) ?? events[0];
  const sampleNames = events.map((sample) => sample.name);
  const select = el('select', { id: `${idPrefix}-event-select`, class: 'wb-select' });
  const fillSelect = () => {
    const value = select.value;
    const samples = el('optgroup', { label: 'Samples' });
    for (const sample of events) {
      const label = sample.functionIndex ? `${sample.name} (for another function of the scenario)` : sample.name;
      samples.append(el('option', { value: sample.name }, label));
    }
    const mine = store.savedEvents;
    const savedGroup = el('optgroup', { label: `Saved events (${mine.length})` });
    for (const event of mine) savedGroup.append(el('option', { value: `${SAVED}${event.name}` }, event.name));
    select.replaceChildren(
      samples,
      ...(mine.length > 0 ? [savedGroup] : []),
      el('option', { value: CUSTOM }, 'custom (edited)'),
    );
    if (value) select.value = value;
    if (select.selectedIndex === -1) select.value = CUSTOM;
  };
  fillSelect();
  const textarea = el('textarea', {
    id: `${idPrefix}-event-json`,
    class: 'wb-json',
    spellcheck: 'false',
    rows: '12',
    'aria-describedby': `${idPrefix}-event-error ${idPrefix}-event-help ${idPrefix}-event-note`,
  });
  const error = el('p', { id: `${idPrefix}-event-error`, class: 'wb-field-error', role: 'status' });
  const help = el(
    'p',
    { id: `${idPrefix}-event-help`, class: 'wb-help' },
    'The JSON your function receives as its event. Edits and saved events are kept in this browser.',
  );
  // What Run does first for this sample (the server's note, e.g. uploading the photo it names).
  const note = el('p', { id: `${idPrefix}-event-note`, class: 'wb-help' });
  /** The function the current text is for: its sample's, or the saved event's. */
  let baseFunction: number | undefined;
  const setBase = (sample: SampleEvent | undefined, functionIndex = sample?.functionIndex) => {
    baseFunction = functionIndex;
    note.textContent = sample?.note ?? '';
    note.hidden = !sample?.note;
  };

  const sampleNamed = (name: string) => events.find((sample) => sample.name === name);
  const savedNamed = (value: string): SavedTestEvent | undefined =>
    value.startsWith(SAVED) ? store.savedEvents.find((event) => event.name === value.slice(SAVED.length)) : undefined;
  if (saved && (saved.name === CUSTOM || sampleNamed(saved.name) || savedNamed(saved.name))) {
    select.value = saved.name;
    textarea.value = saved.text;
  } else if (first) {
    select.value = first.name;
    textarea.value = pretty(first.event);
  } else {
    select.value = CUSTOM;
    textarea.value = '{}';
  }

  setBase(
    sampleNamed(select.value),
    savedNamed(select.value)?.functionIndex ?? sampleNamed(select.value)?.functionIndex,
  );

  const validate = (): unknown => {
    try {
      const value: unknown = JSON.parse(textarea.value);
      textarea.removeAttribute('aria-invalid');
      error.textContent = '';
      return value;
    } catch (cause) {
      textarea.setAttribute('aria-invalid', 'true');
      error.textContent = `Not valid JSON: ${describeJsonError(textarea.value, cause as Error)}`;
      return undefined;
    }
  };
  const save = () => {
    store.event = { name: select.value, text: textarea.value };
  };

  /** The text the selected sample or saved event holds (what "Restore" brings back). */
  const selectedText = (): string | undefined => {
    const sample = sampleNamed(select.value);
    if (sample) return pretty(sample.event);
    return savedNamed(select.value)?.text;
  };

  select.addEventListener('change', () => {
    const sample = sampleNamed(select.value);
    const mine = savedNamed(select.value);
    if (sample) {
      textarea.value = pretty(sample.event);
      setBase(sample);
    } else if (mine) {
      textarea.value = mine.text;
      setBase(undefined, mine.functionIndex);
      nameInput.value = mine.name;
    }
    renderSaveState();
    validate();
    save();
  });
  textarea.addEventListener('input', () => {
    const text = selectedText();
    if (text !== undefined && textarea.value !== text) select.value = CUSTOM;
    renderSaveState();
    validate();
    save();
  });

  const format = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Format JSON');
  format.addEventListener('click', () => {
    const value = validate();
    if (value !== undefined) {
      textarea.value = pretty(value);
      save();
    }
  });
  const restore = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Restore');
  restore.addEventListener('click', () => {
    const mine = savedNamed(select.value);
    if (mine) {
      textarea.value = mine.text;
    } else {
      const sample = sampleNamed(select.value) ?? first;
      if (!sample) return;
      select.value = sample.name;
      textarea.value = pretty(sample.event);
      setBase(sample);
    }
    renderSaveState();
    validate();
    save();
  });

  // ---- saving under a name, deleting a saved event
  const nameInput = el('input', {
    id: `${idPrefix}-event-name`,
    class: 'wb-input wb-event-name',
    maxlength: '40',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'my-event',
    'aria-describedby': `${idPrefix}-event-name-error ${idPrefix}-event-name-help`,
  });
  const nameHelp = el(
    'p',
    { id: `${idPrefix}-event-name-help`, class: 'wb-help' },
    'Up to 25 letters, digits, - or _ (as in the Lambda console); at most 10 saved events.',
  );
  const nameError = el('p', { id: `${idPrefix}-event-name-error`, class: 'wb-field-error', role: 'alert' });
  const saveButton = el(
    'button',
    { type: 'button', class: 'wb-button wb-small', 'data-wb-event-save': '' },
    'Save event',
  );
  const deleteButton = el(
    'button',
    { type: 'button', class: 'wb-button wb-small', 'data-wb-event-delete': '' },
    'Delete saved event',
  );
  const savedStatus = el('p', { class: 'wb-help', role: 'status' });
  const renderSaveState = () => {
    const mine = savedNamed(select.value);
    deleteButton.hidden = mine === undefined;
    if (mine) deleteButton.setAttribute('aria-label', `Delete the saved event ${mine.name}`);
  };
  const saveNamed = () => {
    const name = nameInput.value.trim();
    const value = validate();
    if (value === undefined) {
      nameError.textContent = 'Fix the JSON before saving it.';
      textarea.focus();
      return;
    }
    const verdict = saveEvent(
      store.savedEvents,
      {
        name,
        text: textarea.value,
        ...(baseFunction ? { functionIndex: baseFunction } : {}),
        savedAt: new Date().toISOString(),
      },
      sampleNames,
    );
    if (!verdict.ok) {
      nameError.textContent = verdict.error;
      nameInput.setAttribute('aria-invalid', 'true');
      nameInput.focus();
      return;
    }
    nameInput.removeAttribute('aria-invalid');
    nameError.textContent = '';
    store.savedEvents = verdict.events;
    fillSelect();
    select.value = `${SAVED}${name}`;
    renderSaveState();
    save();
    savedStatus.textContent = verdict.replaced
      ? `Saved “${name}” again.`
      : `Saved “${name}”: pick it under Saved events.`;
  };
  saveButton.addEventListener('click', saveNamed);
  nameInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      saveNamed();
    }
  });
  nameInput.addEventListener('input', () => {
    const problem = nameInput.value === '' ? undefined : checkEventName(nameInput.value.trim(), sampleNames);
    nameError.textContent = problem ?? '';
    if (problem) nameInput.setAttribute('aria-invalid', 'true');
    else nameInput.removeAttribute('aria-invalid');
  });
  deleteButton.addEventListener('click', () => {
    const mine = savedNamed(select.value);
    if (!mine) return;
    store.savedEvents = deleteEvent(store.savedEvents, mine.name);
    // The text stays in the editor, as an edit: deleting the saved copy does not lose what is shown.
    select.value = CUSTOM;
    fillSelect();
    renderSaveState();
    save();
    savedStatus.textContent = `Deleted the saved event “${mine.name}”.`;
    select.focus();
  });
  renderSaveState();

  const group = `${idPrefix}-invocation`;
  const radio = (value: 'RequestResponse' | 'Event', label: string, hint: string) => {
    const input = el('input', { type: 'radio', name: group, value, id: `${group}-${value}` });
    input.checked = store.invocationType === value;
    input.addEventListener('change', () => {
      if (input.checked) store.invocationType = value;
    });
    return el(
      'label',
      { class: 'wb-radio', for: `${group}-${value}` },
      input,
      el('span', {}, label),
      el('span', { class: 'wb-hint' }, hint),
    );
  };

  const element = el(
    'div',
    { class: 'wb-events' },
    el('div', { class: 'wb-field' }, el('label', { for: select.id }, 'Event'), select),
    el('div', { class: 'wb-field' }, el('label', { for: textarea.id }, 'Event JSON'), textarea, error, help, note),
    el('div', { class: 'wb-row' }, format, restore, deleteButton),
    el(
      'div',
      { class: 'wb-field wb-event-save' },
      el('label', { for: nameInput.id }, 'Save as'),
      el('div', { class: 'wb-row' }, nameInput, saveButton),
      nameError,
      nameHelp,
      savedStatus,
    ),
    el(
      'fieldset',
      { class: 'wb-fieldset' },
      el('legend', {}, 'Invocation type'),
      radio('RequestResponse', 'RequestResponse', '— synchronous: wait for the response'),
      radio('Event', 'Event', '— asynchronous: queued, retried twice on error'),
    ),
  );
  validate();

  return {
    element,
    event() {
      const value = validate();
      if (value === undefined) textarea.focus();
      return value;
    },
    invocationType: () => (store.invocationType === 'Event' ? 'Event' : 'RequestResponse'),
    functionIndex: () => baseFunction,
  };
}
