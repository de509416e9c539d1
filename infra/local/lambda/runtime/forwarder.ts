/**
 * The wall's only way out: a Unix socket, bound into every walled environment, whose connections
 * the local cloud pipes to its own endpoint. Inside, the bootstrap listens on the endpoint's
 * address in the environment's private network namespace and pipes each connection to this
 * socket, so `AWS_ENDPOINT_URL` works unchanged and nothing else of the machine is reachable.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class EndpointForwarder {
  readonly socketPath: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #listening: Promise<void> | undefined;

  /**
   * `accept` hands each connection straight to the edge (the local cloud's server); without it,
   * connections are piped to the endpoint's TCP port.
   */
  constructor(socketPath: string, endpoint: () => string, accept?: (socket: Socket) => void) {
    this.socketPath = socketPath;
    this.#server = createServer((inside) => {
      if (accept !== undefined) {
        this.#sockets.add(inside);
        inside.on('close', () => this.#sockets.delete(inside));
        accept(inside);
        return;
      }
      let url: URL;
      try {
        url = new URL(endpoint());
      } catch {
        inside.destroy();
        return;
      }
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      const outside = createConnection({ host, port: Number(url.port || 80) });
      for (const socket of [inside, outside]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          inside.destroy();
          outside.destroy();
        });
      }
      inside.pipe(outside);
      outside.pipe(inside);
    });
  }

  /** Starts listening (once). */
  listen(): Promise<void> {
    this.#listening ??= new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.socketPath, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return this.#listening;
  }

  async close(): Promise<void> {
    if (this.#listening === undefined) return;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
