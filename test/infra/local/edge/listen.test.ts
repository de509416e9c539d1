import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Http2Session } from 'node:http2';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { listenEdge } from '../../../../infra/local/edge/listen.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('listenEdge over HTTP/2', () => {
  it('lets go of a session the client has closed, well before the idle timeout', async () => {
    // Prepare: the server's sessions, seen from the handler, held weakly.
    const sessions: WeakRef<Http2Session>[] = [];
    const listener = await listenEdge(
      (req: IncomingMessage, res: ServerResponse) => {
        sessions.push(new WeakRef((req as unknown as { stream: { session: Http2Session } }).stream.session));
        res.end('ok');
      },
      { port: 0, host: '127.0.0.1', idleTimeoutMs: 120_000 },
    );
    try {
      // Act: one session per request, closed by the client after the answer (as the Kinesis SDK does).
      for (let i = 0; i < 10; i += 1) {
        const client = connect(`http://127.0.0.1:${listener.port}`);
        const stream = client.request({ ':path': '/' });
        stream.resume();
        await once(stream, 'end');
        client.close();
        await once(client, 'close');
      }

      // Assess: Node's own session timeout kept each one for the whole 120 s.
      const alive = () => {
        gc();
        return sessions.filter((session) => session.deref() !== undefined).length;
      };
      expect(sessions).toHaveLength(10);
      await expect.poll(alive, { timeout: 10_000, interval: 100 }).toBe(0);
    } finally {
      await listener.close();
    }
  });
});
