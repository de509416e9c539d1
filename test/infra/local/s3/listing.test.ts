import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, type S3TestCloud, s3Client, startS3Cloud } from '../../../helpers/s3-cloud.ts';
import { loadRecording } from '../../../helpers/s3-recordings.ts';

let cloud: S3TestCloud;
let s3: S3Client;
let Bucket: string;
const KEYS = [
  'a.txt',
  'photos/2024/jan.jpg',
  'photos/2024/feb.jpg',
  'photos/2025/mar.jpg',
  'photos/cover.jpg',
  'z z.txt',
];

beforeAll(async () => {
  cloud = await startS3Cloud();
  s3 = s3Client(cloud);
  Bucket = bucketName('listing');
  await s3.send(new CreateBucketCommand({ Bucket }));
  for (const Key of KEYS) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
});
afterAll(async () => {
  s3?.destroy();
  await cloud?.close();
});

describe('ListObjectsV2', () => {
  it('lists every key in UTF-8 order with size, ETag, LastModified and storage class', async () => {
    // Act
    const result = await s3.send(new ListObjectsV2Command({ Bucket }));

    // Assess
    expect(result.Contents?.map((c) => c.Key)).toEqual([...KEYS].sort());
    expect(result.KeyCount).toBe(KEYS.length);
    expect(result.IsTruncated).toBe(false);
    expect(result.Name).toBe(Bucket);
    const first = result.Contents![0]!;
    expect(first.Size).toBe('a.txt'.length);
    expect(first.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.LastModified).toBeInstanceOf(Date);
    expect(first.StorageClass).toBe('STANDARD');
  });

  it.each([
    [
      { Prefix: 'photos/' },
      ['photos/2024/feb.jpg', 'photos/2024/jan.jpg', 'photos/2025/mar.jpg', 'photos/cover.jpg'],
      [],
    ],
    [{ Delimiter: '/' }, ['a.txt', 'z z.txt'], ['photos/']],
    [{ Prefix: 'photos/', Delimiter: '/' }, ['photos/cover.jpg'], ['photos/2024/', 'photos/2025/']],
    [{ StartAfter: 'photos/2025/mar.jpg' }, ['photos/cover.jpg', 'z z.txt'], []],
    [{ Prefix: 'nothing/' }, [], []],
  ])('lists %j', async (params, keys, prefixes) => {
    // Act
    const result = await s3.send(new ListObjectsV2Command({ Bucket, ...params }));

    // Assess
    expect((result.Contents ?? []).map((c) => c.Key)).toEqual(keys);
    expect((result.CommonPrefixes ?? []).map((p) => p.Prefix)).toEqual(prefixes);
    expect(result.KeyCount).toBe(keys.length + prefixes.length);
  });

  it('pages with MaxKeys and continuation tokens, common prefixes counting as entries', async () => {
    // Act
    const pages: { keys: string[]; prefixes: string[] }[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 1, ContinuationToken }));
      expect(page.MaxKeys).toBe(1);
      pages.push({
        keys: (page.Contents ?? []).map((c) => c.Key!),
        prefixes: (page.CommonPrefixes ?? []).map((p) => p.Prefix!),
      });
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);

    // Assess
    expect(pages).toEqual([
      { keys: ['a.txt'], prefixes: [] },
      { keys: [], prefixes: ['photos/'] },
      { keys: ['z z.txt'], prefixes: [] },
    ]);
  });

  it('URL-encodes keys with EncodingType=url', async () => {
    const result = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'z', EncodingType: 'url' }));
    expect(result.EncodingType).toBe('url');
    expect(result.Contents?.map((c) => c.Key)).toEqual(['z+z.txt']);
  });

  it.each([
    ['a bad continuation token', { ContinuationToken: '!!!' }, 'InvalidArgument'],
    ['a bad encoding type', { EncodingType: 'base64' as 'url' }, 'InvalidArgument'],
  ])('refuses %s', async (_label, params, code) => {
    const error = await s3.send(new ListObjectsV2Command({ Bucket, ...params })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect([(error as S3ServiceException).name, (error as S3ServiceException).$metadata.httpStatusCode]).toEqual([
      code,
      400,
    ]);
  });

  it('answers NoSuchBucket like the recording (path-style and virtual-hosted-style)', async () => {
    // Prepare
    const recorded = loadRecording<Record<string, { Error: Record<string, string> }>>(
      's3-error-nosuchbucket-listobjects.json',
    );
    const missing = bucketName('missing');

    // Act
    const error = (await s3
      .send(new ListObjectsCommand({ Bucket: missing }))
      .catch((e: unknown) => e)) as S3ServiceException;

    // Assess
    expect(error.name).toBe(recorded.list_object!.Error.Code);
    expect(error.message).toBe(recorded.list_object!.Error.Message);
    expect((error as unknown as { BucketName: string }).BucketName).toBe(missing);
  });
});

describe('ListObjects (v1)', () => {
  it('pages with Marker/NextMarker and rolls up common prefixes', async () => {
    // Act
    const first = await s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', MaxKeys: 2 }));
    const second = await s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', Marker: first.NextMarker }));

    // Assess
    expect(first.Contents?.map((c) => c.Key)).toEqual(['a.txt']);
    expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/']);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBe('photos/');
    expect(second.Contents?.map((c) => c.Key)).toEqual(['z z.txt']);
    expect(second.IsTruncated).toBe(false);
  });
});
