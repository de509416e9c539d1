import { fileURLToPath } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import type { Service } from '../../infra/local/edge/types.ts';
import { LambdaService, type LambdaServiceOptions } from '../../infra/local/lambda/service.ts';
import { TraceBus, type TraceEvent } from '../../infra/local/trace/bus.ts';
import { startEdge, TEST_CREDENTIALS } from './edge.ts';
import { readRecording } from './recordings.ts';

/** Fixture handlers (test/fixtures/lambda/basic), deployable in place with `localCode()`. */
export const BASIC_FIXTURES = fileURLToPath(new URL('../fixtures/lambda/basic/', import.meta.url));

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

export interface LambdaCloud {
  readonly endpoint: string;
  readonly client: LambdaClient;
  readonly service: LambdaService;
  readonly trace: TraceBus;
  /** Trace events of one type (optionally of one request), oldest first. */
  events(type: string, requestId?: string): TraceEvent[];
  /** Resolves with the first event matching `predicate` (already published or still to come). */
  waitFor(predicate: (event: TraceEvent) => boolean, timeoutMs?: number): Promise<TraceEvent>;
  close(): Promise<void>;
}

/** LambdaService behind the real SigV4 edge on 127.0.0.1, with a real LambdaClient. */
export async function startLambdaCloud(
  options: Partial<LambdaServiceOptions> = {},
  extraServices: readonly Service[] = [],
): Promise<LambdaCloud> {
  const trace = new TraceBus(100_000);
  const seen: TraceEvent[] = [];
  trace.subscribe((event) => seen.push(event));
  let endpoint = '';
  const service = new LambdaService({ trace, endpoint: () => endpoint, asyncRetryDelaysMs: [50, 100], ...options });
  const edge = await startEdge([service, ...extraServices], trace);
  endpoint = edge.endpoint;
  const client = new LambdaClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  return {
    endpoint,
    client,
    service,
    trace,
    events: (type, requestId) =>
      seen.filter((e) => e.type === type && (requestId === undefined || e.requestId === requestId)),
    waitFor: (predicate, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const found = seen.find(predicate);
        if (found) return resolve(found);
        const timer = setTimeout(() => {
          stop();
          reject(new Error('trace event did not arrive in time'));
        }, timeoutMs);
        const stop = trace.subscribe((event) => {
          if (predicate(event)) {
            clearTimeout(timer);
            stop();
            resolve(event);
          }
        });
      }),
    async close() {
      client.destroy();
      await edge.close();
    },
  };
}

/** A deployment package holding the given files. */
export function zipOf(files: Readonly<Record<string, string>>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [name, new TextEncoder().encode(text)])),
  );
}

/** `Code` that deploys a directory in place (the local cloud's `__local__` extension). */
export const localCode = (dir = BASIC_FIXTURES) => ({ S3Bucket: '__local__', S3Key: dir });

export const decode = (payload: Uint8Array | undefined): string =>
  new TextDecoder().decode(payload ?? new Uint8Array());

/** Reads a recording from test/recordings/aws. */
// biome-ignore lint/suspicious/noExplicitAny: recordings are free-form JSON read by tests
export async function recording(name: string): Promise<{ content: Record<string, any> }> {
  return readRecording(name);
}
