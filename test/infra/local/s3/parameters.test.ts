import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, type S3TestCloud, s3Client, startS3Cloud } from '../../../helpers/s3-cloud.ts';

let cloud: S3TestCloud;
let s3: S3Client;
let Bucket: string;
beforeAll(async () => {
  cloud = await startS3Cloud();
  s3 = s3Client(cloud);
  Bucket = bucketName('params');
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3?.destroy();
  await cloud?.close();
});

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

describe('S3 refuses the parameters it does not model, naming them (NotImplemented, as S3 answers a header it does not implement)', () => {
  it.each([
    ['Tagging', { Tagging: 'lesson=one' }, 'object tags are not modelled'],
    [
      'ServerSideEncryption',
      { ServerSideEncryption: 'aws:kms' },
      'SSE-KMS is not modelled: objects are SSE-S3 (AES256)',
    ],
    ['StorageClass', { StorageClass: 'GLACIER' }, 'storage classes are not modelled'],
  ] as const)('PutObject with %s', async (name, extra, why) => {
    // Act
    const error = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ...extra })));

    // Assess
    expect(error.name).toBe('NotImplemented');
    expect(error.$metadata.httpStatusCode).toBe(501);
    expect(error.message).toBe(`The local cloud does not support the ${name} parameter of PutObject (${why}).`);
  });

  it('accepts the values that ask for nothing it lacks (STANDARD, AES256, the one account as owner)', async () => {
    // Act
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'plain',
        Body: 'x',
        StorageClass: 'STANDARD',
        ServerSideEncryption: 'AES256',
        ExpectedBucketOwner: '000000000000',
      }),
    );

    // Assess
    expect(put.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses another account as the expected bucket owner, and ListBuckets paging it would ignore', async () => {
    // Act
    const owner = await failure(s3.send(new HeadBucketCommand({ Bucket, ExpectedBucketOwner: '111111111111' })));
    const paging = await failure(s3.send(new ListBucketsCommand({ MaxBuckets: 1 })));

    // Assess
    expect(owner.$metadata.httpStatusCode).toBe(501);
    expect(paging.message).toBe(
      'The local cloud does not support the MaxBuckets parameter of ListBuckets (ListBuckets answers every bucket at once).',
    );
  });
});
