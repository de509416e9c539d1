// Shared pieces of the endpoint attack suite (test/security/endpoint-*.test.ts): clients that sign
// as someone, a raw HTTP request that says exactly what it sends, and "is the cloud still answering".
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import type { AdminKeys } from '../../infra/local/edge/admin-keys.ts';
import { expectedSignature, parseSigV4, uriEncode } from '../../infra/local/edge/sigv4.ts';

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

/** `20240101T000000Z` for now. */
export function amzDate(at = new Date()): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface SignOptions {
  readonly keys: AdminKeys;
  readonly service: string;
  readonly port: number;
  readonly method?: string;
  /** Path and query, as sent. */
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Headers that sign a request with SigV4 (Authorization header), as the SDKs do. */
export function signHeaders({
  keys,
  service,
  port,
  method = 'POST',
  path = '/',
  headers = {},
  body = '',
}: SignOptions): Record<string, string> {
  const date = amzDate();
  const all: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    'x-amz-date': date,
    'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
    ...headers,
  };
  const signedHeaders = Object.keys(all).sort().join(';');
  const credential = `${keys.accessKeyId}/${date.slice(0, 8)}/us-east-1/${service}/aws4_request`;
  const draft = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=0`;
  const q = path.indexOf('?');
  const rawPath = q === -1 ? path : path.slice(0, q);
  const rawQuery = q === -1 ? '' : path.slice(q + 1);
  const parts = parseSigV4({ ...all, authorization: draft }, new URLSearchParams(rawQuery))!;
  const signature = expectedSignature(
    { method, rawPath, rawQuery, headers: all, body: Buffer.from(body) },
    parts,
    keys.secretAccessKey,
  );
  return { ...all, authorization: draft.replace('Signature=0', `Signature=${signature}`) };
}

/**
 * A presigned URL (query-string SigV4, host signed only): what a web page can put in an `<img>`,
 * a link or a form without any script.
 */
export function presignUrl({
  keys,
  service,
  port,
  method = 'GET',
  path = '/',
}: Omit<SignOptions, 'headers' | 'body'>): string {
  const date = amzDate();
  const [rawPath, existing = ''] = path.split('?') as [string, string?];
  const params = [
    existing,
    `X-Amz-Algorithm=AWS4-HMAC-SHA256`,
    `X-Amz-Credential=${uriEncode(`${keys.accessKeyId}/${date.slice(0, 8)}/us-east-1/${service}/aws4_request`)}`,
    `X-Amz-Date=${date}`,
    'X-Amz-Expires=900',
    'X-Amz-SignedHeaders=host',
  ]
    .filter((part) => part !== '')
    .join('&');
  const headers = { host: `127.0.0.1:${port}` };
  const parts = parseSigV4(headers, new URLSearchParams(`${params}&X-Amz-Signature=0`))!;
  const signature = expectedSignature(
    { method, rawPath, rawQuery: params, headers, body: Buffer.alloc(0) },
    parts,
    keys.secretAccessKey,
  );
  return `http://127.0.0.1:${port}${rawPath}?${params}&X-Amz-Signature=${signature}`;
}

/** The IAM query API's CreateRole, as a path, for a role anyone may assume (what the attacks try). */
export function createRoleQuery(name: string): string {
  const trust = encodeURIComponent(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
    }),
  );
  return `/?Action=CreateRole&Version=2010-05-08&RoleName=${name}&AssumeRolePolicyDocument=${trust}`;
}

/** Whether the role exists (asked as the administrator). */
export function roleExists(iam: IAMClient, name: string): Promise<boolean> {
  return iam.send(new GetRoleCommand({ RoleName: name })).then(
    () => true,
    (error: Error) => {
      if (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException') return false;
      throw error;
    },
  );
}
