// The workspace's state in one place: the files (original and current text), the file shown, the
// exercise being worked on, the deploy verdict and whether an action runs. Panels render from it and
// change it through its methods; every change is kept in the browser (storage.ts) and announced to
// the subscribers. Nothing here touches the DOM.
import type { ExerciseInfo, ScenarioInfo, WorkspaceFile } from '../../../lib/workbench-api.ts';
import type { ScenarioStore } from '../storage.ts';
import type { DeployVerdict } from './deploy-state.ts';

/** A file as the workspace holds it. */
export interface FileState extends Omit<WorkspaceFile, 'content'> {
  /** What "revert this file" brings back: the file on disk, or the exercise's starter for the handler. */
  readonly original: string;
  readonly text: string;
}

export type StateChange = 'files' | 'selection' | 'exercise' | 'deploy' | 'busy';

export class WorkspaceState {
  readonly scenario: ScenarioInfo;
  readonly store: ScenarioStore;
  /** The handler an exercise's starter stands for (the scenario's first function). */
  readonly handlerFile: string;
  #files = new Map<string, FileState>();
  #selected: string;
  #exercise: ExerciseInfo | undefined;
  #deploy: DeployVerdict | undefined;
  #busy = false;
  #listeners = new Set<(change: StateChange) => void>();
  /** The scenario-mode text of the exercise file while an exercise is active. */
  #scenarioHandler: string;

  constructor(scenario: ScenarioInfo, store: ScenarioStore) {
    this.scenario = scenario;
    this.store = store;
    this.handlerFile = scenario.functions[0]?.path ?? scenario.function.path;
    // Edits from before the file tree existed: the handler's text alone.
    const saved = { ...store.files };
    if (store.source !== undefined && saved[this.handlerFile] === undefined) saved[this.handlerFile] = store.source;
    for (const file of scenario.files) {
      const text = file.editable ? (saved[file.path] ?? file.content) : file.content;
      this.#files.set(file.path, { ...withoutContent(file), original: file.content, text });
    }
    this.#scenarioHandler = this.#files.get(this.handlerFile)?.text ?? '';
    const selected = store.selectedFile;
    this.#selected = selected !== undefined && this.#files.has(selected) ? selected : this.handlerFile;
    const exercise = scenario.exercises.find((candidate) => candidate.id === store.exercise);
    if (exercise) this.#enter(exercise);
  }

  /**
   * The file the current exercise's starter stands for: the scenario's `infra.ts` for an exercise on
   * the infrastructure (`edits: infra.ts`), else the handler.
   */
  get exerciseFile(): string {
    return this.#fileOf(this.#exercise);
  }

  #fileOf(exercise: ExerciseInfo | undefined): string {
    return exercise?.edits === 'infra.ts' ? `scenarios/${this.scenario.id}/infra.ts` : this.handlerFile;
  }

  /** Whether the file is one the learner edits and Deploy sends (infra.ts is edited only in its exercises). */
  #deployable(path: string): boolean {
    return this.scenario.files.find((candidate) => candidate.path === path)?.editable === true;
  }

  subscribe(listener: (change: StateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(change: StateChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  get files(): readonly FileState[] {
    return [...this.#files.values()];
  }

  file(path: string): FileState | undefined {
    return this.#files.get(path);
  }

  get selected(): FileState {
    return this.#files.get(this.#selected) as FileState;
  }

  select(path: string): void {
    if (!this.#files.has(path) || path === this.#selected) return;
    this.#selected = path;
    this.store.selectedFile = path;
    this.#emit('selection');
  }

  /** Whether a file's text differs from what "revert" brings back. */
  changed(path: string): boolean {
    const file = this.#files.get(path);
    return file !== undefined && file.text !== file.original;
  }

  /** The editable files that differ from the files on disk: what Deploy sends (an exercise attempt included). */
  edits(): Record<string, string> {
    const edits: Record<string, string> = {};
    for (const file of this.#files.values()) {
      const disk = this.scenario.files.find((candidate) => candidate.path === file.path)?.content;
      if (file.editable && this.#deployable(file.path) && file.text !== disk) edits[file.path] = file.text;
    }
    return edits;
  }

  /** Records an edit (from the editor). */
  edit(path: string, text: string): void {
    const file = this.#files.get(path);
    if (!file?.editable || file.text === text) return;
    this.#files.set(path, { ...file, text });
    this.#save(path);
    this.#emit('files');
  }

  #save(path: string): void {
    const file = this.#files.get(path);
    if (!file) return;
    if (this.#exercise && path === this.exerciseFile) {
      this.store.setAttempt(this.#exercise.id, file.text === this.#exercise.starter ? undefined : file.text);
      return;
    }
    const { [path]: _previous, ...others } = this.store.files;
    const disk = this.scenario.files.find((candidate) => candidate.path === path)?.content;
    this.store.files = file.text === disk ? others : { ...others, [path]: file.text };
    this.store.source = undefined;
    if (file.text !== disk && !this.store.progress.edited) {
      this.store.updateProgress((progress) => ({ ...progress, edited: true }));
    }
  }

  get exercise(): ExerciseInfo | undefined {
    return this.#exercise;
  }

  #enter(exercise: ExerciseInfo): void {
    const path = this.#fileOf(exercise);
    const file = this.#files.get(path);
    if (!file) return;
    this.#exercise = exercise;
    const attempt = this.store.attempts[exercise.id] ?? exercise.starter;
    // An exercise on the infrastructure makes infra.ts editable while it is worked on.
    this.#files.set(path, { ...file, editable: true, original: exercise.starter, text: attempt });
  }

  /** Puts the current exercise's file back as the scenario has it (the handler with the learner's edits). */
  #leave(): void {
    const path = this.exerciseFile;
    const file = this.#files.get(path);
    this.#exercise = undefined;
    if (!file) return;
    const disk = this.scenario.files.find((candidate) => candidate.path === path);
    const text = path === this.handlerFile ? this.#scenarioHandler : (disk?.content ?? '');
    this.#files.set(path, { ...file, editable: disk?.editable ?? false, original: disk?.content ?? '', text });
  }

  /**
   * Works on an exercise: the handler's text becomes the learner's attempt (the starter the first
   * time); undefined goes back to the scenario's own handler (with the learner's edits of it).
   */
  chooseExercise(id: string | undefined): void {
    if (id === this.#exercise?.id) return;
    const handler = this.#files.get(this.handlerFile);
    if (!handler) return;
    if (this.#exercise === undefined) this.#scenarioHandler = handler.text;
    const exercise = this.scenario.exercises.find((candidate) => candidate.id === id);
    this.store.exercise = exercise?.id;
    if (this.#exercise) this.#leave();
    if (exercise) this.#enter(exercise);
    this.#selected = this.exerciseFile;
    this.store.selectedFile = this.exerciseFile;
    this.#emit('exercise');
  }

  get deploy(): DeployVerdict | undefined {
    return this.#deploy;
  }

  setDeploy(verdict: DeployVerdict | undefined): void {
    this.#deploy = verdict;
    this.#emit('deploy');
  }

  get busy(): boolean {
    return this.#busy;
  }

  setBusy(busy: boolean): void {
    this.#busy = busy;
    this.#emit('busy');
  }
}

function withoutContent(file: WorkspaceFile): Omit<WorkspaceFile, 'content'> {
  const { content: _content, ...rest } = file;
  return rest;
}
