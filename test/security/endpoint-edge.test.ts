// Attacks on the endpoint's HTTP surface, sent as raw requests so each says exactly what a browser
// (or a hostile page) would send: malformed Host headers, presigned URLs for the control plane,
// requests with a browser's Fetch Metadata, and the cloud's own origin. The signatures are made with
// the real admin keys: the defence must hold even for someone who has them.
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import { SANDBOX_POLICY } from '../../infra/local/edge/browser-guard.ts';
import { createExecutionRole } from '../helpers/iam-roles.ts';
import {
  clientConfig,
  createRoleQuery,
  expectCloudAnswers,
  presignUrl,
  rawRequest,
  roleExists,
  signHeaders,
} from './endpoint-helpers.ts';

let cloud: LocalCloud;
let iam: IAMClient;
let s3: S3Client;

async function objectExists(key: string): Promise<boolean> {
  return s3.send(new HeadObjectCommand({ Bucket: 'site', Key: key })).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  iam = new IAMClient(clientConfig(cloud));
  s3 = new S3Client(clientConfig(cloud));
  await s3.send(new CreateBucketCommand({ Bucket: 'site' }));
});
afterAll(async () => {
  iam.destroy();
  s3.destroy();
  await cloud.close();
});

describe('malformed Host', () => {
  it.each([
    '127.0.0.1:4321@evil.com',
    'user@127.0.0.1',
    '127.0.0.1/admin',
    '127.0.0.1:4566:80',
    '[::1',
    '127.0.0.1:123456',
    'a'.repeat(300),
  ])('answers %s with 400 (never 500) and keeps serving', async (host) => {
    const response = await rawRequest(cloud.port, { path: '/', headers: { host } });
    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>BadRequest</Code>');
    await expectCloudAnswers(cloud);
  });

  it('answers a request without Host with 400', async () => {
    const response = await rawRequest(cloud.port, { path: '/', headers: {} });
    expect(response.status).toBe(400);
  });

  it('still refuses a well-formed foreign name (DNS rebinding) with 403', async () => {
    const response = await rawRequest(cloud.port, { path: '/', headers: { host: 'evil.example:4566' } });
    expect(response.status).toBe(403);
  });
});

describe('presigned URLs: S3 only', () => {
  it.each([
    ['IAM CreateRole (a role trusted by anyone)', 'iam', createRoleQuery('presigned-role'), 'presigned-role'],
    [
      'IAM AttachRolePolicy (*:* on an existing role)',
      'iam',
      '/?Action=AttachRolePolicy&Version=2010-05-08&RoleName=target-role&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAdministratorAccess',
      undefined,
    ],
    [
      'STS AssumeRole',
      'sts',
      '/?Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Ftarget-role&RoleSessionName=x',
      undefined,
    ],
    ['Lambda ListFunctions', 'lambda', '/2015-03-31/functions/', undefined],
  ])('refuses a presigned %s URL, changing nothing', async (_what, service, path, role) => {
    const url = presignUrl({ keys: cloud.adminCredentials, service, port: cloud.port, path });
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('query-string (presigned) signatures for S3 only');
    if (role) expect(await roleExists(iam, role)).toBe(false);
  });

  it('still serves presigned STS GetCallerIdentity (a read, as EKS tokens use it)', async () => {
    const url = presignUrl({
      keys: cloud.adminCredentials,
      service: 'sts',
      port: cloud.port,
      path: '/?Action=GetCallerIdentity&Version=2011-06-15',
    });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Arn>arn:aws:iam::000000000000:root</Arn>');
  });

  it('still serves presigned S3 GET and PUT from a client that is not a browser', async () => {
    const put = presignUrl({
      keys: cloud.adminCredentials,
      service: 's3',
      port: cloud.port,
      method: 'PUT',
      path: '/site/presigned.txt',
    });
    expect((await fetch(put, { method: 'PUT', body: 'uploaded' })).status).toBe(200);
    const get = presignUrl({
      keys: cloud.adminCredentials,
      service: 's3',
      port: cloud.port,
      path: '/site/presigned.txt',
    });
    expect(await (await fetch(get)).text()).toBe('uploaded');
  });
});

describe('requests a browser makes (Fetch Metadata)', () => {
  const signedCreateRole = (name: string, extra: Record<string, string>) => {
    const path = createRoleQuery(name);
    return rawRequest(cloud.port, {
      method: 'POST',
      path,
      headers: signHeaders({ keys: cloud.adminCredentials, service: 'iam', port: cloud.port, path, headers: extra }),
    });
  };

  it.each([
    [
      'a page the cloud serves (Sec-Fetch-Site: same-origin)',
      { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' },
    ],
    [
      'a foreign page, no Origin (Sec-Fetch-Site: cross-site)',
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
    ],
    [
      'a form on a same-site page (Sec-Fetch-Mode: navigate)',
      { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' },
    ],
    [
      'an image on a same-site page (Sec-Fetch-Mode: no-cors)',
      { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
    ],
  ])('refuses a signed IAM call from %s', async (_from, headers) => {
    const name = `fetch-meta-${Object.values(headers).join('-')}`;
    const response = await signedCreateRole(name, headers);
    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>AccessDenied</Code>');
    expect(await roleExists(iam, name)).toBe(false);
  });

  it('refuses a signed S3 DELETE from an image or form, but serves an S3 read to one', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'keep.txt', Body: 'keep' }));
    const del = await rawRequest(cloud.port, {
      method: 'DELETE',
      path: '/site/keep.txt',
      headers: signHeaders({
        keys: cloud.adminCredentials,
        service: 's3',
        port: cloud.port,
        method: 'DELETE',
        path: '/site/keep.txt',
        headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' },
      }),
    });
    expect(del.status).toBe(403);
    expect(await objectExists('keep.txt')).toBe(true);
    const get = await rawRequest(cloud.port, {
      path: '/site/keep.txt',
      headers: signHeaders({
        keys: cloud.adminCredentials,
        service: 's3',
        port: cloud.port,
        method: 'GET',
        path: '/site/keep.txt',
        headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
      }),
    });
    expect(get.status).toBe(200);
  });

  it.each([
    ['the cloud’s own origin', () => `http://127.0.0.1:${cloud.port}`],
    ['an opaque origin (a sandboxed page)', () => 'null'],
    ['another port of this machine', () => 'http://127.0.0.1:8080'],
  ])('refuses a CORS call from %s', async (_what, origin) => {
    const name = `origin-${origin().replace(/\W/g, '')}`;
    const response = await signedCreateRole(name, {
      origin: origin(),
      'sec-fetch-site': 'same-site',
      'sec-fetch-mode': 'cors',
    });
    expect(response.status).toBe(403);
    expect(await roleExists(iam, name)).toBe(false);
  });

  it('lets the workbook (an allowed origin) make signed CORS calls', async () => {
    const response = await signedCreateRole('from-workbook', {
      origin: 'http://127.0.0.1:4321',
      'sec-fetch-site': 'same-site',
      'sec-fetch-mode': 'cors',
    });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('http://127.0.0.1:4321');
  });
});

describe('what the cloud serves lands in an opaque origin', () => {
  it('an HTML object is served sandboxed, with no sniffing', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'site', Key: 'page.html', Body: '<script>1</script>', ContentType: 'text/html' }),
    );
    const url = presignUrl({ keys: cloud.adminCredentials, service: 's3', port: cloud.port, path: '/site/page.html' });
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('content-security-policy')).toBe(SANDBOX_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('an HTTP API response is sandboxed too, even when its function sets a policy of its own', async () => {
    const role = await createExecutionRole(cloud, 'page-role', []);
    const lambda = new LambdaClient(clientConfig(cloud));
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'page',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: {
          ZipFile: zipSync({
            'index.mjs': new TextEncoder().encode(
              "export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/html', 'content-security-policy': \"default-src 'self'\" }, body: '<h1>hi</h1>' });",
            ),
          }),
        },
      }),
    );
    const api = await new ApiGatewayV2Client(clientConfig(cloud)).send(
      new CreateApiCommand({ Name: 'pages', ProtocolType: 'HTTP', Target: fn.FunctionArn }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'page',
        StatementId: 'api',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      }),
    );
    const response = await fetch(`${cloud.endpoint}/_aws/execute-api/${api.ApiId}/`);
    expect(response.status).toBe(200);
    const policies = response.headers.get('content-security-policy');
    expect(policies).toContain("default-src 'self'");
    expect(policies).toContain(SANDBOX_POLICY);
  }, 60_000);
});
