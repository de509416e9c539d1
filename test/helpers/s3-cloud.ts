import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { startLocalCloud } from '../../infra/local/cloud.ts';
import type { AdminKeys } from '../../infra/local/edge/admin-keys.ts';
import { InMemoryCredentialStore } from '../../infra/local/edge/credentials.ts';
import { createEdgeHandler } from '../../infra/local/edge/server.ts';
import type { LambdaInvoker } from '../../infra/local/lambda/invoker.ts';
import { S3Service } from '../../infra/local/s3/service.ts';
import { TraceBus } from '../../infra/local/trace/bus.ts';
import { TEST_CREDENTIALS } from './edge.ts';
import { FakeLambdaInvoker } from './s3-fake-lambda.ts';

export interface S3TestCloud {
  readonly endpoint: string;
  readonly port: number;
  readonly trace: TraceBus;
  /** The cloud's admin keys (the edge-only harness: the tutorial keys test/test). */
  readonly credentials: AdminKeys;
  /** The S3 service under test, when the harness built it (edge-only mode). */
  readonly s3?: S3Service;
  close(): Promise<void>;
}

/** An S3 client signing as the cloud's administrator. */
export function s3Client(
  { endpoint, credentials }: Pick<S3TestCloud, 'endpoint' | 'credentials'>,
  options: { forcePathStyle?: boolean; region?: string } = {},
): S3Client {
  return new S3Client({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials,
    forcePathStyle: options.forcePathStyle ?? true,
  });
}

/**
 * The real SigV4 edge with only S3 behind it and a LambdaInvoker of the test's choosing
 * (a FakeLambdaInvoker by default): for notification tests and persistence across restarts.
 */
export async function startS3Edge({
  dataDir,
  lambda = new FakeLambdaInvoker(),
}: {
  dataDir?: string;
  lambda?: Pick<LambdaInvoker, 'functionExists' | 'invokeAsync'>;
} = {}): Promise<S3TestCloud & { s3: S3Service }> {
  const trace = new TraceBus();
  const s3 = new S3Service({ dataDir, trace, lambda });
  const server = createServer(
    createEdgeHandler({ services: [s3], credentials: new InMemoryCredentialStore([TEST_CREDENTIALS]), trace }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    trace,
    credentials: TEST_CREDENTIALS,
    s3,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await s3.close?.();
    },
  };
}

/** The whole local cloud (infra/local/cloud.ts), in memory on a free port, as the workbook runs it. */
export async function startS3Cloud(): Promise<S3TestCloud> {
  const cloud = await startLocalCloud({ port: 0, inMemory: true });
  return {
    endpoint: cloud.endpoint,
    port: cloud.port,
    trace: cloud.trace,
    credentials: cloud.adminCredentials,
    s3: cloud.s3,
    close: () => cloud.close(),
  };
}

let counter = 0;
/** A valid, unique bucket name. */
export function bucketName(label = 'bucket'): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}-${Date.now().toString(36)}`.toLowerCase();
}
