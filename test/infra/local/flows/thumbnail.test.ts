import { fileURLToPath } from 'node:url';
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
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
import { createExecutionRole } from '../../../helpers/iam-roles.ts';

const FUNCTION_DIR = fileURLToPath(new URL('../../../fixtures/thumbnail-function/', import.meta.url));

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
  s3 = new S3Client({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials });

  // GIVEN a photos bucket whose .jpg uploads notify the thumbnail function, which writes elsewhere
  await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'photos-thumbnails' }));
  // The execution role may read photos and write thumbnails: nothing else.
  const role = await createExecutionRole(cloud, 'thumbnail-role', [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' },
    { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos-thumbnails/*' },
  ]);
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'make-thumbnail',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: role,
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
  it('fails the way AWS does when the execution role may not write the thumbnail', async () => {
    // GIVEN a second function whose role may read photos but not write thumbnails
    const readOnly = await createExecutionRole(cloud, 'read-only-role', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' },
    ]);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'thumbnail-without-put',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: readOnly,
        Code: { S3Bucket: '__local__', S3Key: FUNCTION_DIR },
        Environment: { Variables: { DEST_BUCKET: 'photos-thumbnails' } },
      }),
    );
    const photo = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'denied.png', Body: photo }));
    // WHEN it is invoked with an S3 event for that photo
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: 'thumbnail-without-put',
        Payload: JSON.stringify({ Records: [{ s3: { bucket: { name: 'photos' }, object: { key: 'denied.png' } } }] }),
      }),
    );
    // THEN its PutObject is refused with S3's AccessDenied, and the trace says why
    const error = JSON.parse(new TextDecoder().decode(result.Payload));
    expect(result.FunctionError).toBe('Unhandled');
    expect(error.errorType).toBe('AccessDenied');
    expect(error.errorMessage).toContain('is not authorized to perform: s3:PutObject');
    const denied = await waitForTrace((e) => e.type === 'iam.denied' && e.detail.action === 's3:PutObject');
    expect(String(denied.detail.principal)).toBe(
      'arn:aws:sts::000000000000:assumed-role/read-only-role/thumbnail-without-put',
    );
  });

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
