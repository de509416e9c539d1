// The flow diagram's pace, without the DOM: trace messages arrive in bursts (a whole invocation's
// steps within milliseconds), so the diagram plays them one after the other, in the order they
// happened, each long enough to follow; the steps of one event form a path the learner can replay.

/** One step of an event's journey: the diagram ids it lights (nodes and `from>to` arrows). */
export interface PlayedStep<T = unknown> {
  readonly ids: readonly string[];
  /** Whatever the view keeps with the step (its log line). */
  readonly data: T;
}

export interface PlayerTiming {
  /** How long one lit step is shown before the next one. */
  readonly stepMs: number;
  /** How long the last step (and the path behind it) stays lit once nothing follows. */
  readonly holdMs: number;
  /** Quiet time after which the next step starts a new path (a new event). */
  readonly pathGapMs: number;
  /** The shortest a step is shown when many are waiting (the diagram catches up instead of lagging). */
  readonly minStepMs: number;
  /** Waiting steps beyond which the pace quickens. */
  readonly backlog: number;
}

export const DEFAULT_TIMING: PlayerTiming = {
  stepMs: 750,
  holdMs: 2500,
  pathGapMs: 2500,
  minStepMs: 200,
  backlog: 6,
};

/** What the diagram shows at one moment: the step now playing, and the path it took to get there. */
export interface PlayerFrame<T = unknown> {
  /** Ids of the step playing now. */
  readonly current: ReadonlySet<string>;
  /** Ids of the path's earlier steps (not in `current`). */
  readonly visited: ReadonlySet<string>;
  /** The step playing now, if any. */
  readonly step?: PlayedStep<T>;
  /** Whether the step is played again by `replay()`. */
  readonly replaying: boolean;
}

export interface PlayerHost<T> {
  /** Schedules `run` after `ms` and returns how to cancel it (setTimeout in the page). */
  readonly schedule: (run: () => void, ms: number) => () => void;
  readonly now: () => number;
  /** Called whenever what is lit changes (and once with nothing lit when a path fades). */
  readonly onFrame: (frame: PlayerFrame<T>) => void;
}

/** How long a step is shown while `waiting` more wait behind it. */
export function stepDuration(timing: PlayerTiming, waiting: number): number {
  if (waiting <= timing.backlog) return timing.stepMs;
  return Math.max(timing.minStepMs, Math.round((timing.stepMs * timing.backlog) / waiting));
}

/**
 * Plays steps one at a time in the order they were pushed. A step that lights nothing (a log line
 * only) takes no time of its own but keeps its place in the order.
 */
export class StepPlayer<T = unknown> {
  readonly #host: PlayerHost<T>;
  readonly #timing: PlayerTiming;
  readonly #queue: { step: PlayedStep<T>; replay: boolean }[] = [];
  /** Steps of the latest path (event), as pushed. */
  #path: PlayedStep<T>[] = [];
  #visited = new Set<string>();
  /** The lit step: playing, or held after the path's end until it fades. */
  #current: PlayedStep<T> | undefined;
  /** Whether a step's time is running (false while the path is held or dark). */
  #playing = false;
  #replaying = false;
  #cancel: (() => void) | undefined;
  /** When the latest path's last step finished playing. */
  #idleSince: number | undefined;

  constructor(host: PlayerHost<T>, timing: PlayerTiming = DEFAULT_TIMING) {
    this.#host = host;
    this.#timing = timing;
  }

  /** The latest path's steps (what `replay()` plays). */
  get lastPath(): readonly PlayedStep<T>[] {
    return this.#path;
  }

  /** Whether a step is playing or waiting. */
  get busy(): boolean {
    return this.#playing || this.#queue.length > 0;
  }

  /** Adds a step of the event in progress (or of a new one after a quiet spell). */
  push(step: PlayedStep<T>): void {
    if (step.ids.length > 0) {
      const quiet =
        !this.busy && (this.#idleSince === undefined || this.#host.now() - this.#idleSince >= this.#timing.pathGapMs);
      if (quiet) {
        // A new event: its path starts afresh (the previous one's trail goes dark).
        this.#path = [];
        this.#visited = new Set();
        this.#current = undefined;
      }
      this.#path.push(step);
    }
    this.#queue.push({ step, replay: false });
    if (!this.#playing) this.#next();
  }

  /** Plays the latest path again from its first step (anything still waiting is dropped). */
  replay(): void {
    if (this.#path.length === 0) return;
    this.#stopTimer();
    this.#queue.length = 0;
    this.#current = undefined;
    this.#visited = new Set();
    for (const step of this.#path) this.#queue.push({ step, replay: true });
    this.#next();
  }

  /** Stops playing and forgets everything. */
  clear(): void {
    this.#stopTimer();
    this.#queue.length = 0;
    this.#path = [];
    this.#current = undefined;
    this.#visited = new Set();
    this.#idleSince = undefined;
    this.#replaying = false;
    this.#emit();
  }

  #stopTimer(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#playing = false;
  }

  #emit(step?: PlayedStep<T>): void {
    const current = new Set(this.#current?.ids ?? []);
    const visited = new Set([...this.#visited].filter((id) => !current.has(id)));
    const shown = step ?? (this.#playing ? this.#current : undefined);
    this.#host.onFrame({ current, visited, replaying: this.#replaying, ...(shown ? { step: shown } : {}) });
  }

  #next(): void {
    this.#stopTimer();
    for (;;) {
      const entry = this.#queue.shift();
      if (entry === undefined) break;
      this.#idleSince = undefined;
      this.#replaying = entry.replay;
      if (entry.step.ids.length === 0) {
        // A line without a place in the picture: told in its turn, the picture stays as it is.
        this.#emit(entry.step);
        continue;
      }
      if (this.#current) for (const id of this.#current.ids) this.#visited.add(id);
      this.#current = entry.step;
      this.#playing = true;
      this.#emit(entry.step);
      this.#cancel = this.#host.schedule(() => this.#next(), stepDuration(this.#timing, this.#queue.length));
      return;
    }
    // The path is done: its last step stays lit a moment with the trail behind it, then all fades.
    this.#idleSince = this.#host.now();
    if (this.#current === undefined) return;
    this.#cancel = this.#host.schedule(() => {
      this.#cancel = undefined;
      this.#current = undefined;
      this.#visited = new Set();
      this.#replaying = false;
      this.#emit();
    }, this.#timing.holdMs);
  }
}
