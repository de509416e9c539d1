/** One step of a request's journey through the local cloud, for the workbench to stream. */
export interface TraceEvent {
  /** Dotted kind, e.g. `s3.request`, `s3.notification`, `lambda.invoke.start`, `lambda.log`. */
  readonly type: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** Request id of the AWS request or Lambda invocation this step belongs to. */
  readonly requestId?: string;
  /** Free-form details (bucket, key, function name, status, log line, error …). */
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * In-process publish/subscribe bus. Every service publishes what it does here;
 * subscribers (the workbench's Server-Sent Events, tests) listen.
 */
export class TraceBus {
  /** Replaced, never changed, when someone subscribes or leaves: publishing walks it as it is. */
  #listeners: readonly ((event: TraceEvent) => void)[] = [];
  /** The last `keep` events in a ring: `#next` is where the next one goes (the oldest, once full). */
  readonly #recent: TraceEvent[] = [];
  #next = 0;
  readonly #keep: number;

  /** @param keep how many recent events to remember for late subscribers */
  constructor(keep = 1000) {
    this.#keep = keep;
  }

  publish(type: string, detail: Record<string, unknown> = {}, requestId?: string): TraceEvent {
    const event: TraceEvent = { type, time: Date.now(), requestId, detail };
    // A ring rather than push + shift: shifting a full array moves all of it on every event.
    if (this.#keep > 0) {
      if (this.#recent.length < this.#keep) this.#recent.push(event);
      else this.#recent[this.#next] = event;
      this.#next = (this.#next + 1) % this.#keep;
    }
    // A throwing subscriber must never break the service that published.
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // ignored on purpose
      }
    }
    return event;
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: (event: TraceEvent) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const at = this.#listeners.indexOf(listener);
      if (at !== -1) this.#listeners = this.#listeners.toSpliced(at, 1);
    };
  }

  /** The most recent events, oldest first. */
  recent(): readonly TraceEvent[] {
    if (this.#recent.length < this.#keep) return [...this.#recent];
    return [...this.#recent.slice(this.#next), ...this.#recent.slice(0, this.#next)];
  }
}
