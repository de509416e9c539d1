// `GET /api/trace`: the cloud's trace steps as Server-Sent Events (event `trace`, data a JSON
// TraceMessage), each numbered so that a reconnecting EventSource (Last-Event-ID) gets what it
// missed from a short replay buffer. One subscription to the cloud's bus feeds every page.
import type { TraceMessage } from '../lib/workbench-api.ts';
import type { TraceSource, WorkbenchRuntime } from './runtime.ts';
import { deployedGraphs } from './scenario-info.ts';
import { mapTrace, newTraceMapState, TraceIndex } from './trace-map.ts';

/** Messages kept for reconnecting clients. */
const REPLAY = 500;
/** Seconds between keep-alive comments (proxies and browsers drop silent connections). */
export const HEARTBEAT_MS = 15_000;
/** Bytes a connection may have queued before new messages are dropped (and counted). */
export const MAX_QUEUED_BYTES = 1024 * 1024;
/** How long a built index of the deployed scenarios is trusted before it is rebuilt. */
const INDEX_TTL_MS = 1000;

const encoder = new TextEncoder();

/** One SSE frame. */
export function sseFrame(id: number, message: TraceMessage): string {
  return `id: ${id}\nevent: trace\ndata: ${JSON.stringify(message)}\n\n`;
}

type Listener = (id: number, frame: string) => void;

/** Numbers and maps the trace once, for every connected page. */
export class TraceHub {
  readonly #listeners = new Set<Listener>();
  readonly #replay: { id: number; frame: string }[] = [];
  readonly #state = newTraceMapState();
  readonly #index: () => TraceIndex;
  #next = 1;

  constructor(source: TraceSource, index: () => TraceIndex) {
    this.#index = index;
    source.subscribe((record) => {
      let messages: TraceMessage[];
      try {
        messages = mapTrace(record, this.#index(), this.#state);
      } catch (error) {
        messages = [{ type: record.type, time: record.time, detail: { mappingError: (error as Error).message } }];
      }
      for (const message of messages) this.#publish(message);
    });
  }

  #publish(message: TraceMessage): void {
    const id = this.#next++;
    const frame = sseFrame(id, message);
    this.#replay.push({ id, frame });
    if (this.#replay.length > REPLAY) this.#replay.shift();
    for (const listener of this.#listeners) listener(id, frame);
  }

  /** Frames after `lastId` still in the replay buffer. */
  since(lastId: number): string[] {
    return this.#replay.filter((entry) => entry.id > lastId).map((entry) => entry.frame);
  }

  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get connections(): number {
    return this.#listeners.size;
  }
}

const hubs = new WeakMap<TraceSource, TraceHub>();

/** The hub of a runtime's trace source (one per process and source). */
export function traceHub(runtime: WorkbenchRuntime, source: TraceSource): TraceHub {
  let hub = hubs.get(source);
  if (hub === undefined) {
    let built: { at: number; key: string; index: TraceIndex } | undefined;
    hub = new TraceHub(source, () => {
      const now = Date.now();
      if (built !== undefined && now - built.at < INDEX_TTL_MS) return built.index;
      const target = runtime.target();
      const key = JSON.stringify([target.stacks, target.resources ?? {}]);
      if (built !== undefined && built.key === key && now - built.at < 10 * INDEX_TTL_MS) {
        built.at = now;
        return built.index;
      }
      built = { at: now, key, index: new TraceIndex(deployedGraphs(runtime.root, target)) };
      return built.index;
    });
    hubs.set(source, hub);
  }
  return hub;
}

export interface StreamOptions {
  /** Replay frames after this id (the EventSource's Last-Event-ID). */
  readonly lastEventId?: number;
  /** Aborted when the client goes away. */
  readonly signal?: AbortSignal;
  readonly heartbeatMs?: number;
  readonly maxQueuedBytes?: number;
}

/**
 * An SSE body for one client. Backpressure: frames go to the stream only while its queue has room
 * (`desiredSize`); beyond `maxQueuedBytes` waiting, new frames are dropped and a `trace.dropped`
 * step says how many. Closes (and unsubscribes) when the client disconnects.
 */
export function traceEventStream(hub: TraceHub, options: StreamOptions = {}): ReadableStream<Uint8Array> {
  const maxQueued = options.maxQueuedBytes ?? MAX_QUEUED_BYTES;
  let pending: string[] = [];
  let pendingBytes = 0;
  let dropped = 0;
  let closed = false;
  let cleanup = () => {};
  let flush = () => {};

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        flush = () => {
          while (!closed && pending.length > 0 && (controller.desiredSize ?? 0) > 0) {
            const frame = pending.shift()!;
            pendingBytes -= frame.length;
            controller.enqueue(encoder.encode(frame));
          }
          if (!closed && dropped > 0 && pending.length === 0 && (controller.desiredSize ?? 0) > 0) {
            const message: TraceMessage = {
              type: 'trace.dropped',
              time: Date.now(),
              detail: { count: dropped, reason: 'the page did not keep up with the trace' },
            };
            dropped = 0;
            controller.enqueue(encoder.encode(`event: trace\ndata: ${JSON.stringify(message)}\n\n`));
          }
        };
        const push = (frame: string) => {
          if (closed) return;
          if (pending.length === 0 && dropped === 0 && (controller.desiredSize ?? 0) > 0) {
            controller.enqueue(encoder.encode(frame));
            return;
          }
          if (pendingBytes + frame.length > maxQueued) {
            dropped += 1;
            return;
          }
          pending.push(frame);
          pendingBytes += frame.length;
          flush();
        };
        controller.enqueue(encoder.encode('retry: 2000\n: connected to the workbook trace\n\n'));
        if (options.lastEventId !== undefined) for (const frame of hub.since(options.lastEventId)) push(frame);
        const unsubscribe = hub.listen((_id, frame) => push(frame));
        const heartbeat = setInterval(() => {
          if (!closed && (controller.desiredSize ?? 0) > 0) controller.enqueue(encoder.encode(': ping\n\n'));
          flush();
        }, options.heartbeatMs ?? HEARTBEAT_MS);
        heartbeat.unref?.();
        const onAbort = () => {
          cleanup();
          try {
            controller.close();
          } catch {
            // already closed or errored
          }
        };
        cleanup = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(heartbeat);
          pending = [];
          options.signal?.removeEventListener('abort', onAbort);
        };
        if (options.signal?.aborted) onAbort();
        else options.signal?.addEventListener('abort', onAbort, { once: true });
      },
      pull() {
        flush();
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}
