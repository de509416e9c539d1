// What the workbench remembers in the browser (localStorage), per scenario: the learner's edit,
// the chosen event, the invocation type, exercise progress, and the code a Reset replaced.
// Every read tolerates a missing, full or disabled storage and malformed values.
import { isSavedEvents, type SavedTestEvent } from './results/saved-events.ts';

const PREFIX = 'lambda-workbook:v1';

/** How far a learner got with one exercise. */
export interface ExerciseProgress {
  readonly status: 'pass' | 'fail' | 'error';
  /** ISO time of the last check. */
  readonly checkedAt: string;
  /** Tests passed / total in the last check. */
  readonly passed: number;
  readonly total: number;
}

/** The event editor's state. */
export interface SavedEvent {
  /** Sample event name the text started from (or `custom`). */
  readonly name: string;
  readonly text: string;
}

/** The scenario-level record the progress page reads. */
export interface ScenarioProgress {
  readonly edited: boolean;
  readonly deploys: number;
  readonly runs: number;
  readonly exercises: Readonly<Record<string, ExerciseProgress>>;
  /** Titles of the exercises, as last seen (the progress page has no API to ask). */
  readonly exerciseTitles: Readonly<Record<string, string>>;
  readonly lastVisit?: string;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

function read(key: string): string | undefined {
  try {
    return storage()?.getItem(`${PREFIX}:${key}`) ?? undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: string | undefined): void {
  try {
    const store = storage();
    if (!store) return;
    if (value === undefined) store.removeItem(`${PREFIX}:${key}`);
    else store.setItem(`${PREFIX}:${key}`, value);
  } catch {
    // Full or disabled storage: the workbench keeps working, it just forgets on reload.
  }
}

function readJson<T>(key: string, valid: (value: unknown) => value is T): T | undefined {
  const text = read(key);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isSavedEvent = (value: unknown): value is SavedEvent =>
  isObject(value) && typeof value.name === 'string' && typeof value.text === 'string';

const isStringRecord = (value: unknown): value is Record<string, string> =>
  isObject(value) && Object.values(value).every((entry) => typeof entry === 'string');

const isProgress = (value: unknown): value is ScenarioProgress =>
  isObject(value) && isObject(value.exercises) && isObject(value.exerciseTitles);

const EMPTY_PROGRESS: ScenarioProgress = { edited: false, deploys: 0, runs: 0, exercises: {}, exerciseTitles: {} };

/** The stored state of one scenario's workbench. */
export class ScenarioStore {
  readonly scenario: string;

  constructor(scenario: string) {
    this.scenario = scenario;
  }

  #key(name: string): string {
    return `${this.scenario}:${name}`;
  }

  /** The learner's handler source, if they edited it. */
  get source(): string | undefined {
    return read(this.#key('source'));
  }

  set source(value: string | undefined) {
    write(this.#key('source'), value);
  }

  /** The code a Reset replaced, for Undo. */
  get undo(): string | undefined {
    return read(this.#key('undo'));
  }

  set undo(value: string | undefined) {
    write(this.#key('undo'), value);
  }

  get event(): SavedEvent | undefined {
    return readJson(this.#key('event'), isSavedEvent);
  }

  set event(value: SavedEvent | undefined) {
    write(this.#key('event'), value === undefined ? undefined : JSON.stringify(value));
  }

  /** The learner's named test events (results/saved-events.ts). */
  get savedEvents(): readonly SavedTestEvent[] {
    return readJson(this.#key('saved-events'), isSavedEvents) ?? [];
  }

  set savedEvents(value: readonly SavedTestEvent[]) {
    write(this.#key('saved-events'), value.length === 0 ? undefined : JSON.stringify(value));
  }

  get invocationType(): 'RequestResponse' | 'Event' {
    return read(this.#key('invocation-type')) === 'Event' ? 'Event' : 'RequestResponse';
  }

  set invocationType(value: 'RequestResponse' | 'Event') {
    write(this.#key('invocation-type'), value);
  }

  /** The source deployed in the session with this token (the cloud forgets at a restart; tokens change). */
  deployed(token: string): string | undefined {
    const saved = readJson(
      this.#key('deployed'),
      (value): value is { token: string; source: string } =>
        isObject(value) && typeof value.token === 'string' && typeof value.source === 'string',
    );
    return saved?.token === token ? saved.source : undefined;
  }

  setDeployed(token: string, source: string): void {
    write(this.#key('deployed'), JSON.stringify({ token, source }));
  }

  /** The learner's edited files (path → text), only those that differ from the original. */
  get files(): Readonly<Record<string, string>> {
    return readJson(this.#key('files'), isStringRecord) ?? {};
  }

  set files(value: Readonly<Record<string, string>>) {
    write(this.#key('files'), Object.keys(value).length === 0 ? undefined : JSON.stringify(value));
  }

  /** The learner's attempt at each exercise (exercise id → handler text), when it differs from the starter. */
  get attempts(): Readonly<Record<string, string>> {
    return readJson(this.#key('attempts'), isStringRecord) ?? {};
  }

  setAttempt(exercise: string, text: string | undefined): void {
    const { [exercise]: _previous, ...others } = this.attempts;
    const next = text === undefined ? others : { ...others, [exercise]: text };
    write(this.#key('attempts'), Object.keys(next).length === 0 ? undefined : JSON.stringify(next));
  }

  /** The exercise the learner works on (its attempt is in the editor), or undefined: the scenario's own handler. */
  get exercise(): string | undefined {
    return read(this.#key('exercise'));
  }

  set exercise(value: string | undefined) {
    write(this.#key('exercise'), value);
  }

  /** The file shown in the editor. */
  get selectedFile(): string | undefined {
    return read(this.#key('selected-file'));
  }

  set selectedFile(value: string | undefined) {
    write(this.#key('selected-file'), value);
  }

  /** Whether the learner opened this workbench before (it then opens by itself when reached). */
  get opened(): boolean {
    return read(this.#key('opened')) === '1';
  }

  set opened(value: boolean) {
    write(this.#key('opened'), value ? '1' : undefined);
  }

  get progress(): ScenarioProgress {
    return readJson(this.#key('progress'), isProgress) ?? EMPTY_PROGRESS;
  }

  updateProgress(change: (progress: ScenarioProgress) => ScenarioProgress): void {
    const next = change(this.progress);
    write(this.#key('progress'), JSON.stringify({ ...next, lastVisit: new Date().toISOString() }));
  }
}

/** Progress of every scenario with anything stored, by scenario id. */
export function allProgress(scenarios: readonly string[]): Record<string, ScenarioProgress> {
  return Object.fromEntries(scenarios.map((id) => [id, new ScenarioStore(id).progress]));
}

/** Forgets everything the workbench stored for a scenario (the progress page's "Start over"). */
export function forgetScenario(scenario: string): void {
  for (const name of [
    'source',
    'files',
    'attempts',
    'exercise',
    'selected-file',
    'undo',
    'event',
    'saved-events',
    'invocation-type',
    'deployed',
    'opened',
    'progress',
  ]) {
    write(`${scenario}:${name}`, undefined);
  }
}

/** The workspace's pane sizes (one layout for every scenario: the learner sized it for their screen). */
export const layoutStore = {
  get(): Readonly<Record<string, number>> {
    return (
      readJson(
        'layout',
        (value): value is Record<string, number> =>
          isObject(value) && Object.values(value).every((entry) => typeof entry === 'number' && Number.isFinite(entry)),
      ) ?? {}
    );
  },
  set(value: Readonly<Record<string, number>>): void {
    write('layout', JSON.stringify(value));
  },
};

/** What this tab deployed last per function (CodeSha256), for this start of the workbook (token). */
export const deployedInThisTab = {
  get(token: string): Readonly<Record<string, string>> {
    try {
      const saved = JSON.parse(globalThis.sessionStorage?.getItem(`${PREFIX}:deployed:${token}`) ?? '{}') as unknown;
      return isStringRecord(saved) ? saved : {};
    } catch {
      return {};
    }
  },
  set(token: string, shas: Readonly<Record<string, string>>): void {
    try {
      globalThis.sessionStorage?.setItem(
        `${PREFIX}:deployed:${token}`,
        JSON.stringify({ ...this.get(token), ...shas }),
      );
    } catch {
      // storage unavailable: the label falls back to "changed elsewhere" after a reload
    }
  },
};
