// The shape AWS mode's observers share: a trace source that looks at something (log groups, buckets
// and tables) while anyone listens, publishes what it found to every listener, keeps the last few
// records for late subscribers, and can be woken to look at once.
import type { TraceRecord, TraceSource } from './runtime.ts';

export interface PollingSourceOptions {
  /** One look; `publish` each record found. Errors are the caller's to report inside `look`. */
  readonly look: (publish: (record: TraceRecord) => void, isClosed: () => boolean) => Promise<void>;
  /** Milliseconds until the next look (asked after each one); Infinity: none until woken. */
  readonly interval: () => number;
  /** Records kept for `recent()`. @default 200 */
  readonly keep?: number;
  /** Releases what `look` holds (clients). */
  readonly onClose?: () => void;
}

export interface PollingSource extends TraceSource {
  /** Looks once now (or joins the look in progress). */
  poll(): Promise<void>;
  /** Looks now (or in `afterMs`) and schedules the next look afresh (when anyone listens). */
  wake(afterMs?: number): void;
  close(): void;
}

export function createPollingSource(options: PollingSourceOptions): PollingSource {
  const keep = options.keep ?? 200;
  const listeners = new Set<(event: TraceRecord) => void>();
  const recent: TraceRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let closed = false;

  const publish = (record: TraceRecord) => {
    recent.push(record);
    if (recent.length > keep) recent.shift();
    for (const listener of listeners) {
      try {
        listener(record);
      } catch {
        // a failing subscriber must not stop the others
      }
    }
  };

  const poll = (): Promise<void> => {
    if (polling) return polling;
    polling = options
      .look(publish, () => closed)
      .catch(() => {}) // `look` reports its own errors
      .finally(() => {
        polling = undefined;
      });
    return polling;
  };

  const schedule = () => {
    if (closed || listeners.size === 0 || timer) return;
    const delay = options.interval();
    if (!Number.isFinite(delay)) return;
    timer = setTimeout(() => {
      timer = undefined;
      void poll().finally(schedule);
    }, delay);
    timer.unref?.();
  };

  const stopTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      void poll().finally(schedule);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopTimer();
      };
    },
    recent: () => [...recent],
    poll,
    wake(afterMs = 0) {
      if (closed || listeners.size === 0) return;
      stopTimer();
      if (afterMs <= 0) {
        void poll().finally(schedule);
        return;
      }
      timer = setTimeout(() => {
        timer = undefined;
        void poll().finally(schedule);
      }, afterMs);
      timer.unref?.();
    },
    close() {
      closed = true;
      listeners.clear();
      stopTimer();
      options.onClose?.();
    },
  };
}
