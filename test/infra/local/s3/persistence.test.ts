import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bucketName, s3Client, startS3Edge } from '../../../helpers/s3-cloud.ts';
import { FakeLambdaInvoker } from '../../../helpers/s3-fake-lambda.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 's3-persist-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `work` against a fresh S3 service on the data directory, then stops it. */
async function withService<T>(work: (client: ReturnType<typeof s3Client>) => Promise<T>): Promise<T> {
  const cloud = await startS3Edge({ dataDir, lambda: new FakeLambdaInvoker(['fn']) });
  const client = s3Client(cloud);
  try {
    return await work(client);
  } finally {
    client.destroy();
    await cloud.close();
  }
}

describe('persistence under <dataDir>/s3/', () => {
  it('buckets, objects, metadata, notifications and open uploads survive a restart', async () => {
    // Prepare
    const Bucket = bucketName('persist');
    const awkwardKey = `../../${'long/'.repeat(150)}ünïcode key?.txt`;
    const uploadId = await withService(async (s3) => {
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(
        new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'first', Metadata: { m: '1' }, ContentType: 'text/plain' }),
      );
      await s3.send(
        new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'second', Metadata: { m: '2' }, ContentType: 'text/plain' }),
      );
      await s3.send(new PutObjectCommand({ Bucket, Key: awkwardKey, Body: 'awkward' }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'deleted', Body: 'x' }));
      await s3.send(new DeleteObjectCommand({ Bucket, Key: 'deleted' }));
      await s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [
              { Id: 'n', LambdaFunctionArn: FakeLambdaInvoker.arn('fn'), Events: ['s3:ObjectCreated:*'] },
            ],
          },
        }),
      );
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'big' }));
      await s3.send(new UploadPartCommand({ Bucket, Key: 'big', UploadId, PartNumber: 1, Body: 'part' }));
      return UploadId!;
    });

    // Act
    const seen = await withService(async (s3) => {
      const a = await s3.send(new GetObjectCommand({ Bucket, Key: 'a.txt' }));
      const awkward = await s3.send(new GetObjectCommand({ Bucket, Key: awkwardKey }));
      return {
        a: await a.Body!.transformToString(),
        metadata: a.Metadata,
        contentType: a.ContentType,
        awkward: await awkward.Body!.transformToString(),
        keys: (await s3.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key),
        notification: (await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket })))
          .LambdaFunctionConfigurations,
        parts: (await s3.send(new ListPartsCommand({ Bucket, Key: 'big', UploadId: uploadId }))).Parts?.length,
      };
    });

    // Assess
    expect(seen).toEqual({
      a: 'second',
      metadata: { m: '2' },
      contentType: 'text/plain',
      awkward: 'awkward',
      keys: [awkwardKey, 'a.txt'].sort(),
      notification: [{ Id: 'n', LambdaFunctionArn: FakeLambdaInvoker.arn('fn'), Events: ['s3:ObjectCreated:*'] }],
      parts: 1,
    });
  });

  it('skips an unreadable sidecar instead of failing to start', async () => {
    // Prepare
    const Bucket = bucketName('corrupt');
    await withService(async (s3) => {
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'good', Body: 'ok' }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'ok' }));
    });
    const objects = join(dataDir, 's3', 'buckets', Bucket, 'objects');
    const [first] = readdirSync(objects);
    writeFileSync(join(objects, first!), '{"truncated');

    // Act
    const keys = await withService(
      async (s3) => (await s3.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key) ?? [],
    );

    // Assess
    expect(keys).toHaveLength(1);
  });

  it('keeps every file inside <dataDir>/s3 with short, hashed names; replaced and deleted bytes are removed', async () => {
    // Prepare
    const Bucket = bucketName('layout');

    // Act
    await withService(async (s3) => {
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(new PutObjectCommand({ Bucket, Key: '../../../../escape', Body: 'x' }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'k'.repeat(1024), Body: 'v1' }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'k'.repeat(1024), Body: 'v2' }));
    });

    // Assess
    expect(readdirSync(dataDir)).toEqual(['s3']);
    const bucketDir = join(dataDir, 's3', 'buckets', Bucket);
    const sidecars = readdirSync(join(bucketDir, 'objects'));
    expect(sidecars).toHaveLength(2);
    expect(sidecars.every((f) => /^[0-9a-f]{64}\.json$/.test(f))).toBe(true);
    expect(readdirSync(join(bucketDir, 'data'))).toHaveLength(2);
    expect(readdirSync(join(bucketDir, 'objects')).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});
