import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';

export interface EdgeListener {
  readonly port: number;
  close(): Promise<void>;
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
  { port, host }: { readonly port: number; readonly host: string },
): Promise<EdgeListener> {
  const http1 = createHttp1Server(handler);
  http1.keepAliveTimeout = 65_000;
  const http2 = createHttp2Server((req, res) => {
    // HTTP/2 names the host in `:authority`; the edge (and SigV4's signed `host`) read `host`.
    if (req.headers.host === undefined && req.authority) req.headers.host = req.authority;
    handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
  const sockets = new Set<Socket>();
  const server = createNetServer({ pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('readable', () => {
      const head: Buffer | null = socket.read();
      if (head === null) return;
      socket.unshift(head);
      (head.subarray(0, 3).toString('latin1') === H2_PREFACE ? http2 : http1).emit('connection', socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      http1.close();
      http2.close();
      await closed;
    },
  };
}
