// The test-event panel, like the Lambda console's: pick a sample event, edit its JSON (validated
// as you type), choose how to invoke (RequestResponse waits for the answer, Event queues it).
import type { SampleEvent } from '../../../lib/workbench-api.ts';
import { el } from '../dom.ts';
import type { ScenarioStore } from '../storage.ts';

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
  // The first sample for the function being edited (another function's samples say so in their label).
  const first = events.find((sample) => !sample.functionIndex) ?? events[0];
  const select = el('select', { id: `${idPrefix}-event-select`, class: 'wb-select' });
  for (const sample of events) {
    const label = sample.functionIndex ? `${sample.name} (for another function of the scenario)` : sample.name;
    select.append(el('option', { value: sample.name }, label));
  }
  select.append(el('option', { value: CUSTOM }, 'custom (edited)'));
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
    'The JSON your function receives as its event. Edits are kept in this browser.',
  );
  // What Run does first for this sample (the server's note, e.g. uploading the photo it names).
  const note = el('p', { id: `${idPrefix}-event-note`, class: 'wb-help' });
  let base: SampleEvent | undefined;
  const setBase = (sample: SampleEvent | undefined) => {
    base = sample;
    note.textContent = sample?.note ?? '';
    note.hidden = !sample?.note;
  };

  const sampleNamed = (name: string) => events.find((sample) => sample.name === name);
  if (saved && (saved.name === CUSTOM || sampleNamed(saved.name))) {
    select.value = saved.name;
    textarea.value = saved.text;
  } else if (first) {
    select.value = first.name;
    textarea.value = pretty(first.event);
  } else {
    select.value = CUSTOM;
    textarea.value = '{}';
  }

  setBase(sampleNamed(select.value));

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

  select.addEventListener('change', () => {
    const sample = sampleNamed(select.value);
    if (sample) {
      textarea.value = pretty(sample.event);
      setBase(sample);
    }
    validate();
    save();
  });
  textarea.addEventListener('input', () => {
    const sample = sampleNamed(select.value);
    if (sample && textarea.value !== pretty(sample.event)) select.value = CUSTOM;
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
  const restore = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Restore sample');
  restore.addEventListener('click', () => {
    const sample = sampleNamed(select.value) ?? first;
    if (!sample) return;
    select.value = sample.name;
    textarea.value = pretty(sample.event);
    setBase(sample);
    validate();
    save();
  });

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
    el('div', { class: 'wb-field' }, el('label', { for: select.id }, 'Sample event'), select),
    el('div', { class: 'wb-field' }, el('label', { for: textarea.id }, 'Event JSON'), textarea, error, help, note),
    el('div', { class: 'wb-row' }, format, restore),
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
    functionIndex: () => base?.functionIndex,
  };
}
