import { TUTORIAL_ADMIN_KEYS } from '../../infra/local/edge/admin-keys.ts';
import { InMemoryCredentialStore } from '../../infra/local/edge/credentials.ts';
import { listenEdge } from '../../infra/local/edge/listen.ts';
import { createEdgeHandler } from '../../infra/local/edge/server.ts';
import type { Service } from '../../infra/local/edge/types.ts';
import { TraceBus } from '../../infra/local/trace/bus.ts';

export interface TestEdge {
  readonly endpoint: string;
  readonly trace: TraceBus;
  readonly credentials: InMemoryCredentialStore;
  close(): Promise<void>;
}

/** The real SigV4 edge (HTTP/1.1 and HTTP/2) on 127.0.0.1 and a free port, in front of just the given services. */
export async function startEdge(services: readonly Service[], trace = new TraceBus()): Promise<TestEdge> {
  const credentials = new InMemoryCredentialStore([TEST_CREDENTIALS]);
  let port = 0;
  const listener = await listenEdge(createEdgeHandler({ services, credentials, trace }), {
    port: 0,
    host: '127.0.0.1',
  });
  port = listener.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    trace,
    credentials,
    async close() {
      await listener.close();
      for (const service of services) await service.close?.();
    },
  };
}

/**
 * The administrator of the edge-only harnesses (a few services behind the real edge, no whole
 * cloud): the tutorial keys `test`/`test`. A whole cloud's keys are secret: `cloud.adminCredentials`.
 */
export const TEST_CREDENTIALS = TUTORIAL_ADMIN_KEYS;
