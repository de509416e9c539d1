import { fileURLToPath } from 'node:url';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import type { TraceEvent } from '../../../../infra/local/trace/bus.ts';

const FUNCTION_DIR = fileURLToPath(new URL('../../../fixtures/thumbnail-function/', import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let cloud: LocalCloud;
let s3: S3Client;
let lambda: LambdaClient;
const events: TraceEvent[] = [];

function waitForTrace(predicate: (event: TraceEvent) => boolean, timeoutMs = 30_000): Promise<TraceEvent> {
  const found = events.find(predicate);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching trace event; saw: ${events.map((e) => e.type).join(', ')}`));
    }, timeoutMs);
    const stop = cloud.trace.subscribe((event) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, asyncRetryDelaysMs: [50, 50] });
  cloud.trace.subscribe((event) => events.push(event));
  s3 = new S3Client({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });

  // GIVEN a photos bucket whose .jpg uploads notify the thumbnail function, which writes elsewhere
  await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'photos-thumbnails' }));
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'make-thumbnail',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/thumbnail-role',
      Code: { S3Bucket: '__local__', S3Key: FUNCTION_DIR },
      MemorySize: 512,
      Timeout: 30,
      Environment: { Variables: { DEST_BUCKET: 'photos-thumbnails', THUMBNAIL_WIDTH: '160' } },
    }),
  );
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'make-thumbnail',
      StatementId: 's3-invoke',
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceArn: 'arn:aws:s3:::photos',
    }),
  );
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: 'photos',
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Id: 'thumbnails',
            LambdaFunctionArn: fn.FunctionArn,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } },
          },
        ],
      },
    }),
  );
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  lambda?.destroy();
  await cloud?.close();
});

describe('upload → S3 notification → Lambda (sharp) → thumbnail', () => {
  it('writes a thumbnail of an uploaded photo to the second bucket', async () => {
    // WHEN a 1200×800 photo with a space in its name is uploaded
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    await s3.send(
      new PutObjectCommand({ Bucket: 'photos', Key: 'summer trip/beach.jpg', Body: photo, ContentType: 'image/jpeg' }),
    );

    // THEN the function is invoked asynchronously with the S3 event and writes a 160 px wide JPEG
    const end = await waitForTrace((e) => e.type === 'lambda.invoke.end' && e.detail.functionName === 'make-thumbnail');
    expect(end.detail.error).toBeUndefined();
    const thumbnail = await s3.send(
      new GetObjectCommand({ Bucket: 'photos-thumbnails', Key: 'thumbnails/summer trip/beach.jpg' }),
    );
    expect(thumbnail.ContentType).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await thumbnail.Body!.transformToByteArray())).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: 'jpeg',
      width: 160,
      height: 107,
    });
    const logs = events.filter((e) => e.type === 'lambda.log').map((e) => String(e.detail.line));
    expect(logs.some((line) => line.startsWith('REPORT RequestId:') && line.includes('Init Duration'))).toBe(true);
    expect(logs.some((line) => line.includes('"message":"thumbnail written"'))).toBe(true);
  });

  it('does not invoke the function for keys outside the filter', async () => {
    const before = events.filter((e) => e.type === 'lambda.invoke.start').length;
    await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'notes.txt', Body: 'not a photo' }));
    await s3.send(new PutObjectCommand({ Bucket: 'photos-thumbnails', Key: 'other.jpg', Body: 'x' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.filter((e) => e.type === 'lambda.invoke.start').length).toBe(before);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'photos-thumbnails', Prefix: 'thumbnails/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['thumbnails/summer trip/beach.jpg']);
  });
});
