// An in-memory cloud keeps object bytes out of its process's memory (in a private temporary
// folder): a 16 MiB PutObject leaves neither the JS heap nor the memory of its ArrayBuffers
// 16 MiB larger, and closing the cloud removes the folder.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, type S3TestCloud, s3Client, startS3Cloud } from '../../../helpers/s3-cloud.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

let cloud: S3TestCloud;
let s3: S3Client;
const Bucket = bucketName('memory');

beforeAll(async () => {
  cloud = await startS3Cloud();
  s3 = s3Client(cloud);
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3?.destroy();
  await cloud?.close();
});

/** JS heap and ArrayBuffer memory (where Buffers' bytes are) after a full collection. */
function settledMemory() {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
}

describe('object bytes in an in-memory cloud', () => {
  it('do not stay in the process after a 16 MiB PutObject', async () => {
    // Prepare: warm the path once so first-use allocations do not count.
    const body = Buffer.alloc(16 * MiB, 5);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'warm-up', Body: Buffer.alloc(1024) }));
    const before = settledMemory();

    // Act
    await s3.send(new PutObjectCommand({ Bucket, Key: 'big', Body: body }));

    // Assess: the cloud holding the object in this process would add 16 MiB to one of them for
    // good. The client's own buffers for the upload (it runs in this process) can outlive the
    // response by a few turns on a busy machine, so this waits for them to go, not for a fixed time.
    const growth = () => {
      const after = settledMemory();
      return Math.max(after.arrayBuffers - before.arrayBuffers, after.heapUsed - before.heapUsed);
    };
    await expect.poll(growth, { timeout: 10_000, interval: 200 }).toBeLessThan(4 * MiB);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big', Range: 'bytes=8388608-8388615' }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(Buffer.alloc(8, 5));
  });

  it('are in a folder that closing the cloud removes', async () => {
    // Prepare
    const other = await startS3Cloud();
    const client = s3Client(other);
    const name = bucketName('closing');
    await client.send(new CreateBucketCommand({ Bucket: name }));
    await client.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'bytes' }));
    client.destroy();
    const folder = other.s3?.store.tempDir;
    expect(folder !== undefined && existsSync(folder)).toBe(true);

    // Act
    await other.close();

    // Assess
    expect(existsSync(folder!)).toBe(false);
  });
});
