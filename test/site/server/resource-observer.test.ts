// AWS mode's look at a sandbox's buckets and tables, against a deployed local cloud with the real
// SDK: objects and items that appear, change and go away become trace steps; nothing is published
// for what was already there; a nudge makes it look at once.
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bucketChanges,
  bucketLook,
  createResourceObserver,
  itemIdentity,
  marksFunctionActivity,
  mergeTraceSources,
  type ResourceObserver,
  tableChanges,
  tableLook,
} from '../../../site/server/resource-observer.ts';
import type { TraceRecord, TraceSource } from '../../../site/server/runtime.ts';
import { clientConfig, stackOutputs } from '../../../site/server/target.ts';
import { type DeployedCloud, startDeployedCloud } from './checks/cloud.ts';

let sandbox: DeployedCloud;
let observer: ResourceObserver;
const seen: TraceRecord[] = [];
let unsubscribe: () => void;

beforeAll(async () => {
  sandbox = await startDeployedCloud(['LambdaWorkbook-Thumbnails', 'LambdaWorkbook-WebBackend']);
  observer = createResourceObserver({
    target: sandbox.target,
    scenarios: () => ['thumbnails', 'web-backend'],
    idleIntervalMs: 60_000,
    activeIntervalMs: 100,
  });
  unsubscribe = observer.subscribe((record) => seen.push(record));
  await observer.poll();
}, 240_000);

afterAll(async () => {
  unsubscribe?.();
  observer?.close();
  await sandbox?.close();
});

/** Waits until a published step matches. */
async function waitFor(match: (record: TraceRecord) => boolean, what: string): Promise<TraceRecord> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = seen.find(match);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`not observed: ${what}; saw ${JSON.stringify(seen.map((r) => r.detail))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the resource observer', () => {
  it('sees an uploaded photo and the thumbnail the function writes', async () => {
    const outputs = stackOutputs(sandbox.target, 'LambdaWorkbook-Thumbnails')!;
    const s3 = new S3Client(clientConfig(sandbox.target));
    const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    await s3.send(new PutObjectCommand({ Bucket: outputs.PhotosBucketName, Key: 'observed.jpg', Body: photo }));
    s3.destroy();
    observer.nudge();
    const upload = await waitFor(
      (r) => r.detail.bucket === outputs.PhotosBucketName && r.detail.key === 'observed.jpg',
      'the photo',
    );
    expect(upload).toMatchObject({
      type: 's3.request',
      detail: { operation: 'PutObject', size: photo.length, status: 200, observed: 'the bucket listing' },
    });
    const thumbnail = await waitFor(
      (r) => r.detail.bucket === outputs.ThumbnailsBucketName && r.detail.key === 'observed.jpg',
      'the thumbnail',
    );
    expect(thumbnail.detail.operation).toBe('PutObject');
  }, 60_000);

  it('sees an item put, changed and deleted, by its key', async () => {
    const table = stackOutputs(sandbox.target, 'LambdaWorkbook-WebBackend')!.ItemsTableName!;
    const dynamodb = new DynamoDBClient(clientConfig(sandbox.target));
    const key = { id: { S: 'observed-1' } };
    const steps = () => seen.filter((r) => r.detail.table === table).map((r) => r.detail.operation);
    try {
      await dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...key, name: { S: 'Lamp' } } }));
      observer.nudge();
      await waitFor((r) => r.detail.table === table && r.detail.operation === 'PutItem', 'the put');
      await dynamodb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET #n = :n',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':n': { S: 'Desk lamp' } },
        }),
      );
      observer.nudge();
      await waitFor((r) => r.detail.table === table && r.detail.operation === 'UpdateItem', 'the update');
      await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: key }));
      observer.nudge();
      const deleted = await waitFor(
        (r) => r.detail.table === table && r.detail.operation === 'DeleteItem',
        'the delete',
      );
      expect(deleted.detail).toMatchObject({ key: { id: 'observed-1' }, observed: 'a table scan' });
      expect(steps()).toEqual(['PutItem', 'UpdateItem', 'DeleteItem']);
    } finally {
      dynamodb.destroy();
    }
  }, 60_000);
});

describe('changes between two looks', () => {
  it('publishes nothing for what did not change', () => {
    const look = bucketLook([{ key: 'a.jpg', size: 10, lastModified: 't1' }]);
    expect(bucketChanges('b', look, new Map(look), 1)).toEqual([]);
    expect(bucketChanges('b', look, bucketLook([{ key: 'a.jpg', size: 12, lastModified: 't2' }]), 1)).toMatchObject([
      { detail: { operation: 'PutObject', key: 'a.jpg', size: 12 } },
    ]);
    expect(tableChanges('t', tableLook([{ id: 'k' }], ['id']), new Map(), 1)).toMatchObject([
      { detail: { operation: 'DeleteItem', key: { id: 'k' } } },
    ]);
    expect(itemIdentity({ id: 'k', n: 1 }, ['id'])).toBe('["k"]');
    expect(itemIdentity({ id: 'k', n: 1 }, [])).toBe('{"id":"k","n":1}');
  });

  it('looks again when a function starts or finishes, not for its other lines', () => {
    const log = (line: unknown) => ({ type: 'lambda.log', time: 1, detail: { functionName: 'f', line } });
    expect(marksFunctionActivity(log('START RequestId: 1f0c Version: $LATEST'))).toBe(true);
    expect(marksFunctionActivity(log('REPORT RequestId: 1f0c\tDuration: 3 ms'))).toBe(true);
    expect(marksFunctionActivity(log('END RequestId: 1f0c'))).toBe(false);
    expect(marksFunctionActivity(log('2026-11-27T10:00:00Z\t1f0c\tINFO\tSTART RequestId: fake'))).toBe(false);
    expect(marksFunctionActivity(log(undefined))).toBe(false);
    expect(marksFunctionActivity({ type: 's3.request', time: 1, detail: { line: 'START RequestId: x' } })).toBe(false);
  });

  it('merges sources: every record once, nudges reach each source', () => {
    const listeners: ((record: TraceRecord) => void)[] = [];
    let nudged = 0;
    const source = (): TraceSource & { nudge(): void } => ({
      subscribe(listener) {
        listeners.push(listener);
        return () => {};
      },
      recent: () => [],
      nudge: () => {
        nudged += 1;
      },
    });
    const before: string[] = [];
    const merged = mergeTraceSources([source(), source()], (record) => before.push(record.type));
    const got: string[] = [];
    merged.subscribe((record) => got.push(record.type));
    listeners[0]?.({ type: 'a', time: 1, detail: {} });
    listeners[1]?.({ type: 'b', time: 2, detail: {} });
    expect(got).toEqual(['a', 'b']);
    expect(before).toEqual(['a', 'b']);
    merged.nudge();
    expect(nudged).toBe(2);
  });
});
