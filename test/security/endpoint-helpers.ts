// Shared pieces of the endpoint attack suite (test/security/endpoint-*.test.ts): clients that sign
// as someone, a raw HTTP request that says exactly what it sends, and "is the cloud still answering".
import { request } from 'node:http';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import type { AdminKeys } from '../../infra/local/edge/admin-keys.ts';

/** Configuration for any SDK client against `cloud`, signing with `keys` (default: the cloud's admin keys). */
export function clientConfig(cloud: LocalCloud, keys: AdminKeys = cloud.adminCredentials) {
  return {
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
    maxAttempts: 1,
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP/1.1 request with exactly these headers (Node sets none but Content-Length and Connection). */
export function rawRequest(
  port: number,
  {
    method = 'GET',
    path = '/',
    headers = {},
    body,
  }: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The cloud answers a signed admin call within `withinMs`. */
export async function expectCloudAnswers(cloud: LocalCloud, withinMs = 5000): Promise<void> {
  const s3 = new S3Client(clientConfig(cloud));
  try {
    const answered = await s3.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(withinMs) });
    expect(answered.$metadata.httpStatusCode).toBe(200);
  } finally {
    s3.destroy();
  }
}
