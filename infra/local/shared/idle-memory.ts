/**
 * Gives memory back once the local cloud falls quiet. V8 grows its young generation while
 * modules load and requests come in (8 MiB or more of it stays resident), and shrinks it only in
 * a garbage collection made to reduce memory, which nothing idle ever triggers: after startup,
 * and after each busy spell, the first quiet second runs one such collection. Under load it
 * never runs, so the young generation keeps the size load gives it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

/** V8's collection that also shrinks the heap's spaces (what `gc()` does with `flavor: 'last-resort'`). */
function memoryReducingCollection(): Collect | undefined {
  const exposed = (globalThis as { gc?: (options?: object) => void }).gc;
  let gc = exposed;
  if (gc === undefined) {
    try {
      // Exposed only in a context of its own, and switched off again for every other context.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as (options?: object) => void;
      setFlagsFromString('--no-expose-gc');
    } catch {
      return undefined;
    }
  }
  return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

export interface IdleMemoryOptions {
  /** How long without activity counts as quiet. @default 1000 */
  readonly quietMs?: number;
  /** The collection to run. @default V8's memory-reducing collection */
  readonly collect?: Collect;
}

export class IdleMemoryRelease {
  readonly #collect: Collect | undefined;
  readonly #timer: NodeJS.Timeout;
  #activity = 0;
  #seen = 0;
  /** Startup counts as a busy spell. */
  #busySinceCollect = true;
  /** Runs so far (tests, the bench). */
  collections = 0;

  constructor({ quietMs = 1000, collect = memoryReducingCollection() }: IdleMemoryOptions = {}) {
    this.#collect = collect;
    this.#timer = setInterval(() => this.#tick(), quietMs);
    this.#timer.unref();
  }

  /** A request arrived (one increment: this runs on every request). */
  noteActivity(): void {
    this.#activity += 1;
  }

  #tick(): void {
    if (this.#activity !== this.#seen) {
      this.#seen = this.#activity;
      this.#busySinceCollect = true;
      return;
    }
    if (!this.#busySinceCollect || this.#collect === undefined) return;
    this.#busySinceCollect = false;
    this.collections += 1;
    this.#collect();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
