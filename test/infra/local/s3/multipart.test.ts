import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, type S3TestCloud, s3Client, startS3Cloud } from '../../../helpers/s3-cloud.ts';

let cloud: S3TestCloud;
let s3: S3Client;
let Bucket: string;
const MiB = 1024 * 1024;

beforeAll(async () => {
  cloud = await startS3Cloud();
  s3 = s3Client(cloud);
  Bucket = bucketName('multipart');
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

const md5 = (data: Buffer) => createHash('md5').update(data).digest();

async function startUpload(Key: string, parts: Buffer[]) {
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'video/mp4', Metadata: { camera: 'x1' } }),
  );
  const uploaded = [];
  for (const [i, Body] of parts.entries()) {
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
    uploaded.push({ PartNumber: i + 1, ETag: ETag! });
  }
  return { UploadId: UploadId!, uploaded };
}

describe('multipart upload', () => {
  it('assembles the parts; the ETag is md5(concatenated part md5s)-N; metadata comes from CreateMultipartUpload', async () => {
    // Prepare
    const parts = [Buffer.alloc(5 * MiB, 1), Buffer.alloc(5 * MiB, 2), Buffer.from('tail')];
    const expectedEtag = `"${createHash('md5')
      .update(Buffer.concat(parts.map(md5)))
      .digest('hex')}-3"`;
    const { UploadId, uploaded } = await startUpload('movie.mp4', parts);

    // Act
    const listed = await s3.send(new ListPartsCommand({ Bucket, Key: 'movie.mp4', UploadId }));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: 'movie.mp4', UploadId, MultipartUpload: { Parts: uploaded } }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'movie.mp4' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());

    // Assess
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [2, 5 * MiB],
      [3, 4],
    ]);
    expect(done.ETag).toBe(expectedEtag);
    expect(done.Bucket).toBe(Bucket);
    expect(done.Key).toBe('movie.mp4');
    expect(got.ETag).toBe(expectedEtag);
    expect(got.ContentType).toBe('video/mp4');
    expect(got.Metadata).toEqual({ camera: 'x1' });
    expect(bytes.equals(Buffer.concat(parts))).toBe(true);
  });

  it('a single-part upload gets the "-1" ETag suffix (as in the recorded CompleteMultipartUpload event)', async () => {
    // Prepare: 6144 bytes, like s3-notification-objectcreated-completemultipartupload.json
    const part = Buffer.alloc(6144, 'a');
    const { UploadId, uploaded } = await startUpload('single', [part]);

    // Act
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: 'single', UploadId, MultipartUpload: { Parts: uploaded } }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'single' }));

    // Assess
    expect(done.ETag).toBe(`"${createHash('md5').update(md5(part)).digest('hex')}-1"`);
    expect(head.ContentLength).toBe(6144);
  });

  it.each([
    ['parts out of order', (p: { PartNumber: number; ETag: string }[]) => [p[1]!, p[0]!], 'InvalidPartOrder'],
    [
      'a part that was never uploaded',
      (p: { PartNumber: number; ETag: string }[]) => [p[0]!, { PartNumber: 7, ETag: p[1]!.ETag }],
      'InvalidPart',
    ],
    [
      'a wrong ETag',
      (p: { PartNumber: number; ETag: string }[]) => [
        p[0]!,
        { PartNumber: 2, ETag: '"00000000000000000000000000000000"' },
      ],
      'InvalidPart',
    ],
  ])('refuses to complete with %s', async (_label, choose, code) => {
    // Prepare
    const { UploadId, uploaded } = await startUpload('bad', [Buffer.alloc(5 * MiB), Buffer.from('b')]);

    // Act
    const error = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'bad',
          UploadId,
          MultipartUpload: { Parts: choose(uploaded) },
        }),
      ),
    );

    // Assess
    expect([error.name, error.$metadata.httpStatusCode]).toEqual([code, 400]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'bad', UploadId }));
  });

  it('refuses a non-final part under 5 MiB (EntityTooSmall)', async () => {
    const { UploadId, uploaded } = await startUpload('small', [Buffer.from('a'), Buffer.from('b')]);
    const error = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({ Bucket, Key: 'small', UploadId, MultipartUpload: { Parts: uploaded } }),
      ),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['EntityTooSmall', 400]);
  });

  it('aborts an upload; afterwards its id is NoSuchUpload', async () => {
    // Prepare
    const { UploadId } = await startUpload('aborted', [Buffer.from('x')]);

    // Act
    const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'aborted', UploadId }));
    const again = await failure(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'aborted', UploadId })));
    const part = await failure(
      s3.send(new UploadPartCommand({ Bucket, Key: 'aborted', UploadId, PartNumber: 2, Body: 'y' })),
    );

    // Assess
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    for (const error of [again, part]) {
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['NoSuchUpload', 404]);
    }
  });

  it('refuses a part number outside 1..10000', async () => {
    const { UploadId } = await startUpload('numbers', []);
    const error = await failure(
      s3.send(new UploadPartCommand({ Bucket, Key: 'numbers', UploadId, PartNumber: 10001, Body: 'x' })),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidArgument', 400]);
  });
});
