import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../infra/local/cloud.ts';
import { expectedSignature, parseSigV4 } from '../../../infra/local/edge/sigv4.ts';

/**
 * Thousands of malformed requests at the whole local cloud: bad and missing signatures,
 * junk bodies (validly signed, so they reach the services), junk headers and paths,
 * truncated bodies. Nothing may crash it, and nothing may answer 5xx except AWS's own
 * 5xx cases (NotImplemented, and none of InternalError here: these are all client mistakes).
 */

const ROUNDS = 3000;

// A small deterministic generator, so a failure can be replayed.
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Target {
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
}

const TARGETS: readonly Target[] = [
  { service: 's3', method: 'PUT', path: '/fuzz-bucket' },
  { service: 's3', method: 'PUT', path: '/fuzz-bucket/some%20key' },
  { service: 's3', method: 'POST', path: '/fuzz-bucket?delete' },
  { service: 's3', method: 'PUT', path: '/fuzz-bucket?notification' },
  { service: 's3', method: 'POST', path: '/fuzz-bucket/k?uploads' },
  { service: 's3', method: 'GET', path: '/fuzz-bucket?list-type=2&max-keys=-1' },
  { service: 'lambda', method: 'POST', path: '/2015-03-31/functions' },
  { service: 'lambda', method: 'POST', path: '/2015-03-31/functions/fn/invocations' },
  { service: 'lambda', method: 'POST', path: '/2015-03-31/event-source-mappings/' },
  { service: 'dynamodb', method: 'POST', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' } },
  { service: 'dynamodb', method: 'POST', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.CreateTable' } },
  {
    service: 'dynamodb',
    method: 'POST',
    path: '/',
    headers: { 'x-amz-target': 'DynamoDBStreams_20120810.GetRecords' },
  },
  { service: 'kinesis', method: 'POST', path: '/', headers: { 'x-amz-target': 'Kinesis_20131202.PutRecords' } },
  { service: 'iam', method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { service: 'sts', method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  {
    service: 'cognito-identity',
    method: 'POST',
    path: '/',
    headers: { 'x-amz-target': 'AWSCognitoIdentityService.CreateIdentityPool' },
  },
  { service: 'apigateway', method: 'POST', path: '/v2/apis' },
  { service: 'apigateway', method: 'POST', path: '/v2/apis/abc/routes' },
];

function junkBody(random: () => number): Buffer {
  const kinds = [
    () => Buffer.from('{"TableName": "t", "Item": {"id": {"S": '),
    () => Buffer.from('{"a":'.repeat(200)),
    () => Buffer.from('<Delete><Object><Key>a</Key></Object'),
    () => Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'),
    () => Buffer.from('Action=CreateRole&RoleName=&AssumeRolePolicyDocument=%ZZ'),
    () => Buffer.from(JSON.stringify({ Records: [{ Data: 'not base64!', PartitionKey: '' }], StreamName: 'x' })),
    () => Buffer.from(JSON.stringify({ FunctionName: 'f'.repeat(300), Runtime: 42, Code: { ZipFile: 'UEsDBA==' } })),
    () => Buffer.from(JSON.stringify({ ShardIterator: 'eyJub3QiOiJyZWFsIn0', Limit: 1e9 })),
    () => Buffer.from(JSON.stringify([1, 2, 3])),
    () => Buffer.from('null'),
    () => Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))),
    () => Buffer.alloc(0),
  ];
  return kinds[Math.floor(random() * kinds.length)]!();
}

function amzDate(date = new Date()): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Signs with the local cloud's own verifier, so junk bodies get past the edge into the services. */
function sign(target: Target, body: Buffer, port: number, keys = cloud.adminCredentials): Record<string, string> {
  const date = amzDate();
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    'x-amz-date': date,
    'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
    ...target.headers,
  };
  const signedHeaders = Object.keys(headers).sort().join(';');
  const credential = `${keys.accessKeyId}/${date.slice(0, 8)}/us-east-1/${target.service}/aws4_request`;
  const draft = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=0`;
  const q = target.path.indexOf('?');
  const rawPath = q === -1 ? target.path : target.path.slice(0, q);
  const rawQuery = q === -1 ? '' : target.path.slice(q + 1);
  const parts = parseSigV4({ ...headers, authorization: draft }, new URLSearchParams(rawQuery))!;
  const signature = expectedSignature(
    { method: target.method, rawPath, rawQuery, headers, body },
    parts,
    keys.secretAccessKey,
  );
  return { ...headers, authorization: draft.replace('Signature=0', `Signature=${signature}`) };
}

function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, timeout: 20_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', () => resolve({ status: -1, body: '' }));
    });
    req.on('error', (error) => resolve({ status: -1, body: String(error) }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

/** Declares a longer body than it sends, then hangs up: the edge must drop it quietly. */
function truncated(port: number, target: Target): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `${target.method} ${target.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 1000\r\n` +
          `Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${target.service}/aws4_request\r\n\r\n{"partial":`,
      );
      setTimeout(() => socket.destroy(), 5);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
});
afterAll(async () => {
  await cloud?.close();
});

describe('fuzzing the local cloud endpoint', () => {
  it(`survives ${ROUNDS} malformed requests with AWS-shaped 4xx answers`, async () => {
    const random = prng(20261127);
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    let truncations = 0;
    const kinds = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const target = TARGETS[Math.floor(random() * TARGETS.length)]!;
      const body = junkBody(random);
      const kind = Math.floor(random() * 6);
      let headers: Record<string, string>;
      let path = target.path;
      switch (kind) {
        case 0: // validly signed junk: reaches the service
          headers = sign(target, body, cloud.port);
          break;
        case 1: // a bad signature
          headers = { ...sign(target, body, cloud.port) };
          headers.authorization = headers.authorization!.replace(/Signature=\w{4}/, 'Signature=beef');
          break;
        case 2: // junk authorization and headers
          headers = {
            authorization: ['AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 Credential=', 'Bearer x', 'AWS x:y', '\u00ff'][
              Math.floor(random() * 5)
            ]!.replace('\u00ff', 'junk'),
            'x-amz-date': ['yesterday', '20240101T000000Z', ''][Math.floor(random() * 3)]!,
            'x-amz-target': ['', 'DynamoDB_20120810.', 'Nope.Nothing', 'x'.repeat(500)][Math.floor(random() * 4)]!,
            'content-type': 'application/x-amz-json-1.0',
          };
          break;
        case 3: // strange paths, validly signed
          path = ['/%zz', '/../../etc/passwd', '/fuzz-bucket/%2e%2e%2f', `/${'a'.repeat(2000)}`, '//', '/?&&=&'][
            Math.floor(random() * 6)
          ]!;
          headers = sign({ ...target, path }, body, cloud.port);
          break;
        case 4: // a request signed for the wrong service
          headers = sign({ ...target, service: target.service === 's3' ? 'lambda' : 's3' }, body, cloud.port);
          break;
        default:
          await truncated(cloud.port, target);
          truncations += 1;
          continue;
      }
      kinds.set(String(kind), (kinds.get(String(kind)) ?? 0) + 1);
      const response = await send(cloud.port, target.method, path, headers, body);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500 && response.status !== 501) {
        serverErrors.push(
          `${target.method} ${path} (${target.service}, kind ${kind}) → ${response.status} ${response.body.slice(0, 200)}`,
        );
      }
      if (response.status === -1) serverErrors.push(`${target.method} ${path} → no answer: ${response.body}`);
    }

    // The cloud still works.
    const s3 = new S3Client({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
    });
    await expect(s3.send(new ListBucketsCommand({}))).resolves.toBeDefined();
    s3.destroy();

    console.log(
      `fuzz: ${ROUNDS} requests (${truncations} truncated bodies); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(serverErrors).toEqual([]);
  }, 300_000);
});
