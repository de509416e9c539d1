import { describe, expect, it } from 'vitest';
import { TraceBus } from '../../../infra/local/trace/bus.ts';
import type { TraceMessage } from '../../../site/lib/workbench-api.ts';
import { TraceIndex } from '../../../site/server/trace-map.ts';
import { TraceHub, traceEventStream } from '../../../site/server/trace-stream.ts';

const emptyIndex = new TraceIndex([]);
const decoder = new TextDecoder();

/** Reads SSE frames until `count` trace messages arrived (or the stream ends). */
async function readMessages(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  count: number,
): Promise<{ messages: (TraceMessage & { id?: number })[]; raw: string }> {
  let raw = '';
  const messages: (TraceMessage & { id?: number })[] = [];
  while (messages.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    raw += decoder.decode(value);
    const frames = raw.split('\n\n');
    messages.length = 0;
    for (const frame of frames) {
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      const id = /^id: (\d+)$/m.exec(frame)?.[1];
      if (data !== undefined && /^event: trace$/m.test(frame)) {
        messages.push({ ...(JSON.parse(data) as TraceMessage), ...(id ? { id: Number(id) } : {}) });
      }
    }
  }
  return { messages, raw };
}

describe('the trace as Server-Sent Events', () => {
  it('streams each bus event as a numbered `trace` frame', async () => {
    const bus = new TraceBus();
    const hub = new TraceHub(bus, () => emptyIndex);
    const reader = traceEventStream(hub).getReader();
    bus.publish('s3.request', { bucket: 'b', operation: 'PutObject' }, 'r1');
    bus.publish('lambda.log', { functionName: 'f', line: 'hello' }, 'r2');
    const { messages, raw } = await readMessages(reader, 2);
    expect(raw.startsWith('retry: 2000\n')).toBe(true);
    expect(messages).toMatchObject([
      { id: 1, type: 's3.request', requestId: 'r1', detail: { bucket: 'b' } },
      { id: 2, type: 'lambda.log', requestId: 'r2', detail: { line: 'hello' } },
    ]);
    await reader.cancel();
    expect(hub.connections).toBe(0);
  });

  it('replays what a reconnecting client missed (Last-Event-ID)', async () => {
    const bus = new TraceBus();
    const hub = new TraceHub(bus, () => emptyIndex);
    for (let i = 1; i <= 5; i += 1) bus.publish('step', { i });
    const reader = traceEventStream(hub, { lastEventId: 3 }).getReader();
    const { messages } = await readMessages(reader, 2);
    expect(messages.map((message) => message.detail.i)).toEqual([4, 5]);
    await reader.cancel();
  });

  it('drops and counts what a client that does not read cannot take, without holding more than the limit', async () => {
    const bus = new TraceBus();
    const hub = new TraceHub(bus, () => emptyIndex);
    const stream = traceEventStream(hub, { maxQueuedBytes: 64 * 1024 });
    const reader = stream.getReader();
    const line = 'x'.repeat(1000);
    for (let i = 0; i < 2000; i += 1) bus.publish('lambda.log', { functionName: 'f', line, i });
    // ~2 MB published; the stream holds its 64 KB queue plus at most 64 KB pending.
    let raw = '';
    const deadline = Date.now() + 5000;
    while (!raw.includes('trace.dropped') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      raw += decoder.decode(value);
    }
    const delivered = raw.split('\n\n').filter((frame) => frame.includes('"lambda.log"')).length;
    const dropped = Number(/"type":"trace.dropped".*?"count":(\d+)/.exec(raw)?.[1]);
    expect(delivered).toBeLessThan(200);
    expect(delivered + dropped).toBe(2000);
    await reader.cancel();
  });

  it('closes and unsubscribes when the client disconnects', async () => {
    const bus = new TraceBus();
    const hub = new TraceHub(bus, () => emptyIndex);
    const controller = new AbortController();
    const reader = traceEventStream(hub, { signal: controller.signal }).getReader();
    await reader.read(); // the opening comment
    expect(hub.connections).toBe(1);
    controller.abort();
    await expect(reader.read()).resolves.toEqual({ done: true, value: undefined });
    expect(hub.connections).toBe(0);
    bus.publish('after', {}); // nobody listening: nothing breaks
  });

  it('sends heartbeat comments while nothing happens', async () => {
    const bus = new TraceBus();
    const hub = new TraceHub(bus, () => emptyIndex);
    const reader = traceEventStream(hub, { heartbeatMs: 20 }).getReader();
    await reader.read(); // the opening comment
    const { value } = await reader.read();
    expect(decoder.decode(value)).toBe(': ping\n\n');
    await reader.cancel();
  });

  it('a mapping failure still streams the step', async () => {
    const bus = new TraceBus();
    const hub = new TraceHub(bus, () => {
      throw new Error('templates unreadable');
    });
    const reader = traceEventStream(hub).getReader();
    bus.publish('s3.request', { bucket: 'b' });
    const { messages } = await readMessages(reader, 1);
    expect(messages[0]).toMatchObject({ type: 's3.request', detail: { mappingError: 'templates unreadable' } });
    await reader.cancel();
  });
});
