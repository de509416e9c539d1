import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
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

beforeAll(async () => {
  cloud = await startS3Cloud();
  s3 = s3Client(cloud);
  Bucket = bucketName('objects');
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

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
type RecordedError = { Error: Record<string, string>; ResponseMetadata: { HTTPStatusCode: number } };

describe('PutObject / GetObject / HeadObject', () => {
  it('round-trips bytes, ETag, Last-Modified, metadata and representation headers', async () => {
    // Prepare
    const Key = 'docs/report 2024.txt';
    const before = Date.now() - 1000;

    // Act
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: 'hello world',
        ContentType: 'text/plain; charset=utf-8',
        ContentEncoding: 'identity',
        CacheControl: 'max-age=60',
        ContentDisposition: 'attachment; filename="report.txt"',
        ContentLanguage: 'en',
        Metadata: { author: 'ada', 'x-trace': 'abc' },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    const body = await got.Body!.transformToString();
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));

    // Assess
    expect(put.ETag).toBe(`"${md5('hello world')}"`);
    expect(body).toBe('hello world');
    for (const response of [got, head]) {
      expect(response.ETag).toBe(put.ETag);
      expect(response.ContentLength).toBe(11);
      expect(response.ContentType).toBe('text/plain; charset=utf-8');
      expect(response.ContentEncoding).toBe('identity');
      expect(response.CacheControl).toBe('max-age=60');
      expect(response.ContentDisposition).toBe('attachment; filename="report.txt"');
      expect(response.ContentLanguage).toBe('en');
      expect(response.Metadata).toEqual({ author: 'ada', 'x-trace': 'abc' });
      expect(response.AcceptRanges).toBe('bytes');
      expect(response.LastModified!.getTime()).toBeGreaterThan(before);
    }
  });

  it('answers like the recorded HeadObject/GetObject: binary/octet-stream default, AES256, CRC32 checksum', async () => {
    // Prepare
    const recorded = loadRecording<Record<string, Record<string, unknown>>>('s3-error-nosuchkey.json').response!;
    await s3.send(new PutObjectCommand({ Bucket, Key: 'recorded', Body: 'something' }));

    // Act
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'recorded', ChecksumMode: 'ENABLED' }));
    const body = await got.Body!.transformToString();

    // Assess
    expect(body).toBe(recorded.Body);
    expect(got.ETag).toBe(recorded.ETag);
    // (ContentType: SDK v3 itself sends application/octet-stream; the binary/octet-stream default is tested in routing.test.ts.)
    expect(got.ContentLength).toBe(recorded.ContentLength);
    expect(got.ServerSideEncryption).toBe(recorded.ServerSideEncryption);
    expect(got.ChecksumCRC32).toBe(recorded.ChecksumCRC32);
    expect(got.ChecksumType).toBe(recorded.ChecksumType);
    expect(got.Metadata).toEqual(recorded.Metadata);
  });

  it('stores an empty object with the MD5 of nothing', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'empty', Body: '' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'empty' }));
    expect(put.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    expect(head.ContentLength).toBe(0);
  });

  it('decodes an aws-chunked streamed upload (Readable body + ContentLength) with its checksum trailer', async () => {
    // Prepare
    const data = Buffer.alloc(300 * 1024, 7);
    data.write('start');
    const Body = Readable.from([data.subarray(0, 100_000), data.subarray(100_000, 250_000), data.subarray(250_000)]);

    // Act
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'streamed.bin', Body, ContentLength: data.length }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'streamed.bin' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());

    // Assess
    expect(put.ETag).toBe(`"${md5(data)}"`);
    expect(put.ChecksumCRC32).toBeDefined();
    expect(bytes.equals(data)).toBe(true);
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('refuses a body whose checksum does not match (BadDigest)', async () => {
    const error = await failure(
      s3.send(new PutObjectCommand({ Bucket, Key: 'bad-sum', Body: 'abc', ChecksumCRC32: 'AAAAAA==' })),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['BadDigest', 400]);
  });

  it('refuses a body that is not what the signed x-amz-content-sha256 says, and stores nothing', async () => {
    // Prepare: a client that signs the digest of other bytes than it sends.
    const claimed = createHash('sha256').update('other bytes').digest('hex');
    const lying = s3Client(cloud);
    lying.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers['x-amz-content-sha256'] = claimed;
        return next(args);
      },
      { step: 'build', name: 'wrongPayloadHash' },
    );

    // Act
    const error = await failure(lying.send(new PutObjectCommand({ Bucket, Key: 'sha-mismatch', Body: 'abc' })));
    lying.destroy();

    // Assess: S3's error names both digests (AWS error reference, XAmzContentSHA256Mismatch).
    expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    ]);
    expect(error).toMatchObject({
      ClientComputedContentSHA256: claimed,
      S3ComputedContentSHA256: createHash('sha256').update('abc').digest('hex'),
    });
    const head = await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'sha-mismatch' })));
    expect(head.$metadata.httpStatusCode).toBe(404);
  });

  it.each([
    ['bytes=0-4', 206, 'hello', 'bytes 0-4/11'],
    ['bytes=6-', 206, 'world', 'bytes 6-10/11'],
    ['bytes=-3', 206, 'rld', 'bytes 8-10/11'],
    ['bytes=6-100', 206, 'world', 'bytes 6-10/11'],
  ])('serves Range %s with 206 and Content-Range', async (Range, status, expected, contentRange) => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket, Key: 'range.txt', Body: 'hello world' }));

    // Act
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'range.txt', Range }));

    // Assess
    expect(got.$metadata.httpStatusCode).toBe(status);
    expect(await got.Body!.transformToString()).toBe(expected);
    expect(got.ContentRange).toBe(contentRange);
    expect(got.ContentLength).toBe(expected.length);
  });

  it('answers InvalidRange 416 for a range past the end', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'range.txt', Body: 'hello world' }));
    const error = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'range.txt', Range: 'bytes=20-30' })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidRange', 416]);
    expect(error.message).toBe('The requested range is not satisfiable');
  });

  it('answers NoSuchKey like the recording, with the Key', async () => {
    // Prepare
    const recorded = loadRecording<Record<string, RecordedError>>('s3-error-nosuchkey.json')['wrong-case-key']!;

    // Act
    const error = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'camelcasekey' })));

    // Assess
    expect(error.name).toBe(recorded.Error.Code);
    expect(error.message).toBe(recorded.Error.Message);
    expect(error.$metadata.httpStatusCode).toBe(recorded.ResponseMetadata.HTTPStatusCode);
    expect((error as unknown as { Key: string }).Key).toBe('camelcasekey');
  });

  it('answers HeadObject of a missing key with a bare 404 (NotFound), like the recording', async () => {
    const recorded = loadRecording<Record<string, RecordedError>>('s3-error-headobject-404.json')['head-object-404']!;
    const error = await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'nope' })));
    expect(error.name).toBe('NotFound');
    expect(error.$metadata.httpStatusCode).toBe(recorded.ResponseMetadata.HTTPStatusCode);
  });

  it('answers NoSuchBucket for GetObject on a missing bucket', async () => {
    const error = await failure(s3.send(new GetObjectCommand({ Bucket: bucketName('missing'), Key: 'k' })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
  });

  it('honours If-None-Match (304) and If-Match (412) on GetObject', async () => {
    // Prepare
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'cond', Body: 'v1' }));

    // Act
    const notModified = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'cond', IfNoneMatch: put.ETag })));
    const failed = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'cond', IfMatch: '"0000"' })));

    // Assess
    expect(notModified.$metadata.httpStatusCode).toBe(304);
    expect([failed.name, failed.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
  });

  it('refuses an overwrite with If-None-Match: * (conditional write)', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'v1' }));
    const error = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'v2', IfNoneMatch: '*' })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
  });

  it('refuses a key longer than 1024 bytes (KeyTooLongError)', async () => {
    const error = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'k'.repeat(1025), Body: 'x' })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['KeyTooLongError', 400]);
  });

  it.each([
    ['spaces and plus', 'a b+c.txt'],
    ['unicode', 'fotos/été/日本.jpg'],
    ['reserved characters', "weird/?#[]@!$&'()*,;=%.txt"],
    ['dot segments', '../escape/../../x'],
    ['leading slash', '/rooted'],
  ])('keeps keys with %s intact', async (_label, Key) => {
    // Act
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));

    // Assess
    expect(await got.Body!.transformToString()).toBe(Key);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: Key }));
    expect(listed.Contents?.map((c) => c.Key)).toContain(Key);
  });
});

describe('DeleteObject / DeleteObjects', () => {
  it('deletes an object (204) and deleting it again still succeeds', async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket, Key: 'gone', Body: 'x' }));

    // Act
    const first = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone' }));
    const second = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone' }));
    const error = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'gone' })));

    // Assess
    expect(first.$metadata.httpStatusCode).toBe(204);
    expect(second.$metadata.httpStatusCode).toBe(204);
    expect(error.name).toBe('NoSuchKey');
  });

  it.each([
    [false, ['m1', 'm2', 'never-existed']],
    [true, []],
  ])('DeleteObjects with Quiet=%s lists %j as deleted', async (Quiet, expected) => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket, Key: 'm1', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'm2', Body: '2' }));

    // Act
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Quiet, Objects: [{ Key: 'm1' }, { Key: 'm2' }, { Key: 'never-existed' }] },
      }),
    );
    const remaining = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'm' }));

    // Assess
    expect((result.Deleted ?? []).map((d) => d.Key)).toEqual(expected);
    expect(result.Errors ?? []).toEqual([]);
    expect(remaining.KeyCount).toBe(0);
  });
});

describe('CopyObject', () => {
  it('copies bytes and metadata (COPY directive), URL-encoding the source', async () => {
    // Prepare
    const source = 'src dir/ünïcode & co.txt';
    await s3.send(
      new PutObjectCommand({ Bucket, Key: source, Body: 'payload', ContentType: 'text/plain', Metadata: { a: '1' } }),
    );

    // Act
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'copied.txt', CopySource: encodeURIComponent(`${Bucket}/${source}`) }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'copied.txt' }));

    // Assess
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5('payload')}"`);
    expect(copy.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    expect(await got.Body!.transformToString()).toBe('payload');
    expect(got.ContentType).toBe('text/plain');
    expect(got.Metadata).toEqual({ a: '1' });
  });

  it('replaces metadata with the REPLACE directive, also onto the same key', async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket, Key: 'meta', Body: 'x', Metadata: { old: 'yes' } }));

    // Act
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'meta',
        CopySource: `${Bucket}/meta`,
        MetadataDirective: 'REPLACE',
        ContentType: 'application/json',
        Metadata: { fresh: 'yes' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'meta' }));

    // Assess
    expect(head.Metadata).toEqual({ fresh: 'yes' });
    expect(head.ContentType).toBe('application/json');
  });

  it('refuses copying an object onto itself without changes (InvalidRequest)', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'self', Body: 'x' }));
    const error = await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'self', CopySource: `${Bucket}/self` })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidRequest', 400]);
  });

  it.each([
    ['source bucket', 'copy-object-src-bucket-not-exists', () => bucketName('missing'), 'k', 'BucketName'],
    ['source key', 'copy-object-src-object-not-exists', () => Bucket, 'random-src-key', 'Key'],
  ])(
    'answers like the recording when the %s does not exist',
    async (_label, recordingKey, sourceBucket, sourceKey, field) => {
      // Prepare
      const recorded = loadRecording<Record<string, RecordedError>>('s3-error-copyobject-source-missing.json')[
        recordingKey
      ]!;
      const CopySource = `${sourceBucket()}/${sourceKey}`;

      // Act
      const error = await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'dest', CopySource })));

      // Assess
      expect(error.name).toBe(recorded.Error.Code);
      expect(error.message).toBe(recorded.Error.Message);
      expect(error.$metadata.httpStatusCode).toBe(recorded.ResponseMetadata.HTTPStatusCode);
      expect((error as unknown as Record<string, string>)[field]).toBe(
        field === 'Key' ? sourceKey : CopySource.split('/')[0],
      );
    },
  );

  it('refuses an unknown metadata directive (InvalidArgument)', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'dir-src', Body: 'x' }));
    const error = await failure(
      s3.send(
        new CopyObjectCommand({
          Bucket,
          Key: 'dir-dst',
          CopySource: `${Bucket}/dir-src`,
          MetadataDirective: 'MOVE' as 'COPY',
        }),
      ),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidArgument', 400]);
  });
});
