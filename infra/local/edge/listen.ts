import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Session, type Http2Stream } from 'node:http2';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';

/** How the edge bounds connections, so that idle or silent sockets cannot exhaust descriptors. */
export interface ConnectionLimits {
  /** Open connections at most; at the cap, silent and idle ones make room, else the new one is closed. @default 1000 */
  readonly maxConnections?: number;
  /** A connection that sends no byte within this long is closed. @default 10000 */
  readonly firstByteTimeoutMs?: number;
  /** A request's headers must arrive within this long (Node's headersTimeout). @default 20000 */
  readonly headersTimeoutMs?: number;
  /** An idle keep-alive HTTP/1.1 connection (or HTTP/2 session) is closed after this long. @default 65000 */
  readonly idleTimeoutMs?: number;
}

export interface EdgeListener {
  readonly port: number;
  /**
   * Serves a connection that did not come through the TCP port (the Lambda wall's Unix socket), with
   * the same protocol detection, caps and timeouts: one hop fewer than piping it to the port.
   */
  accept(socket: Socket): void;
  close(): Promise<void>;
}

// Not `import … from 'node:http'`: building that module's ES namespace reads every export,
// and its lazy WebSocket/MessageEvent getters load undici (~13 MiB of an idle cloud's memory).
const { createServer: createHttp1Server } = process.getBuiltinModule('node:http') as typeof import('node:http');

/**
 * Closes an HTTP/2 session once no stream has been open for `idleMs`. Not Node's own session
 * timeout (the server's setTimeout): its timer outlives a closed session and holds it for the whole
 * timeout, and the Kinesis SDK opens a session per request, so hundreds of dead sessions stayed
 * on the heap for every major GC to mark.
 */
function closeWhenIdle(session: Http2Session, idleMs: number): void {
  let open = 0;
  const idle = setTimeout(() => (open > 0 ? idle.refresh() : session.close()), idleMs);
  idle.unref();
  session.on('stream', (stream: Http2Stream) => {
    open += 1;
    idle.refresh();
    stream.once('close', () => {
      open -= 1;
      idle.refresh();
    });
  });
  session.once('close', () => clearTimeout(idle));
}

/** HTTP/2's connection preface starts with these bytes ("PRI * HTTP/2.0"). */
const H2_PREFACE = 'PRI';

/**
 * Listens for both HTTP/1.1 and cleartext HTTP/2 on one port. Some SDK clients (Kinesis, for
 * one) talk HTTP/2 with prior knowledge even to http:// endpoints; the CLI, boto3 and
 * browsers talk HTTP/1.1. The first bytes of each connection tell which server gets it.
 */
export async function listenEdge(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  {
    port,
    host,
    maxConnections = 1000,
    firstByteTimeoutMs = 10_000,
    headersTimeoutMs = 20_000,
    idleTimeoutMs = 65_000,
  }: { readonly port: number; readonly host: string } & ConnectionLimits,
): Promise<EdgeListener> {
  const http1 = createHttp1Server(
    {
      headersTimeout: headersTimeoutMs,
      keepAliveTimeout: idleTimeoutMs,
      // How often Node looks for requests past headersTimeout (30 s by default: too coarse here).
      connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(headersTimeoutMs / 2))),
    },
    handler,
  );
  const http2 = createHttp2Server((req, res) => {
    // HTTP/2 names the host in `:authority`; the edge (and SigV4's signed `host`) read `host`.
    if (req.headers.host === undefined && req.authority) req.headers.host = req.authority;
    handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
  http2.on('session', (session: Http2Session) => closeWhenIdle(session, idleTimeoutMs));
  const sockets = new Set<Socket>();
  /** Connections that have not sent a byte yet, oldest first (a Set keeps insertion order). */
  const silent = new Set<Socket>();
  const makeRoom = () => {
    for (const socket of silent) {
      if (sockets.size < maxConnections) return;
      socket.destroy();
      silent.delete(socket);
      sockets.delete(socket);
    }
    if (sockets.size >= maxConnections) http1.closeIdleConnections();
  };
  const onConnection = (socket: Socket) => {
    if (sockets.size >= maxConnections) makeRoom();
    if (sockets.size >= maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    silent.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      silent.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    const silence = setTimeout(() => socket.destroy(), firstByteTimeoutMs);
    silence.unref();
    socket.once('close', () => clearTimeout(silence));
    socket.once('readable', () => {
      const head: Buffer | null = socket.read();
      if (head === null) return;
      clearTimeout(silence);
      silent.delete(socket);
      socket.unshift(head);
      (head.subarray(0, 3).toString('latin1') === H2_PREFACE ? http2 : http1).emit('connection', socket);
    });
  };
  const server = createNetServer({ pauseOnConnect: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The HTTP/1.1 server never listens itself (connections are handed to it), and Node starts its
  // headers/request timeout checks on 'listening': start them now, or slow headers never time out.
  http1.emit('listening');
  return {
    port: (server.address() as AddressInfo).port,
    accept: onConnection,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      http1.close();
      http2.close();
      await closed;
    },
  };
}
