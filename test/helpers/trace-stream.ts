// The workbench's live feed (GET /api/trace, server-sent events) read the way the lesson page reads
// it, in the background: each `trace` event's message in order, and a wait for the message a test
// expects, resolved when it arrives (no polling).
import type { TraceMessage } from '../../site/lib/workbench-api.ts';

export interface TraceReader {
  readonly status: number;
  readonly contentType: string | null;
  /** Every message received so far, in order. */
  readonly messages: TraceMessage[];
  /** The first message from index `from` on that `matches`, once it has arrived. */
  waitFor(
    matches: (message: TraceMessage) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<TraceMessage>;
  close(): void;
}

/** Opens the live feed of the workbook at `siteUrl` with the session's token. */
export async function openTrace(siteUrl: string, token: string): Promise<TraceReader> {
  const controller = new AbortController();
  const response = await fetch(`${siteUrl}/api/trace?token=${encodeURIComponent(token)}`, {
    headers: { origin: siteUrl, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const messages: TraceMessage[] = [];
  const waiters = new Set<() => void>();
  if (response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (/^event: trace$/m.test(frame) && data !== undefined) {
              messages.push(JSON.parse(data) as TraceMessage);
              for (const wake of waiters) wake();
            }
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    messages,
    waitFor(matches, { from = 0, timeoutMs = 30_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.slice(from).find(matches);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No such trace message in ${timeoutMs / 1000} s (${messages.length - from} arrived)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
