import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeS3Key, handler } from '../../../scenarios/thumbnails/handler.ts';
import { fakeContext } from '../helpers/context.ts';
import { s3Event, s3ObjectCreatedRecord } from '../helpers/events.ts';
import { fakeClient } from '../helpers/fake-aws.ts';

let photo: Buffer;
let objects: Map<string, Uint8Array>;
let s3: ReturnType<typeof fakeClient>;

const body = (bytes: Uint8Array) => ({ transformToByteArray: async () => bytes });

beforeAll(async () => {
  photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();
});

beforeEach(() => {
  vi.stubEnv('THUMBNAIL_BUCKET', 'photos-thumbnails');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  objects = new Map();
  s3 = fakeClient(S3Client, {
    [GetObjectCommand.name]: (input) => {
      const bytes = objects.get(`${input.Bucket}/${input.Key}`);
      if (bytes === undefined)
        throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { Body: body(bytes), ContentType: 'image/jpeg' };
    },
    [PutObjectCommand.name]: () => ({ ETag: '"etag"' }),
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('thumbnails handler', () => {
  it('writes a 200 px wide JPEG under the same key in THUMBNAIL_BUCKET', async () => {
    // GIVEN a photo in the photos bucket
    objects.set('photos/cat.jpg', photo);
    // WHEN S3 reports it created
    const result = await handler(s3Event(s3ObjectCreatedRecord({ key: 'cat.jpg' })), fakeContext());
    // THEN the thumbnail is 200 px wide, keeps the aspect ratio and is a JPEG
    const [put] = s3.inputsOf(PutObjectCommand.name);
    expect(put).toMatchObject({ Bucket: 'photos-thumbnails', Key: 'cat.jpg', ContentType: 'image/jpeg' });
    const metadata = await sharp(put!.Body as Buffer).metadata();
    expect(metadata).toMatchObject({ width: 200, height: 150, format: 'jpeg' });
    expect(result.written).toEqual([
      { bucket: 'photos-thumbnails', key: 'cat.jpg', bytes: (put!.Body as Buffer).length },
    ]);
  });

  it('keeps PNG as PNG', async () => {
    objects.set('photos/logo.png', await sharp(photo).png().toBuffer());
    await handler(s3Event(s3ObjectCreatedRecord({ key: 'logo.png' })), fakeContext());
    const [put] = s3.inputsOf(PutObjectCommand.name);
    expect(put?.ContentType).toBe('image/png');
    expect((await sharp(put!.Body as Buffer).metadata()).format).toBe('png');
  });

  it('decodes URL-encoded keys, with + for a space', async () => {
    // GIVEN "summer trip/beach & sun.jpg", which S3 sends as summer+trip/beach+%26+sun.jpg
    objects.set('photos/summer trip/beach & sun.jpg', photo);
    await handler(s3Event(s3ObjectCreatedRecord({ key: 'summer+trip/beach+%26+sun.jpg' })), fakeContext());
    expect(s3.inputsOf(GetObjectCommand.name)[0]?.Key).toBe('summer trip/beach & sun.jpg');
    expect(s3.inputsOf(PutObjectCommand.name)[0]?.Key).toBe('summer trip/beach & sun.jpg');
  });

  it.each([
    ['summer+trip.jpg', 'summer trip.jpg'],
    ['a%2Bb.png', 'a+b.png'],
    ['caf%C3%A9.jpeg', 'café.jpeg'],
  ])('decodeS3Key(%j) is %j', (encoded, decoded) => {
    expect(decodeS3Key(encoded)).toBe(decoded);
  });

  it('skips a non-image extension without reading it or throwing', async () => {
    const result = await handler(s3Event(s3ObjectCreatedRecord({ key: 'notes.txt' })), fakeContext());
    expect(s3.sent).toEqual([]);
    expect(result.skipped).toEqual([{ key: 'notes.txt', reason: expect.stringContaining('not an image') }]);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('"reason":"not an image extension'));
  });

  it('skips a .jpg that is not an image, logging why, without throwing (retries cannot help)', async () => {
    objects.set('photos/fake.jpg', new TextEncoder().encode('this is not a JPEG'));
    const result = await handler(s3Event(s3ObjectCreatedRecord({ key: 'fake.jpg' })), fakeContext());
    expect(s3.inputsOf(PutObjectCommand.name)).toEqual([]);
    expect(result.skipped[0]?.reason).toBe('not a readable image');
  });

  it('refuses to write into the bucket that triggered it (recursive trigger)', async () => {
    objects.set('photos-thumbnails/cat.jpg', photo);
    const result = await handler(
      s3Event(s3ObjectCreatedRecord({ bucket: 'photos-thumbnails', key: 'cat.jpg' })),
      fakeContext(),
    );
    expect(s3.sent).toEqual([]);
    expect(result.skipped[0]?.reason).toMatch(/recursive/);
    expect(console.error).toHaveBeenCalled();
  });

  it('skips objects larger than MAX_SOURCE_BYTES', async () => {
    vi.stubEnv('MAX_SOURCE_BYTES', '10');
    const result = await handler(s3Event(s3ObjectCreatedRecord({ key: 'big.jpg', size: 11 })), fakeContext());
    expect(s3.sent).toEqual([]);
    expect(result.skipped[0]?.reason).toBe('object too large');
  });

  it('throws when S3 fails, so Lambda retries the async invocation', async () => {
    s3.on(GetObjectCommand.name, () => {
      throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
    });
    await expect(handler(s3Event(s3ObjectCreatedRecord()), fakeContext())).rejects.toThrow(/reduce your request rate/);
  });

  it('names the missing variable when THUMBNAIL_BUCKET is not set', async () => {
    vi.stubEnv('THUMBNAIL_BUCKET', '');
    await expect(handler(s3Event(s3ObjectCreatedRecord()), fakeContext())).rejects.toThrow(
      /Environment variable THUMBNAIL_BUCKET is not set/,
    );
  });
});
