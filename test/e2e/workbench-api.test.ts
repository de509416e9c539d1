// The workbench API of a started workbook (`npm start`, in memory), called with plain fetch the
// way the lesson page calls it: same origin, the per-start token, real events through the local cloud.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckProgress,
  type CheckReport,
  type InvokeResult,
  NDJSON,
  type ResourcesView,
  type ScenarioInfo,
  type SessionInfo,
  type TriggerResult,
} from '../../site/lib/workbench-api.ts';
import { openTrace, type TraceReader } from '../helpers/trace-stream.ts';
import { type RunningWorkbook, startWorkbook } from '../helpers/workbook.ts';

let workbook: RunningWorkbook;
let session: SessionInfo;

/** Headers a page of the workbook sends: its own Origin, and the token unless told otherwise. */
const headers = (extra: Record<string, string> = {}, token: string | null = session?.token ?? null) => ({
  origin: workbook.siteUrl,
  accept: 'application/json',
  ...(token ? { 'x-workbook-token': token } : {}),
  ...extra,
});
const get = (path: string, extra: Record<string, string> = {}) =>
  fetch(`${workbook.siteUrl}${path}`, { headers: headers(extra) });
const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
  fetch(`${workbook.siteUrl}${path}`, {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json', ...extra }),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
async function ok<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Polls until `check` returns something (or the time is up). */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The live feed of this run's session; its status must be 200. */
async function openSessionTrace(): Promise<TraceReader> {
  const trace = await openTrace(workbook.siteUrl, session.token);
  expect(trace.status).toBe(200);
  return trace;
}

beforeAll(async () => {
  workbook = await startWorkbook();
  session = await ok<SessionInfo>(
    await fetch(`${workbook.siteUrl}/api/session`, { headers: { origin: workbook.siteUrl } }),
  );
});

afterAll(async () => {
  await workbook?.stop();
});

describe('the workbench API guard', () => {
  it('hands the session (token and target) to the same origin', () => {
    expect(session.token).toMatch(/^[\w-]{32,}$/);
    expect(session.target).toEqual({ kind: 'local', region: 'us-east-1', endpoint: workbook.cloudEndpoint });
  });

  it('refuses a foreign origin, even for the session', async () => {
    const response = await fetch(`${workbook.siteUrl}/api/session`, {
      headers: { origin: 'https://attacker.example' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'Forbidden' });
  });

  it('refuses a DNS-rebinding Host', async () => {
    const { port } = new URL(workbook.siteUrl);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/api/session', headers: { host: `attacker.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('requires the token on every other route (401 with a way out)', async () => {
    for (const path of [
      '/api/scenarios/thumbnails',
      '/api/trace',
      '/api/stack-outputs',
      '/api/objects?bucket=b&key=k',
    ]) {
      const response = await fetch(`${workbook.siteUrl}${path}`, { headers: headers({}, null) });
      expect(response.status, path).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'Unauthorized', message: expect.stringContaining('token') });
    }
    const wrong = await fetch(`${workbook.siteUrl}/api/scenarios/thumbnails`, {
      headers: headers({}, 'not-the-token-of-this-start-at-all'),
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${workbook.siteUrl}/api/health`)).status).toBe(200);
  });
});

describe("a learner's journey through the workbench API", () => {
  let trace: TraceReader;
  beforeAll(async () => {
    trace = await openSessionTrace();
  });
  afterAll(() => trace?.close());

  it('streams the trace as text/event-stream', () => {
    expect(trace.contentType).toMatch(/^text\/event-stream/);
  });

  it('describes a scenario: outputs, handler, sample events, diagram with deployed names', async () => {
    const info = await ok<ScenarioInfo>(await get('/api/scenarios/thumbnails'));
    expect(info).toMatchObject({ id: 'thumbnails', stack: 'LambdaWorkbook-Thumbnails', deployed: true });
    expect(info.function.path).toBe('scenarios/thumbnails/handler.ts');
    expect(info.function.source).toContain('export const handler');
    expect(info.function.name).toBe(info.outputs.ThumbnailFunctionName);
    expect(info.events.map((event) => event.name)).toContain('object-created-put');
    const bucket = info.diagram.nodes.find((node) => node.kind === 'bucket' && node.label === 'Photos bucket');
    const fn = info.diagram.nodes.find((node) => node.kind === 'function');
    expect(bucket?.resourceName).toBe(info.outputs.PhotosBucketName);
    expect(fn?.resourceName).toBe(info.outputs.ThumbnailFunctionName);
    expect(info.diagram.edges).toContainEqual(expect.objectContaining({ from: bucket?.id, to: fn?.id }));
  });

  it('invokes a function with a sample event and returns its logs and parsed REPORT (cold, then warm)', async () => {
    const info = await ok<ScenarioInfo>(await get('/api/scenarios/web-backend'));
    const event = info.events.find((sample) => sample.name === 'get-items')?.event;
    const first = await ok<InvokeResult>(
      await post('/api/scenarios/web-backend/invoke', { event, invocationType: 'RequestResponse' }),
    );
    expect(first.statusCode).toBe(200);
    expect(first.functionError).toBeUndefined();
    expect(first.payload).toMatchObject({ statusCode: 200 });
    expect(first.logs).toContain(`START RequestId: ${first.requestId}`);
    expect(first.report).toMatchObject({ requestId: first.requestId, memorySizeMb: 256, coldStart: true });
    expect(first.report?.billedDurationMs).toBeGreaterThan(0);
    expect(first.report?.estimatedCostUsd).toBeGreaterThan(0.0000002);
    const second = await ok<InvokeResult>(
      await post('/api/scenarios/web-backend/invoke', { event, invocationType: 'RequestResponse' }),
    );
    expect(second.report).toMatchObject({ coldStart: false });
    expect(second.report).not.toHaveProperty('initDurationMs');
  });

  it('an upload triggers the thumbnail: seen in the resources, the preview and the trace with highlights', async () => {
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#36c' } })
      .jpeg()
      .toBuffer();
    const key = `e2e/cat-${Date.now()}.jpg`;
    const result = await ok<TriggerResult>(
      await post('/api/scenarios/thumbnails/trigger', {
        kind: 'upload',
        key,
        contentType: 'image/jpeg',
        bodyBase64: photo.toString('base64'),
      }),
    );
    expect(result.summary).toContain(`/${key} (`);

    const view = await eventually(async () => {
      const resources = await ok<ResourcesView>(await get('/api/scenarios/thumbnails/resources'));
      const thumbnails = resources.buckets.find((bucket) => bucket.role === 'thumbnailsBucket');
      return thumbnails?.objects.some((object) => object.key === key) ? resources : undefined;
    });
    const original = view.buckets.find((bucket) => bucket.role === 'photosBucket')?.objects.find((o) => o.key === key);
    expect(original?.size).toBe(photo.length);
    expect(original?.previewUrl).toMatch(/^\/api\/objects\?bucket=/);

    const preview = await get(`${original!.previewUrl!}&token=${encodeURIComponent(session.token)}`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await preview.arrayBuffer()).equals(photo)).toBe(true);

    const info = await ok<ScenarioInfo>(await get('/api/scenarios/thumbnails'));
    const bucketId = info.diagram.nodes.find((node) => node.label === 'Photos bucket')!.id;
    const fnId = info.diagram.nodes.find((node) => node.kind === 'function')!.id;
    const functionName = info.outputs.ThumbnailFunctionName;
    await trace.waitFor(
      (message) =>
        message.scenario === 'thumbnails' &&
        message.type === 'lambda.report' &&
        message.detail.functionName === functionName,
    );
    const steps = trace.messages.filter((message) => message.scenario === 'thumbnails');
    const notification = steps.find((message) => message.type === 's3.notification' && message.detail.key === key);
    expect(notification?.highlight).toEqual(expect.arrayContaining([bucketId, fnId, `${bucketId}>${fnId}`]));
    const upload = steps.find(
      (message) =>
        message.type === 's3.object.created' &&
        message.detail.key === key &&
        message.detail.bucket === info.outputs.PhotosBucketName,
    );
    expect(upload?.highlight).toEqual(expect.arrayContaining(['client', bucketId, `client>${bucketId}`]));
    expect(steps.find((message) => message.type === 'lambda.invoke.start')).toMatchObject({
      detail: { functionName, invocationType: 'Event', attempt: 1 },
    });
    const thumbnailsBucket = info.diagram.nodes.find((node) => node.label === 'Thumbnails bucket')!.id;
    const write = steps.find(
      (message) =>
        message.type === 's3.request' &&
        message.detail.operation === 'PutObject' &&
        message.detail.bucket === info.outputs.ThumbnailsBucketName,
    );
    expect(write?.highlight).toEqual(expect.arrayContaining([fnId, thumbnailsBucket, `${fnId}>${thumbnailsBucket}`]));
  });

  it('put-item on the orders table changes the metric (through the stream and its mapping)', async () => {
    const before = await ok<ResourcesView>(await get('/api/scenarios/stream-metrics/resources'));
    const metricOf = (view: ResourcesView) =>
      view.tables.find((table) => table.role === 'metricsTable')?.items.find((item) => item.metric === 'orders');
    const insertsBefore = Number(metricOf(before)?.INSERT ?? 0);
    const orderId = `e2e-${Date.now()}`;
    const result = await ok<TriggerResult>(
      await post('/api/scenarios/stream-metrics/trigger', { kind: 'put-item', item: { orderId, total: 42 } }),
    );
    expect(result.summary).toContain('PutItem');
    const metric = await eventually(async () => {
      const view = await ok<ResourcesView>(await get('/api/scenarios/stream-metrics/resources'));
      const item = metricOf(view);
      return Number(item?.INSERT ?? 0) > insertsBefore ? item : undefined;
    });
    expect(Number(metric.revenue)).toBeGreaterThanOrEqual(42);
    const orders = await ok<ResourcesView>(await get('/api/scenarios/stream-metrics/resources'));
    expect(orders.tables.find((table) => table.role === 'ordersTable')?.items).toContainEqual({ orderId, total: 42 });
    expect(
      trace.messages.some((message) => message.type === 'esm.batch' && message.scenario === 'stream-metrics'),
    ).toBe(true);
  });

  it('an HTTP trigger calls the API and returns its answer', async () => {
    const created = await ok<TriggerResult>(
      await post('/api/scenarios/web-backend/trigger', {
        kind: 'http',
        method: 'POST',
        path: '/items',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'e2e item', price: 12 }),
      }),
    );
    expect(created.response?.status).toBe(201);
    const listed = await ok<TriggerResult>(
      await post('/api/scenarios/web-backend/trigger', { kind: 'http', method: 'GET', path: '/items' }),
    );
    expect(listed.response?.status).toBe(200);
    expect(listed.response?.headers['content-type']).toContain('application/json');
    expect(JSON.parse(listed.response!.body).items).toContainEqual(
      expect.objectContaining({ name: 'e2e item', price: 12 }),
    );
  });

  it('streams a check as NDJSON: deploying, the tests, each result, then the report', async () => {
    const solution = readFileSync('scenarios/web-backend/exercises/item-not-found/solution.ts', 'utf8');
    const response = await post(
      '/api/scenarios/web-backend/exercises/item-not-found/check',
      { source: solution },
      { accept: NDJSON },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${NDJSON}; charset=utf-8`);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as CheckProgress);
    expect(lines.map((line) => line.kind)).toEqual([
      'deploying',
      'running',
      ...lines.filter((line) => line.kind === 'test').map(() => 'test'),
      'report',
    ]);
    const running = lines[1] as Extract<CheckProgress, { kind: 'running' }>;
    const results = lines.flatMap((line) => (line.kind === 'test' ? [line.result] : []));
    expect(results.map((result) => result.name)).toEqual(running.tests);
    const report = (lines.at(-1) as Extract<CheckProgress, { kind: 'report' }>).report;
    expect(report).toMatchObject({ status: 'pass', tests: results });
    // Without asking for NDJSON, the same check answers one JSON report.
    const plain = await ok<CheckReport>(
      await post('/api/scenarios/web-backend/exercises/item-not-found/check', { source: solution }),
    );
    expect(plain.status).toBe('pass');
  }, 120_000);

  it('answers a handler that does not compile with 422 and its errors', async () => {
    const response = await post('/api/scenarios/web-backend/deploy', { source: 'export const handler = async (' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: string; errors: { line: number }[] };
    expect(body.error).toBe('CompileError');
    expect(body.errors[0]?.line).toBe(1);
  });

  it("a learner's bad code (throws, floods the log, loops) never breaks the server", async () => {
    const info = await ok<ScenarioInfo>(await get('/api/scenarios/web-backend'));
    const event = info.events.find((sample) => sample.name === 'get-items')?.event;
    const invoke = () => post('/api/scenarios/web-backend/invoke', { event, invocationType: 'RequestResponse' });
    try {
      await ok(
        await post('/api/scenarios/web-backend/deploy', {
          source: `export const handler = async () => {
  for (let i = 0; i < 20000; i += 1) console.log('line ' + i + ' ' + 'x'.repeat(200));
  throw new Error('learner bug');
};`,
        }),
      );
      const flood = await ok<InvokeResult>(await invoke());
      expect(flood.functionError).toBe('Unhandled');
      expect(flood.payload).toMatchObject({ errorMessage: 'learner bug' });
      expect(flood.logs.length).toBeLessThanOrEqual(4096);
      expect(flood.report?.requestId).toBe(flood.requestId);

      await ok(
        await post('/api/scenarios/web-backend/deploy', {
          source: 'export const handler = async () => { for (;;) {} };',
        }),
      );
      const seen = trace.messages.length;
      const looping = invoke();
      let ended = false;
      void looping.then(
        () => {
          ended = true;
        },
        () => {
          ended = true;
        },
      );
      // The server answers while the function spins (until its 10 s timeout): asked once it started.
      await trace.waitFor((message) => message.type === 'lambda.invoke.start' && message.scenario === 'web-backend', {
        from: seen,
      });
      const during = await get('/api/scenarios/web-backend');
      expect(during.status).toBe(200);
      expect(ended, 'the server answered only after the looping invocation ended').toBe(false);
      const timedOut = await ok<InvokeResult>(await looping);
      expect(timedOut.functionError).toBe('Unhandled');
      expect(timedOut.logs).toMatch(/Task timed out after 10\.\d\d seconds/);
    } finally {
      // Back to the scenario's own handler.
      await ok(await post('/api/scenarios/web-backend/deploy', { source: info.function.source }));
    }
    const healthy = await ok<InvokeResult>(await invoke());
    expect(healthy.functionError).toBeUndefined();
    expect(healthy.payload).toMatchObject({ statusCode: 200 });
    expect(trace.messages.some((message) => message.type === 'lambda.log' && message.scenario === 'web-backend')).toBe(
      true,
    );
  }, 60_000);
});

describe('bad requests get clear errors', () => {
  it.each([
    ['an unknown scenario', '/api/scenarios/nope/invoke', { event: {} }, 404, 'UnknownScenario'],
    ['a body that is not JSON', '/api/scenarios/thumbnails/invoke', '{nope', 400, 'BadRequest'],
    ['an invoke without an event', '/api/scenarios/thumbnails/invoke', { invocationType: 'Event' }, 400, 'BadRequest'],
    ['an unknown trigger', '/api/scenarios/thumbnails/trigger', { kind: 'email' }, 400, 'BadRequest'],
    [
      'an upload where there is no bucket for it',
      '/api/scenarios/web-backend/trigger',
      { kind: 'upload', key: 'a.jpg', contentType: 'image/jpeg', bodyBase64: 'AAAA' },
      400,
      'BadRequest',
    ],
    ['a deploy without source', '/api/scenarios/thumbnails/deploy', { code: 'x' }, 400, 'BadRequest'],
    ['an unknown exercise', '/api/scenarios/thumbnails/exercises/nope/check', { source: 'x' }, 404, 'UnknownExercise'],
  ])('%s', async (_name, path, body, status, error) => {
    const response = await post(path, body);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { error: string; message: string };
    expect(answer.error).toBe(error);
    expect(answer.message.length).toBeGreaterThan(10);
  });

  it('refuses a body that is not declared JSON (415) and one that is too large (413)', async () => {
    expect((await post('/api/scenarios/thumbnails/invoke', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    const huge = await post('/api/scenarios/thumbnails/deploy', { source: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('serves objects of scenario buckets only', async () => {
    const response = await get('/api/objects?bucket=some-other-bucket&key=a.jpg');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'UnknownBucket' });
  });

  it('serves only images inline: anything else, even named .png, is a download', async () => {
    const info = await ok<ScenarioInfo>(await get('/api/scenarios/thumbnails'));
    const bucket = info.outputs.PhotosBucketName!;
    const upload = (key: string, contentType: string, body: string) =>
      post('/api/scenarios/thumbnails/trigger', {
        kind: 'upload',
        key,
        contentType,
        bodyBase64: Buffer.from(body).toString('base64'),
      });
    expect((await upload('e2e/notes.txt', 'text/plain', 'hello')).status).toBe(200);
    expect((await upload('e2e/page.png', 'text/html', '<script>alert(1)</script>')).status).toBe(200);
    for (const key of ['e2e/notes.txt', 'e2e/page.png']) {
      const response = await get(`/api/objects?${new URLSearchParams({ bucket, key, token: session.token })}`);
      expect(response.status, key).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      await response.arrayBuffer();
    }
    const missing = await get(`/api/objects?${new URLSearchParams({ bucket, key: 'e2e/none.png' })}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'NoSuchKey', awsCode: 'NoSuchKey' });
  });
});
