import { KinesisClient, KinesisServiceException } from '@aws-sdk/client-kinesis';
import { InMemoryCredentialStore } from '../../infra/local/edge/credentials.ts';
import { listenEdge } from '../../infra/local/edge/listen.ts';
import { createEdgeHandler } from '../../infra/local/edge/server.ts';
import { createKinesisStore, KinesisService, type KinesisServiceOptions } from '../../infra/local/kinesis/service.ts';
import { TraceBus } from '../../infra/local/trace/bus.ts';
import { TEST_CREDENTIALS } from './edge.ts';

export interface KinesisTestCloud {
  readonly endpoint: string;
  readonly trace: TraceBus;
  readonly service: KinesisService;
  /** A client exactly as a handler builds one: the SDK's default (HTTP/2) request handler. */
  readonly kinesis: KinesisClient;
  /** The injected clock: milliseconds since the epoch, moved by `advance`. */
  now(): number;
  advance(ms: number): void;
  close(): Promise<void>;
}

/**
 * The real SigV4 edge in front of a KinesisService, on 127.0.0.1, answering HTTP/1.1 and HTTP/2
 * (@aws-sdk/client-kinesis talks HTTP/2 by default), with an injectable clock.
 */
export async function startKinesisCloud(
  options: Omit<KinesisServiceOptions, 'trace' | 'streams'> & { readonly start?: number } = {},
): Promise<KinesisTestCloud> {
  let clock = options.start ?? Date.now();
  const trace = new TraceBus();
  const service = new KinesisService({ ...options, trace, streams: createKinesisStore({ now: () => clock }) });
  const credentials = new InMemoryCredentialStore([TEST_CREDENTIALS]);
  let port = 0;
  const listener = await listenEdge(createEdgeHandler({ services: [service], credentials, trace }), {
    port: 0,
    host: '127.0.0.1',
  });
  port = listener.port;
  const endpoint = `http://127.0.0.1:${port}`;
  const kinesis = new KinesisClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  return {
    endpoint,
    trace,
    service,
    kinesis,
    now: () => clock,
    advance(ms) {
      clock += ms;
    },
    async close() {
      kinesis.destroy();
      await listener.close();
    },
  };
}

let streamCounter = 0;
/** A stream name unique within the test run. */
export function streamName(prefix = 'stream'): string {
  streamCounter += 1;
  return `${prefix}-${process.pid}-${streamCounter}`;
}

/** The Kinesis error a command fails with (fails the test when it succeeds). */
export async function failure(promise: Promise<unknown>): Promise<KinesisServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof KinesisServiceException)) throw new Error(`expected a Kinesis error, got ${String(error)}`);
  return error;
}
