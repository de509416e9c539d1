import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TUTORIAL_ADMIN_KEYS } from '../../../../infra/local/edge/admin-keys.ts';
import { InMemoryCredentialStore } from '../../../../infra/local/edge/credentials.ts';
import { createEdgeHandler } from '../../../../infra/local/edge/server.ts';
import type { Service, ServiceRequest } from '../../../../infra/local/edge/types.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';

/** Services that record what the edge handed them and answer a minimal valid response. */
const seen: ServiceRequest[] = [];
const fakeS3: Service = {
  signingNames: ['s3'],
  async handle(request) {
    seen.push(request);
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: '<ListAllMyBucketsResult><Buckets></Buckets><Owner><ID>x</ID></Owner></ListAllMyBucketsResult>',
    };
  },
};
const fakeLambda: Service = {
  signingNames: ['lambda'],
  async handle(request) {
    seen.push(request);
    if (request.rawPath.includes('boom')) throw new Error('service bug');
    return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"Functions":[]}' };
  },
};

const fakeOpen: Service = {
  signingNames: ['execute-api'],
  allowsAnonymous: (head) => head.rawPath.startsWith('/open/'),
  async handle(request) {
    seen.push(request);
    return { status: 200, body: `hello ${request.caller.principalArn}` };
  },
};

let server: Server;
let endpoint: string;
let port: number;
const credentials = new InMemoryCredentialStore([TUTORIAL_ADMIN_KEYS]);

beforeAll(async () => {
  server = createServer(
    createEdgeHandler({
      services: [fakeS3, fakeLambda, fakeOpen],
      credentials,
      trace: new TraceBus(),
      allowedOrigins: ['http://127.0.0.1:4321'],
      maxBodyBytes: { lambda: 1024 },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const creds = (secretAccessKey = 'test', accessKeyId = 'test') => ({ accessKeyId, secretAccessKey });

function raw(
  path: string,
  { method = 'GET', headers = {} as Record<string, string>, body = '' } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('edge: SigV4 with the real SDK clients', () => {
  it('routes an S3 request by its credential scope and verifies the signature', async () => {
    // Prepare
    const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials: creds(), forcePathStyle: true });
    // Act
    const result = await s3.send(new ListBucketsCommand({}));
    // Assess
    expect(result.Buckets).toEqual([]);
    expect(seen.at(-1)?.service).toBe('s3');
    expect(seen.at(-1)?.caller.principalArn).toBe('arn:aws:iam::000000000000:root');
  });

  it('routes a Lambda request (double-encoded path) and verifies the signature', async () => {
    const lambda = new LambdaClient({ endpoint, region: 'eu-west-1', credentials: creds() });
    const result = await lambda.send(new ListFunctionsCommand({}));
    expect(result.Functions).toEqual([]);
    expect(seen.at(-1)?.service).toBe('lambda');
    expect(seen.at(-1)?.region).toBe('eu-west-1');
  });

  it('verifies Lambda paths holding an ARN and $LATEST (encoded twice when signed)', async () => {
    const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials: creds(), maxAttempts: 1 });
    await lambda.send(
      new GetFunctionCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
        Qualifier: '$LATEST',
      }),
    );
    expect(seen.at(-1)?.rawPath).toBe(
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Afn',
    );
  });

  it.each([
    ['S3, wrong secret', 's3', creds('wrong'), 'SignatureDoesNotMatch', 403],
    ['S3, unknown key', 's3', creds('test', 'AKIAUNKNOWN'), 'InvalidAccessKeyId', 403],
    ['Lambda, wrong secret', 'lambda', creds('wrong'), 'InvalidSignatureException', 403],
    ['Lambda, unknown key', 'lambda', creds('test', 'AKIAUNKNOWN'), 'UnrecognizedClientException', 403],
  ])('refuses %s with AWS error %s', async (_name, service, credentials, code, status) => {
    const client =
      service === 's3'
        ? new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 })
        : new LambdaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const command = service === 's3' ? new ListBucketsCommand({}) : new ListFunctionsCommand({});
    const error = await (client.send as (c: unknown) => Promise<unknown>)(command).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: code, $metadata: { httpStatusCode: status } });
  });

  it('serves unsigned requests only where a service allows them, as an anonymous caller', async () => {
    const open = await raw('/open/page');
    expect(open).toMatchObject({ status: 200, body: 'hello anonymous' });
    expect(seen.at(-1)?.caller.anonymous).toBe(true);
    const closed = await raw('/closed/page');
    expect(closed.status).toBe(403);
  });

  it('passes a Bearer-authorized request on an open route through (not SigV4)', async () => {
    const open = await raw('/open/api', { headers: { authorization: 'Bearer abc.def' } });
    expect(open).toMatchObject({ status: 200, body: 'hello anonymous' });
  });

  it('lets an open route answer its own CORS preflight, without the edge granting anything', async () => {
    const response = await raw('/open/api', {
      method: 'OPTIONS',
      headers: { origin: `http://localhost:${port}`, 'access-control-request-method': 'DELETE' },
    });
    expect(response.status).toBe(200);
    expect(seen.at(-1)?.method).toBe('OPTIONS');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses unsigned requests', async () => {
    const response = await raw('/bucket');
    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>AccessDenied</Code>');
  });

  it('turns a service crash into an AWS-shaped 500, and keeps serving', async () => {
    const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials: creds(), maxAttempts: 1 });
    const error = await lambda.send(new GetFunctionCommand({ FunctionName: 'boom' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
  });
});

describe('edge: who may call', () => {
  it('refuses a Host that is not a loopback name (DNS rebinding)', async () => {
    const response = await raw('/', { headers: { host: 'attacker.example:4566' } });
    expect(response.status).toBe(403);
    expect(response.body).toContain('is not a loopback name');
  });

  it('refuses a foreign Origin, with no CORS grant', async () => {
    const response = await raw('/', { headers: { origin: 'https://attacker.example' } });
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a CORS preflight from the workbook (an allowed origin)', async () => {
    const origin = 'http://127.0.0.1:4321';
    const response = await raw('/bucket/key', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,x-amz-date',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(response.headers['access-control-allow-headers']).toBe('authorization,x-amz-date');
  });

  it('does not trust pages on its own port (an uploaded HTML object, an HTTP API page)', async () => {
    const response = await raw('/bucket/key', {
      method: 'OPTIONS',
      headers: { origin: `http://localhost:${port}`, 'access-control-request-method': 'PUT' },
    });
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a body over the per-service limit with 413', async () => {
    const response = await raw('/2015-03-31/functions/f/invocations', {
      method: 'POST',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/lambda/aws4_request, x' },
      body: 'x'.repeat(2048),
    });
    expect(response.status).toBe(413);
    expect(response.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
  });
});
