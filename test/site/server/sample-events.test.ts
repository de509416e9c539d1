// The sample events the workbench serves, run the way the workbench runs them (through the invoke
// route) against every scenario deployed on a local cloud: each works, or fails the way it is meant
// to, and names the deployed resources.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIContext } from 'astro';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import type { InvokeResult, SampleEvent } from '../../../site/lib/workbench-api.ts';
import { POST as deployRoute } from '../../../site/pages/api/scenarios/[scenario]/deploy.ts';
import { POST as invokeRoute } from '../../../site/pages/api/scenarios/[scenario]/invoke.ts';
import { setWorkbenchRuntime } from '../../../site/server/runtime.ts';
import {
  decodeS3Key,
  functionIndexFor,
  prepareSampleEvent,
  readSampleEvents,
  servedSampleEvents,
} from '../../../site/server/sample-events.ts';
import { scenarioInfo } from '../../../site/server/scenario-info.ts';
import { clientConfig, type Target } from '../../../site/server/target.ts';
import { PROJECT_ROOT } from '../../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from './checks/cloud.ts';

const root = PROJECT_ROOT;
let deployed: DeployedCloud;
let target: Target;
let s3: S3Client;
const served = new Map<ScenarioId, SampleEvent[]>();

const output = (scenario: ScenarioId, role: string): string => {
  const key = (SCENARIOS[scenario].outputs as Record<string, string>)[role] ?? '';
  const value = deployed.outputsFile.stacks[SCENARIOS[scenario].stack]?.[key];
  if (value === undefined) throw new Error(`no output ${key} for ${scenario}`);
  return value;
};

const sample = (scenario: ScenarioId, name: string): SampleEvent => {
  const found = served.get(scenario)?.find((event) => event.name === name);
  if (found === undefined) throw new Error(`no served sample ${scenario}/${name}`);
  return found;
};

interface EventRecord {
  readonly awsRegion?: string;
  readonly eventName?: string;
  readonly responseElements?: unknown;
  readonly eventSourceARN?: string;
  readonly invokeIdentityArn?: string;
  readonly s3?: {
    readonly bucket?: { readonly name?: string; readonly arn?: string };
    readonly object?: { key?: string; readonly size?: number; readonly eTag?: string };
  };
}
type Records = { readonly Records: readonly EventRecord[] };

/** Calls a route module's POST as Astro would, with the runtime npm start hands over. */
async function post(route: typeof invokeRoute, scenario: string, body: unknown): Promise<Response> {
  const request = new Request(`http://127.0.0.1/api/scenarios/${scenario}/x`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return route({ params: { scenario }, request } as unknown as APIContext);
}

async function invoke(scenario: ScenarioId, event: SampleEvent): Promise<InvokeResult> {
  const response = await post(invokeRoute, scenario, {
    event: event.event,
    invocationType: 'RequestResponse',
    ...(event.functionIndex !== undefined ? { functionIndex: event.functionIndex } : {}),
  });
  const body = (await response.json()) as InvokeResult;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

beforeAll(async () => {
  deployed = await startDeployedCloud();
  target = deployed.target;
  s3 = new S3Client(clientConfig(target));
  setWorkbenchRuntime({ token: 'test-token', root, target: () => target });
  for (const scenario of SCENARIO_IDS) served.set(scenario, await servedSampleEvents(root, target, scenario));
}, 300_000);

afterAll(async () => {
  setWorkbenchRuntime(undefined);
  s3?.destroy();
  await deployed?.close();
});

describe('served sample events', () => {
  it('name the deployed photos bucket and describe the sample photo Run uploads', () => {
    const bucket = output('thumbnails', 'photosBucket');
    for (const name of ['object-created-put', 'object-created-key-with-spaces', 'object-created-not-an-image']) {
      const event = sample('thumbnails', name);
      const record = (event.event as Records).Records[0];
      expect(record?.s3?.bucket).toMatchObject({ name: bucket, arn: `arn:aws:s3:::${bucket}` });
      expect(record?.awsRegion).toBe(target.region);
      expect(event.note).toContain(bucket);
    }
    // Everything else stays as recorded.
    const recorded = readSampleEvents(root, 'thumbnails').find((event) => event.name === 'object-created-put');
    const [before, after] = [recorded?.event, sample('thumbnails', 'object-created-put').event] as Records[];
    expect(after?.Records[0]?.s3?.object?.key).toBe('cat.jpg');
    expect(after?.Records[0]?.eventName).toBe(before?.Records[0]?.eventName);
    expect(after?.Records[0]?.responseElements).toEqual(before?.Records[0]?.responseElements);
    expect(sample('thumbnails', 'object-created-put').note).toMatch(/notification also runs the function/);
  });

  it("carry the orders table's stream ARN, the click stream's ARN and its reader's role", async () => {
    const dynamodb = new DynamoDBClient(clientConfig(target));
    const kinesis = new KinesisClient(clientConfig(target));
    const lambda = new LambdaClient(clientConfig(target));
    try {
      const table = await dynamodb.send(
        new DescribeTableCommand({ TableName: output('stream-metrics', 'ordersTable') }),
      );
      const stream = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: output('stream-metrics', 'clickStream') }),
      );
      const reader = await lambda.send(
        new GetFunctionConfigurationCommand({
          FunctionName: deployed.outputsFile.stacks['LambdaWorkbook-StreamMetrics']?.ClickMetricsFunctionName,
        }),
      );
      const orders = sample('stream-metrics', 'orders-insert-modify-remove');
      expect(table.Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:/);
      for (const record of (orders.event as Records).Records) {
        expect(record.eventSourceARN).toBe(table.Table?.LatestStreamArn);
      }
      expect(orders.functionIndex).toBeUndefined();
      const clicks = sample('stream-metrics', 'kinesis-clicks');
      expect(clicks.functionIndex).toBe(1);
      for (const record of (clicks.event as Records).Records) {
        expect(record.eventSourceARN).toBe(stream.StreamDescriptionSummary?.StreamARN);
        expect(record.invokeIdentityArn).toBe(reader.Role);
      }
    } finally {
      dynamodb.destroy();
      kinesis.destroy();
      lambda.destroy();
    }
  });

  it("carry the deployed HTTP API's id and host", () => {
    const apiUrl = new URL(output('web-backend', 'apiUrl'));
    const apiId = apiUrl.hostname.split('.')[0];
    for (const event of served.get('web-backend') ?? []) {
      const request = event.event as { headers: Record<string, string>; requestContext: Record<string, unknown> };
      expect(request.requestContext).toMatchObject({ apiId, domainPrefix: apiId, domainName: apiUrl.hostname });
      expect(request.requestContext.accountId).toBe('000000000000');
      expect(request.headers.host).toBe(apiUrl.host);
    }
    expect(sample('web-backend', 'get-item').note).toContain(output('web-backend', 'itemsTable'));
    expect(sample('web-backend', 'get-items').note).toBeUndefined();
  });

  it('are served by the scenario route, and as recorded when the stack is not deployed', async () => {
    const info = await scenarioInfo(root, target, 'thumbnails');
    expect(info.events).toEqual(served.get('thumbnails'));
    const bare: Target = { ...target, stacks: {} };
    expect(await servedSampleEvents(root, bare, 'thumbnails')).toEqual(
      readSampleEvents(root, 'thumbnails').map((event) =>
        event.name === SCENARIOS.thumbnails.defaultEvent ? { ...event, default: true } : event,
      ),
    );
    const clicks = (await servedSampleEvents(root, bare, 'stream-metrics')).find((e) => e.name === 'kinesis-clicks');
    expect(clicks?.functionIndex).toBe(1);
  });
});

/** What each sample does when run; a sample without an entry fails the test (add one with the sample). */
const EXPECTED: Readonly<Record<string, (result: InvokeResult) => void>> = {
  'thumbnails/object-created-put': (result) =>
    expect(result.payload).toMatchObject({ written: [{ key: 'cat.jpg' }], skipped: [] }),
  'thumbnails/object-created-key-with-spaces': (result) =>
    expect(result.payload).toMatchObject({ written: [{ key: 'summer trip/beach & sun.jpg' }], skipped: [] }),
  'thumbnails/object-created-not-an-image': (result) =>
    expect(result.payload).toMatchObject({ written: [], skipped: [{ key: 'notes.txt', reason: /not an image/ }] }),
  'stream-metrics/orders-insert': (result) => expect(result.payload).toEqual({ batchItemFailures: [] }),
  'stream-metrics/orders-insert-modify-remove': (result) => expect(result.payload).toEqual({ batchItemFailures: [] }),
  'stream-metrics/kinesis-clicks': (result) => {
    expect(result.payload).toEqual({ batchItemFailures: [] });
    expect(result.logs).toContain(`"applied":2,"skipped":1`);
  },
  'web-backend/get-page': (result) =>
    expect(result.payload).toMatchObject({ statusCode: 200, headers: { 'content-type': /text\/html/ } }),
  'web-backend/get-items': (result) => expect(result.payload).toMatchObject({ statusCode: 200 }),
  'web-backend/get-item': (result) => {
    expect(result.payload).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((result.payload as { body: string }).body)).toMatchObject({
      id: '3f1c2a9e-8f4b-4a59-9d2e-5a7c1e0b6d42',
      name: 'Desk lamp',
    });
  },
  'web-backend/post-item': (result) => expect(result.payload).toMatchObject({ statusCode: 201 }),
  'web-backend/post-item-invalid': (result) => expect(result.payload).toMatchObject({ statusCode: 400 }),
  'mobile-clicks/click': (result) => expect(result.payload).toMatchObject({ button: 'like', count: 1 }),
  'mobile-clicks/click-invalid': (result) => expect(result.payload).toMatchObject({ error: 'InvalidRequest' }),
};

describe('running every served sample event', () => {
  it.each(SCENARIO_IDS)(
    '%s: each sample runs without a function error and does what it shows',
    async (scenario) => {
      const events = served.get(scenario) ?? [];
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        const check = EXPECTED[`${scenario}/${event.name}`];
        expect(check, `an expectation for ${scenario}/${event.name}`).toBeDefined();
        const result = await invoke(scenario, event);
        expect(result.functionError, `${scenario}/${event.name}: ${JSON.stringify(result.payload)}`).toBeUndefined();
        check?.(result);
      }
    },
    120_000,
  );

  it('uploaded the photos the samples name (once), and their thumbnails exist', async () => {
    const thumbnails = output('thumbnails', 'thumbnailsBucket');
    const photos = output('thumbnails', 'photosBucket');
    for (const key of ['cat.jpg', 'summer trip/beach & sun.jpg']) {
      const photo = await s3.send(new HeadObjectCommand({ Bucket: photos, Key: key }));
      const record = (
        sample('thumbnails', key === 'cat.jpg' ? 'object-created-put' : 'object-created-key-with-spaces')
          .event as Records
      ).Records[0];
      expect(photo.ContentLength).toBe(record?.s3?.object?.size);
      expect(photo.ETag).toBe(`"${record?.s3?.object?.eTag}"`);
      expect((await s3.send(new HeadObjectCommand({ Bucket: thumbnails, Key: key }))).ContentType).toBe('image/jpeg');
    }
    // A second run finds the photo there: nothing is uploaded again.
    const again = await invoke('thumbnails', sample('thumbnails', 'object-created-put'));
    expect(again.prepared).toBeUndefined();
    expect(again.functionError).toBeUndefined();
  });
});

describe('preparing a sample event', () => {
  it("never replaces a learner's object, and creates nothing for keys no sample names", async () => {
    const bucket = output('thumbnails', 'photosBucket');
    const own = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'summer trip/beach & sun.jpg', Body: own }));
    const event = sample('thumbnails', 'object-created-key-with-spaces').event;
    expect(await prepareSampleEvent(root, target, 'thumbnails', event)).toEqual([]);
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'summer trip/beach & sun.jpg' }))).ContentLength,
    ).toBe(own.length);

    const edited = structuredClone(sample('thumbnails', 'object-created-put').event) as Records;
    const s3Record = edited.Records[0]?.s3;
    if (s3Record?.object) s3Record.object.key = 'dog.jpg';
    expect(await prepareSampleEvent(root, target, 'thumbnails', edited)).toEqual([]);
    await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dog.jpg' }))).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('uploads a missing sample photo and says that the upload is an event of its own', async () => {
    const bucket = output('thumbnails', 'photosBucket');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'cat.jpg' }));
    const prepared = await prepareSampleEvent(
      root,
      target,
      'thumbnails',
      sample('thumbnails', 'object-created-put').event,
    );
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toMatch(new RegExp(`^PutObject ${bucket}/cat\\.jpg \\([\\d,]+ bytes\\).*notification`));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cat.jpg' }))).ContentType).toBe('image/jpeg');
  });

  it('sends Kinesis samples to the stream reader, everything else to the first function', () => {
    expect(functionIndexFor('stream-metrics', sample('stream-metrics', 'kinesis-clicks').event)).toBe(1);
    expect(functionIndexFor('stream-metrics', sample('stream-metrics', 'orders-insert').event)).toBe(0);
    expect(functionIndexFor('thumbnails', { Records: [{ eventSource: 'aws:kinesis' }] })).toBe(0);
  });

  it('decodes S3 keys as S3 encodes them, and refuses malformed ones', () => {
    expect(decodeS3Key('summer+trip/beach+%26+sun.jpg')).toBe('summer trip/beach & sun.jpg');
    expect(decodeS3Key('100%+sure.jpg')).toBeUndefined();
  });
});

describe('the deploy and invoke routes’ shared preamble', () => {
  it.each([
    ['an unknown scenario', invokeRoute, 'nope', { event: {} }, 404, "There is no scenario 'nope'"],
    ['a body that is not JSON', invokeRoute, 'thumbnails', '{nope', 400, 'The request body is not valid JSON'],
    ['a JSON array', deployRoute, 'thumbnails', '[]', 400, 'The request body must be a JSON object.'],
    ['no event', invokeRoute, 'thumbnails', { functionIndex: 7 }, 400, "'event' is required"],
    [
      'no source',
      deployRoute,
      'thumbnails',
      { functionIndex: 7 },
      400,
      "Either 'files' (the edited files by path) or 'source' is required.",
    ],
    ['a bad functionIndex', invokeRoute, 'stream-metrics', { event: {}, functionIndex: 2 }, 400, 'from 0 to 1'],
    ['a bad functionIndex', deployRoute, 'thumbnails', { source: 'x', functionIndex: -1 }, 400, 'from 0 to 0'],
  ] as const)('answers %s as before', async (_what, route, scenario, body, status, message) => {
    const response = await post(route, scenario, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toContain(message);
  });
});

describe('the default sample', () => {
  // After the run of every sample above (it counts clicks from zero).
  it.each(SCENARIO_IDS)('%s: one sample is marked default, the catalog’s, and it succeeds', async (scenario) => {
    const defaults = (served.get(scenario) ?? []).filter((event) => event.default);
    expect(defaults.map((event) => event.name)).toEqual([SCENARIOS[scenario].defaultEvent]);
    const [event] = defaults as [SampleEvent];
    const result = await invoke(scenario, event);
    expect(result.functionError).toBeUndefined();
    // Succeeds as the lesson means it: no error answer, no failed records, no 4xx/5xx.
    const payload = result.payload as Record<string, unknown>;
    expect(payload).not.toHaveProperty('error');
    if ('statusCode' in payload) expect(payload.statusCode).toBeLessThan(400);
    if ('batchItemFailures' in payload) expect(payload.batchItemFailures).toEqual([]);
    if ('skipped' in payload) expect(payload.skipped).toEqual([]);
  });
});
