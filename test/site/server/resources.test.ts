// The resources panel's look at a scenario's buckets and tables (resourcesView), when the target
// fails: one rejection for the caller, never a second one left unhandled (which ends the server).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourcesView } from '../../../site/server/resources.ts';
import type { Target } from '../../../site/server/target.ts';

let server: Server;
let endpoint: string;

beforeAll(async () => {
  // S3 (GET, path style) fails at once; DynamoDB (POST) fails a moment later, after the caller has
  // already seen the first failure.
  server = createServer((request) => {
    if (request.method === 'GET') request.socket.destroy();
    else setTimeout(() => request.socket.destroy(), 300);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('resourcesView', () => {
  it('rejects once when both the bucket listings and the table scans fail, leaving no rejection unhandled', async () => {
    // Prepare
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    const target: Target = {
      kind: 'aws',
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      stacks: {
        'LambdaWorkbook-StreamMetrics': {
          OrdersTableName: 'orders',
          MetricsTableName: 'metrics',
          FailuresBucketName: 'failures',
        },
      },
    };
    try {
      // Act
      await expect(resourcesView(target, 'stream-metrics')).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 1500)); // the scans' failures arrive

      // Assess
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
