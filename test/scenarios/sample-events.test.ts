import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as clicksHandler } from '../../scenarios/mobile-clicks/handler.ts';
import { handler as metricsHandler } from '../../scenarios/stream-metrics/handler.ts';
import { handler as clickMetricsHandler } from '../../scenarios/stream-metrics/kinesis-handler.ts';
import { handler as thumbnailsHandler } from '../../scenarios/thumbnails/handler.ts';
import { handler as webHandler } from '../../scenarios/web-backend/handler.ts';
import { fakeContext } from './helpers/context.ts';
import { fakeClient } from './helpers/fake-aws.ts';

const root = new URL('../../', import.meta.url);
const events = (scenario: string) => {
  const dir = fileURLToPath(new URL(`scenarios/${scenario}/events/`, root));
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => [name, JSON.parse(readFileSync(`${dir}${name}`, 'utf8'))] as const);
};
const recording = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`test/recordings/aws/${name}`, root)), 'utf8'));

/** Turns a recorder's DynamoDB-attribute-value rendering ({M: {...}}, {S: ''}) back into plain JSON. */
function plain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const [type, inner] = Object.entries(value)[0] ?? [];
  if (type === 'M') return Object.fromEntries(Object.entries(inner as object).map(([k, v]) => [k, plain(v)]));
  if (type === 'L') return (inner as unknown[]).map(plain);
  if (type === 'N') return Number(inner);
  return inner;
}

/** Every key path of an object, e.g. `s3.object.key`, to compare shapes. */
const paths = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...paths(v, `${prefix}${k}.`)])
    : [];

beforeEach(() => {
  vi.stubEnv('THUMBNAIL_BUCKET', 'photos-thumbnails');
  vi.stubEnv('METRICS_TABLE', 'metrics');
  vi.stubEnv('ITEMS_TABLE', 'items');
  vi.stubEnv('CLICKS_TABLE', 'clicks');
  for (const level of ['log', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('sample events (scenarios/<name>/events/)', () => {
  it('S3 samples have the shape of the recorded ObjectCreated:Put record', () => {
    const recorded = plain(recording('s3-notification-objectcreated-put.json').content.table_content);
    for (const [name, event] of events('thumbnails')) {
      expect(paths(event.Records[0]).sort(), name).toEqual(paths(recorded).sort());
    }
  });

  it('DynamoDB stream samples have the shape of the recorded ESM records', () => {
    const recorded = recording('dynamodb-esm-event-insert-modify-new-and-old-images.json').content[
      'lambda-log-events'
    ][0].Records[0];
    // Compare everything but the item images, which depend on the table and on the event type.
    const shape = (record: object) => paths(record).filter((p) => !/^dynamodb\.(NewImage|OldImage|Keys)/.test(p));
    for (const [name, event] of events('stream-metrics').filter(([file]) => file.startsWith('orders'))) {
      for (const record of event.Records) expect(shape(record).sort(), name).toEqual(shape(recorded).sort());
    }
  });

  it.each(events('thumbnails'))('thumbnails handler accepts %s', async (_name, event) => {
    const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    fakeClient(S3Client, {
      [GetObjectCommand.name]: () => ({ Body: { transformToByteArray: async () => photo } }),
      [PutObjectCommand.name]: () => ({}),
    });
    const result = await thumbnailsHandler(event, fakeContext());
    expect(result.written.length + result.skipped.length).toBe(event.Records.length);
  });

  it.each(events('stream-metrics'))('stream-metrics handlers accept %s', async (name, event) => {
    fakeClient(DynamoDBClient, { PutItemCommand: () => ({}), UpdateItemCommand: () => ({}) });
    const handler = name.startsWith('kinesis') ? clickMetricsHandler : metricsHandler;
    expect(await handler(event, fakeContext())).toEqual({ batchItemFailures: [] });
  });

  it.each(events('web-backend'))('web-backend handler answers %s', async (name, event) => {
    fakeClient(DynamoDBClient, {
      ScanCommand: () => ({ Items: [] }),
      GetItemCommand: () => ({}),
      PutItemCommand: () => ({}),
    });
    const response = await webHandler(event, fakeContext());
    const expected: Record<string, number> = {
      'get-page.json': 200,
      'get-items.json': 200,
      'get-item.json': 404,
      'post-item.json': 201,
      'post-item-invalid.json': 400,
    };
    expect(typeof response === 'object' && response.statusCode).toBe(expected[name]);
  });

  it.each(events('mobile-clicks'))('mobile-clicks handler answers %s', async (name, event) => {
    fakeClient(DynamoDBClient, { UpdateItemCommand: () => ({ Attributes: { clicks: { N: '1' } } }) });
    const response = await clicksHandler(event, fakeContext());
    expect('error' in response).toBe(name.includes('invalid'));
  });
});
