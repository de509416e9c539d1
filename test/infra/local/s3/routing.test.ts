import { createHash, createHmac } from 'node:crypto';
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { text } from 'node:stream/consumers';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkSignatureChain, signingKey } from '../../../../infra/local/edge/sigv4.ts';
import type { ServiceRequest, ServiceResponse } from '../../../../infra/local/edge/types.ts';
import { S3Service } from '../../../../infra/local/s3/service.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';
import { bucketName, type S3TestCloud, startS3Cloud } from '../../../helpers/s3-cloud.ts';
import { FakeLambdaInvoker } from '../../../helpers/s3-fake-lambda.ts';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** A request as the edge hands it over, for tests without sockets. */
/** A response body as text: GetObject streams its bytes, other answers are buffers or strings. */
const bodyText = async ({ body }: ServiceResponse) =>
  body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body) ? text(body) : String(body);

function request(
  method: string,
  url: string,
  { body = '', headers = {} }: { body?: string | Buffer; headers?: Record<string, string> } = {},
): ServiceRequest {
  const [rawPath = '/', query = ''] = url.split('?');
  return {
    method,
    rawPath,
    query: new URLSearchParams(query),
    headers: { host: '127.0.0.1:4566', ...headers },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    service: 's3',
    region: 'us-east-1',
    requestId: 'req-test',
    caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
  };
}

describe('S3Service.handle (no sockets)', () => {
  let trace: TraceBus;
  let service: S3Service;
  beforeAll(async () => {
    trace = new TraceBus();
    service = new S3Service({ trace, lambda: new FakeLambdaInvoker() });
    await service.handle(request('PUT', '/routing-bucket'));
  });

  it.each([
    ['GET', '/routing-bucket?tagging', 'GetBucketTagging'],
    ['PUT', '/routing-bucket?policy', 'PutBucketPolicy'],
    ['GET', '/routing-bucket?uploads', 'ListMultipartUploads'],
    ['GET', '/routing-bucket?versions', 'ListObjectVersions'],
    ['PUT', '/routing-bucket/key?acl', 'PutObjectAcl'],
    ['POST', '/routing-bucket/key?select&select-type=2', 'SelectObjectContent'],
    ['POST', '/routing-bucket', 'PostObject'],
  ])('answers 501 NotImplemented naming %s %s', async (method, url, name) => {
    // Act
    const response = await service.handle(request(method, url));

    // Assess
    expect(response.status).toBe(501);
    expect(String(response.body)).toContain('<Code>NotImplemented</Code>');
    expect(String(response.body)).toContain(name);
  });

  it('answers NotImplemented for UploadPartCopy', async () => {
    const response = await service.handle(
      request('PUT', '/routing-bucket/k?uploadId=x&partNumber=1', { headers: { 'x-amz-copy-source': '/a/b' } }),
    );
    expect(response.status).toBe(501);
    expect(String(response.body)).toContain('UploadPartCopy');
  });

  it('answers 405 MethodNotAllowed for a method S3 does not have', async () => {
    const response = await service.handle(request('PATCH', '/routing-bucket/k'));
    expect(response.status).toBe(405);
    expect(String(response.body)).toContain('<Code>MethodNotAllowed</Code>');
  });

  it('turns an unexpected throw into InternalError (500) and traces the cause', async () => {
    // Prepare
    const broken = new S3Service({ trace, lambda: new FakeLambdaInvoker() });
    broken.store.listBuckets = () => {
      throw new Error('disk on fire');
    };

    // Act
    const response = await broken.handle(request('GET', '/'));

    // Assess
    expect(response.status).toBe(500);
    expect(String(response.body)).toContain('<Code>InternalError</Code>');
    expect(String(response.body)).toContain('<Message>We encountered an internal error. Please try again.</Message>');
    expect(String(response.body)).not.toContain('disk on fire');
    expect(trace.recent().findLast((e) => e.type === 's3.error')?.detail.error).toContain('disk on fire');
  });

  it.each([
    ['not XML at all', 'hello'],
    ['unclosed elements', '<Delete><Object><Key>a</Key>'],
    ['the wrong root element', '<Remove><Object><Key>a</Key></Object></Remove>'],
    ['an Object without Key', '<Delete><Object></Object></Delete>'],
  ])('answers MalformedXML to DeleteObjects with %s', async (_label, body) => {
    const response = await service.handle(request('POST', '/routing-bucket?delete', { body }));
    expect(response.status).toBe(400);
    expect(String(response.body)).toContain('<Code>MalformedXML</Code>');
  });

  it('renders errors as <Error> with Code, Message, detail and RequestId', async () => {
    const response = await service.handle(request('GET', '/routing-bucket/missing'));
    expect(response.status).toBe(404);
    expect(response.headers?.['x-amz-request-id']).toBe('req-test');
    expect(String(response.body)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>' +
        '<Key>missing</Key><RequestId>req-test</RequestId></Error>',
    );
  });

  it('answers HEAD errors without a body', async () => {
    const response = await service.handle(request('HEAD', '/routing-bucket/missing'));
    expect(response.status).toBe(404);
    expect(response.body).toBeUndefined();
  });

  it('stores binary/octet-stream when no Content-Type is sent (recorded: s3-error-headobject-404.json)', async () => {
    await service.handle(request('PUT', '/routing-bucket/untyped', { body: '12345678' }));
    const response = await service.handle(request('HEAD', '/routing-bucket/untyped'));
    expect(response.headers?.['content-type']).toBe('binary/octet-stream');
    expect(response.headers?.['content-length']).toBe('8');
  });

  it('decodes a signed aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) and drops aws-chunked from Content-Encoding', async () => {
    // Prepare: chunks signed from a seed, as the edge hands them over with the seed's chain.
    const key = signingKey('test', '20260101', 'us-east-1', 's3');
    const scope = '20260101/us-east-1/s3/aws4_request';
    const seed = 'f'.repeat(64);
    let previous = seed;
    const sign = (data: string) => {
      const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', '20260101T000000Z', scope, previous, sha256(''), sha256(data)];
      previous = createHmac('sha256', key).update(toSign.join('\n')).digest('hex');
      return `chunk-signature=${previous}`;
    };
    const body = `5;${sign('hello')}\r\nhello\r\n6;${sign(' world')}\r\n world\r\n0;${sign('')}\r\n\r\n`;
    const headers = {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked,gzip',
      'x-amz-decoded-content-length': '11',
    };

    // Act
    const put = await service.handle({
      ...request('PUT', '/routing-bucket/chunked', { body, headers }),
      chunkSignatures: new ChunkSignatureChain(key, '20260101T000000Z', scope, seed),
    });
    const unverifiable = await service.handle(request('PUT', '/routing-bucket/unverified', { body, headers }));
    const got = await service.handle(request('GET', '/routing-bucket/chunked'));

    // Assess
    expect(put.status).toBe(200);
    expect(await bodyText(got)).toBe('hello world');
    expect(got.headers?.['content-encoding']).toBe('gzip');
    // Without the seed signature's chain (not header-signed), signed chunks cannot be trusted.
    expect(unverifiable.status).toBe(403);
    expect(String(unverifiable.body)).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('addresses buckets by virtual host (<bucket>.localhost and <bucket>.s3.localhost)', async () => {
    // Act
    await service.handle(
      request('PUT', '/vh.txt', { body: 'vhost', headers: { host: 'routing-bucket.localhost:4566' } }),
    );
    const viaS3 = await service.handle(
      request('GET', '/vh.txt', { headers: { host: 'routing-bucket.s3.localhost:4566' } }),
    );
    const viaPath = await service.handle(request('GET', '/routing-bucket/vh.txt'));
    const bucketLevel = await service.handle(
      request('GET', '/?list-type=2', { headers: { host: 'routing-bucket.localhost' } }),
    );

    // Assess
    expect(await bodyText(viaS3)).toBe('vhost');
    expect(await bodyText(viaPath)).toBe('vhost');
    expect(String(bucketLevel.body)).toContain('<Key>vh.txt</Key>');
  });

  it('publishes s3.request for every request, errors included', async () => {
    await service.handle(request('GET', '/routing-bucket/nothing-here'));
    expect(trace.recent().at(-1)).toMatchObject({
      type: 's3.request',
      requestId: 'req-test',
      detail: { operation: 'GetObject', bucket: 'routing-bucket', key: 'nothing-here', status: 404 },
    });
  });
});

describe('virtual-hosted-style addressing through the edge with the real SDK', () => {
  let cloud: S3TestCloud;
  let s3: S3Client;
  beforeAll(async () => {
    cloud = await startS3Cloud();
    // *.localhost may not resolve on every machine: send every name to 127.0.0.1, keep the Host header.
    const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as unknown as LookupFunction;
    s3 = new S3Client({
      endpoint: `http://localhost:${cloud.port}`,
      region: 'us-east-1',
      credentials: cloud.credentials,
      forcePathStyle: false,
      requestHandler: { httpAgent: new Agent({ lookup } as object) },
    });
  });
  afterAll(async () => {
    s3?.destroy();
    await cloud?.close();
  });

  it('creates, writes, lists and reads with Host: <bucket>.localhost', async () => {
    // Prepare
    const Bucket = bucketName('vhost');
    const hosts: string[] = [];
    s3.middlewareStack.add(
      (next) => async (args) => {
        hosts.push((args.request as { hostname: string }).hostname);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordHost' },
    );

    // Act
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'dir/file.txt', Body: 'via vhost' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/file.txt' }));
    const missing = await s3
      .send(new GetObjectCommand({ Bucket: bucketName('nope'), Key: 'x' }))
      .catch((e: unknown) => e);

    // Assess
    expect(hosts[0]).toBe(`${Bucket}.localhost`);
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['dir/file.txt']);
    expect(await got.Body!.transformToString()).toBe('via vhost');
    expect((missing as S3ServiceException).name).toBe('NoSuchBucket');
  });
});
