import { EventEmitter } from 'node:events';

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
  readonly #emitter = new EventEmitter();
  readonly #recent: TraceEvent[] = [];
  readonly #keep: number;

  /** @param keep how many recent events to remember for late subscribers */
  constructor(keep = 1000) {
    this.#keep = keep;
    this.#emitter.setMaxListeners(0);
  }

  publish(type: string, detail: Record<string, unknown> = {}, requestId?: string): TraceEvent {
    const event: TraceEvent = { type, time: Date.now(), requestId, detail };
    this.#recent.push(event);
    // Trimmed in batches: shifting a full array on every event moves all of it each time.
    if (this.#recent.length >= this.#keep * 2) this.#recent.splice(0, this.#recent.length - this.#keep);
    // A throwing subscriber must never break the service that published.
    for (const listener of this.#emitter.listeners('event')) {
      try {
        (listener as (e: TraceEvent) => void)(event);
      } catch {
        // ignored on purpose
      }
    }
    return event;
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: (event: TraceEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  /** The most recent events, oldest first. */
  recent(): readonly TraceEvent[] {
    return this.#recent.slice(-this.#keep);
  }
}
