// The web-page attacks, performed by a real Chromium: a foreign page that puts presigned IAM URLs in
// `<img>` tags (image loads send no Origin) and submits forms, and an HTML object (and an HTTP API
// page) served from the cloud's own port whose script tries admin calls. Every URL and signature here
// is made with the real admin keys: the endpoint's browser rules must hold even for a page that knows
// them (before, with the public keys test/test, these created a role trusted by anyone).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import type { TraceEvent } from '../../infra/local/trace/bus.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { createExecutionRole } from '../helpers/iam-roles.ts';
import {
  clientConfig,
  createRoleQuery,
  expectCloudAnswers,
  presignUrl,
  roleExists,
  signHeaders,
} from './endpoint-helpers.ts';

/** A 1×1 PNG: what a legitimate `<img src=presigned S3 URL>` shows. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const ADMIN_POLICY = encodeURIComponent('arn:aws:iam::aws:policy/AdministratorAccess');

let cloud: LocalCloud;
let browser: TestBrowser;
let iam: IAMClient;
let s3: S3Client;
let foreign: Server;
let foreignOrigin: string;
const foreignPages = new Map<string, string>();
const refused: TraceEvent[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  cloud.trace.subscribe((event) => {
    if (event.type === 'edge.browser-refused' || event.type === 'edge.error') refused.push(event);
  });
  iam = new IAMClient(clientConfig(cloud));
  s3 = new S3Client(clientConfig(cloud));
  await s3.send(new CreateBucketCommand({ Bucket: 'site' }));
  await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'pixel.png', Body: PNG, ContentType: 'image/png' }));
  await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'keep.txt', Body: 'keep' }));
  await createExecutionRole(cloud, 'victim-role', [], []);
  // Another site: `localhost` is not `127.0.0.1`, so to the browser every request to the cloud is cross-site.
  foreign = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(foreignPages.get(req.url ?? '') ?? 'none');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://localhost:${(foreign.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  foreign?.close();
  iam?.destroy();
  s3?.destroy();
  await cloud?.close();
});

async function attached(role: string): Promise<string[]> {
  const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }));
  return (listed.AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? '');
}

/** Waits until the page says it is done (`document.title` starts with `done`) and returns what it reported. */
async function report(page: Page): Promise<Record<string, unknown>> {
  await page.waitForFunction(() => document.title.startsWith('done'), undefined, { timeout: 20_000 });
  return JSON.parse(document_title(await page.title()));
}
const document_title = (title: string) => title.slice('done'.length);

describe('a foreign page (another site) can change nothing', () => {
  it('presigned IAM URLs in <img> tags, a form and a no-cors fetch create no role and attach no policy', async () => {
    const keys = cloud.adminCredentials;
    const port = cloud.port;
    const imgRole = presignUrl({ keys, service: 'iam', port, path: createRoleQuery('img-role') });
    const attach = presignUrl({
      keys,
      service: 'iam',
      port,
      path: `/?Action=AttachRolePolicy&Version=2010-05-08&RoleName=victim-role&PolicyArn=${ADMIN_POLICY}`,
    });
    const formRole = presignUrl({ keys, service: 'iam', port, method: 'POST', path: createRoleQuery('form-role') });
    const fetchRole = presignUrl({ keys, service: 'iam', port, method: 'POST', path: createRoleQuery('fetch-role') });
    const pixel = presignUrl({ keys, service: 's3', port, path: '/site/pixel.png' });
    foreignPages.set(
      '/attack.html',
      `<!doctype html><title>attack</title>
<img id="role" src="${imgRole}"><img id="attach" src="${attach}"><img id="pixel" src="${pixel}">
<iframe name="sink"></iframe>
<form id="form" method="POST" target="sink" action="${formRole}"></form>
<script>
  const loaded = (img) => new Promise((resolve) => { if (img.complete) resolve(img.naturalWidth > 0); img.onload = () => resolve(true); img.onerror = () => resolve(false); });
  document.getElementById('form').submit();
  const fetched = fetch(${JSON.stringify(fetchRole)}, { method: 'POST', mode: 'no-cors' }).then(() => 'sent', () => 'failed');
  Promise.all([loaded(document.getElementById('role')), loaded(document.getElementById('attach')), loaded(document.getElementById('pixel')), fetched])
    .then(([role, attach, pixel, fetch]) => setTimeout(() => { document.title = 'done' + JSON.stringify({ role, attach, pixel, fetch }); }, 500));
</script>`,
    );
    const before = refused.length;
    const page = await browser.context.newPage();
    try {
      await page.goto(`${foreignOrigin}/attack.html`);
      const result = await report(page);
      // The browser did reach the cloud: the presigned object read worked, the IAM images did not load.
      expect(result).toMatchObject({ role: false, attach: false, pixel: true });
    } finally {
      await page.close();
    }
    expect(await roleExists(iam, 'img-role')).toBe(false);
    expect(await roleExists(iam, 'form-role')).toBe(false);
    expect(await roleExists(iam, 'fetch-role')).toBe(false);
    expect(await attached('victim-role')).toEqual([]);
    // Four requests (two images, the form, the fetch) were seen and refused.
    expect(refused.length - before).toBeGreaterThanOrEqual(4);
    await expectCloudAnswers(cloud);
  }, 60_000);
});

/** The script an attacker's HTML runs: it knows signed headers and presigned URLs for admin calls. */
function attackScript(extra = ''): string {
  const keys = cloud.adminCredentials;
  const port = cloud.port;
  const signedPath = createRoleQuery('signed-role');
  const signed = signHeaders({ keys, service: 'iam', port, path: signedPath });
  const { host: _host, ...headers } = signed;
  return `
  const results = { origin: self.origin };
  const attempt = (name, promise) => promise.then((r) => { results[name] = 'status ' + r.status; }, () => { results[name] = 'blocked'; });
  Promise.all([
    attempt('signedCreateRole', fetch(${JSON.stringify(`http://127.0.0.1:${port}${signedPath}`)}, { method: 'POST', headers: ${JSON.stringify(headers)} })),
    attempt('presignedPut', fetch(${JSON.stringify(presignUrl({ keys, service: 's3', port, method: 'PUT', path: '/site/keep.txt' }))}, { method: 'PUT', body: 'overwritten' })),
    attempt('presignedDelete', fetch(${JSON.stringify(presignUrl({ keys, service: 's3', port, method: 'DELETE', path: '/site/keep.txt' }))}, { method: 'DELETE' })),
    ${extra}
    new Promise((resolve) => { const img = new Image(); img.onload = () => { results.img = 'loaded'; resolve(); }; img.onerror = () => { results.img = 'failed'; resolve(); }; img.src = ${JSON.stringify(presignUrl({ keys, service: 'iam', port, path: createRoleQuery('img-from-object') }))}; }),
  ]).then(() => { document.title = 'done' + JSON.stringify(results); });`;
}

async function expectNothingChanged(): Promise<void> {
  expect(await roleExists(iam, 'signed-role')).toBe(false);
  expect(await roleExists(iam, 'img-from-object')).toBe(false);
  const kept = await s3.send(new GetObjectCommand({ Bucket: 'site', Key: 'keep.txt' }));
  expect(await kept.Body?.transformToString()).toBe('keep');
}

describe('the cloud does not trust its own origin', () => {
  it('a script in an uploaded HTML object, opened from the cloud’s port, runs in an opaque origin and cannot make an admin call', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'site',
        Key: 'evil.html',
        Body: `<!doctype html><title>object</title><script>${attackScript()}</script>`,
        ContentType: 'text/html',
      }),
    );
    const page = await browser.context.newPage();
    try {
      await page.goto(
        presignUrl({ keys: cloud.adminCredentials, service: 's3', port: cloud.port, path: '/site/evil.html' }),
      );
      const result = await report(page);
      expect(result).toEqual({
        origin: 'null',
        signedCreateRole: 'blocked',
        presignedPut: 'blocked',
        presignedDelete: 'blocked',
        img: 'failed',
      });
    } finally {
      await page.close();
    }
    await expectNothingChanged();
  }, 60_000);

  it('the same script in an HTTP API’s page (a learner’s XSS) cannot either', async () => {
    const role = await createExecutionRole(cloud, 'page-role', []);
    const lambda = new LambdaClient(clientConfig(cloud));
    // Beside the attack, what a learner's page does: call its own API (unsigned), which still works.
    const html = `<!doctype html><title>api</title><script>${attackScript("attempt('ownApi', fetch(location.href)),")}</script>`;
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'xss-page',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: {
          ZipFile: zipSync({
            'index.mjs': new TextEncoder().encode(
              `export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/html' }, body: ${JSON.stringify(html)} });`,
            ),
          }),
        },
      }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'xss-page',
        StatementId: 'api',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      }),
    );
    const api = await new ApiGatewayV2Client(clientConfig(cloud)).send(
      new CreateApiCommand({
        Name: 'xss',
        ProtocolType: 'HTTP',
        Target: fn.FunctionArn,
        CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['GET'] },
      }),
    );
    const page = await browser.context.newPage();
    try {
      await page.goto(`${cloud.endpoint}/_aws/execute-api/${api.ApiId}/`);
      const result = await report(page);
      expect(result).toMatchObject({
        origin: 'null',
        signedCreateRole: 'blocked',
        presignedPut: 'blocked',
        img: 'failed',
      });
    } finally {
      await page.close();
    }
    await expectNothingChanged();
  }, 60_000);
});
