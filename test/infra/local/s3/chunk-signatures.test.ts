// Signed aws-chunked bodies (x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD): every
// chunk's signature is checked, chained from the request's seed signature (S3 API reference,
// "sigv4-streaming"). No client of this machine sends signed chunks over HTTP (the AWS CLI and
// boto3 sign the whole payload, the JS SDK sends STREAMING-UNSIGNED-PAYLOAD-TRAILER), so the
// bodies are built here, by a signer checked against the worked example of that page.
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkSignatureChain, signingKey } from '../../../../infra/local/edge/sigv4.ts';
import { AwsChunkedDecoder, decodeAwsChunked } from '../../../../infra/local/s3/chunked.ts';
import { S3Error } from '../../../../infra/local/s3/errors.ts';
import { type S3TestCloud, s3Client, startS3Edge } from '../../../helpers/s3-cloud.ts';

/** What the SDK's signer hands its hash (strings, buffers, views) as Node's crypto takes it. */
const bytesOf = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmacHex = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** A signer of chunks as the sigv4-streaming page describes it, independent of the verifier. */
function chunkSigner(secret: string, amzDate: string, region: string, seed: string) {
  const date = amzDate.slice(0, 8);
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
  const scope = `${date}/${region}/s3/aws4_request`;
  let previous = seed;
  return {
    chunk(data: Buffer): string {
      previous = hmacHex(
        key,
        ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, sha256(''), sha256(data)].join('\n'),
      );
      return previous;
    },
    trailer(canonical: string): string {
      previous = hmacHex(key, ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, previous, sha256(canonical)].join('\n'));
      return previous;
    },
  };
}

/** `<hex size>;chunk-signature=<sig>\r\n<data>\r\n` for each piece of data, then the signed empty chunk. */
function signedBody(signer: ReturnType<typeof chunkSigner>, pieces: readonly Buffer[], trailer = ''): Buffer {
  const parts: Buffer[] = [];
  for (const data of [...pieces, Buffer.alloc(0)]) {
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${signer.chunk(data)}\r\n`), data);
    if (data.length > 0) parts.push(Buffer.from('\r\n'));
  }
  if (trailer !== '') {
    parts.push(
      Buffer.from(`${trailer}x-amz-trailer-signature:${signer.trailer(trailer.replaceAll('\r\n', '\n'))}\r\n`),
    );
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

// The worked example of the sigv4-streaming page: 65 KiB of 'a' sent as a 64 KiB and a 1 KiB chunk.
const EXAMPLE = {
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  amzDate: '20130524T000000Z',
  seed: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  signatures: [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ],
};
const examplePieces = [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a')];
const exampleChain = () =>
  new ChunkSignatureChain(
    signingKey(EXAMPLE.secret, '20130524', 'us-east-1', 's3'),
    EXAMPLE.amzDate,
    '20130524/us-east-1/s3/aws4_request',
    EXAMPLE.seed,
  );
const exampleBody = () =>
  signedBody(chunkSigner(EXAMPLE.secret, EXAMPLE.amzDate, 'us-east-1', EXAMPLE.seed), examplePieces);

describe('chunk signatures (sigv4-streaming)', () => {
  it("signs the documentation's example as AWS does (the test's signer is right)", () => {
    const signer = chunkSigner(EXAMPLE.secret, EXAMPLE.amzDate, 'us-east-1', EXAMPLE.seed);
    expect([...examplePieces, Buffer.alloc(0)].map((data) => signer.chunk(data))).toEqual(EXAMPLE.signatures);
  });

  it("verifies the documentation's example, in whatever pieces the body arrives", () => {
    // Prepare: the body as one piece, and cut at awkward places (inside a header line, inside a CRLF).
    const body = exampleBody();
    const cuts = [3, 50, 87, 65_620, 65_621, 66_700, body.length - 2];
    const pieces = cuts.map((end, i) => body.subarray(i === 0 ? 0 : cuts[i - 1], end));
    pieces.push(body.subarray(cuts.at(-1)));

    // Act
    const whole = decodeAwsChunked(body, 66_560, exampleChain());
    const cut = decodeAwsChunked(pieces, 66_560, exampleChain());

    // Assess
    for (const decoded of [whole, cut]) {
      expect(decoded.size).toBe(66_560);
      expect(Buffer.concat(decoded.chunks).equals(Buffer.alloc(66_560, 'a'))).toBe(true);
    }
  });

  it.each([
    ['a changed data byte', (body: Buffer) => body.fill('b', 100, 101)],
    ['a changed signature', (body: Buffer) => body.fill('0', 20, 21)],
    [
      'a signature left out',
      (body: Buffer) => Buffer.from(body.toString('latin1').replace(/;chunk-signature=\w+/, ''), 'latin1'),
    ],
    [
      'the chunks in another order',
      // Framed, the 64 KiB chunk is its 88-byte header line, its data and CRLF: 65,626 bytes; the 1 KiB one 1,112.
      (body: Buffer) => Buffer.concat([body.subarray(65_626, 66_738), body.subarray(0, 65_626), body.subarray(66_738)]),
    ],
  ])('answers SignatureDoesNotMatch (403) for %s, at the chunk', (_label, tamper) => {
    // Prepare
    const body = tamper(exampleBody());

    // Act
    const attempt = () => decodeAwsChunked(body, undefined, exampleChain());

    // Assess
    expect(attempt).toThrow(S3Error);
    expect(attempt).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch', status: 403 }));
  });

  it('stops at the first bad chunk, before the rest of the body arrives', () => {
    // Prepare
    const body = exampleBody().fill('b', 100, 101);
    const decoder = new AwsChunkedDecoder(exampleChain());

    // Act: the first chunk (88-byte header line, data, CRLF), nothing more.
    const attempt = () => decoder.push(body.subarray(0, 88 + 65_536 + 2));

    // Assess
    expect(attempt).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
  });

  it('verifies signed trailing headers (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER) and refuses a changed one', () => {
    // Prepare
    const trailer = 'x-amz-checksum-crc32:DUoRhQ==\r\n';
    const body = signedBody(
      chunkSigner(EXAMPLE.secret, EXAMPLE.amzDate, 'us-east-1', EXAMPLE.seed),
      [Buffer.from('hello world')],
      trailer,
    );
    const changed = Buffer.from(body.toString('latin1').replace('DUoRhQ==', 'AAAAAA=='), 'latin1');

    // Act
    const decoded = decodeAwsChunked(body, 11, exampleChain());
    const attempt = () => decodeAwsChunked(changed, 11, exampleChain());

    // Assess
    expect(decoded.trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
    expect(decoded.trailers.has('x-amz-trailer-signature')).toBe(false);
    expect(attempt).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
  });
});

describe('signed chunks through the edge (real HTTP, SigV4 seed signed by the SDK signer)', () => {
  let cloud: S3TestCloud;
  let s3: S3Client;
  const Bucket = 'chunk-signatures';

  beforeAll(async () => {
    cloud = await startS3Edge();
    s3 = s3Client(cloud);
    await s3.send(new CreateBucketCommand({ Bucket }));
  });
  afterAll(async () => {
    s3.destroy();
    await cloud.close();
  });

  /** PUT `key` with a body signed chunk by chunk; `tamper` changes the framed body after signing. */
  async function putSigned(key: string, pieces: readonly Buffer[], tamper: (body: Buffer) => Buffer = (b) => b) {
    const size = pieces.reduce((sum, piece) => sum + piece.length, 0);
    const signingDate = new Date();
    const signer = new SignatureV4({
      credentials: cloud.credentials,
      region: 'us-east-1',
      service: 's3',
      sha256: class {
        readonly #hash;
        constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
          this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
        }
        update(data: string | ArrayBuffer | ArrayBufferView) {
          this.#hash.update(bytesOf(data));
        }
        async digest() {
          return new Uint8Array(this.#hash.digest());
        }
      },
    });
    const { host } = new URL(cloud.endpoint);
    const headers: Record<string, string> = {
      host,
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(size),
    };
    // The framed length is known before signing: each chunk's header line has a fixed-size signature.
    const framedLength = signedBody(chunkSigner('x', '20000101T000000Z', 'us-east-1', 'x'), pieces).length;
    headers['content-length'] = String(framedLength);
    const signed = await signer.sign(
      { method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', path: `/${Bucket}/${key}`, headers },
      { signingDate },
    );
    const authorization = String(signed.headers.authorization);
    const amzDate = String(signed.headers['x-amz-date']);
    const seed = /Signature=([0-9a-f]{64})/.exec(authorization)![1]!;
    const body = tamper(signedBody(chunkSigner(cloud.credentials.secretAccessKey, amzDate, 'us-east-1', seed), pieces));
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${cloud.endpoint}/${Bucket}/${key}`,
        { method: 'PUT', headers: signed.headers as Record<string, string> },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      // Written in several pieces, as a client streaming an upload does.
      for (let at = 0; at < body.length; at += 10_000) req.write(body.subarray(at, at + 10_000));
      req.end();
    });
  }

  it('stores an upload whose every chunk is signed', async () => {
    // Prepare
    const pieces = [Buffer.alloc(70_000, 1), Buffer.alloc(8_192, 2), Buffer.from('end')];

    // Act
    const put = await putSigned('signed.bin', pieces);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'signed.bin' }));

    // Assess
    expect(put.status).toBe(200);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(pieces))).toBe(true);
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('answers a changed chunk with 403 SignatureDoesNotMatch in S3 <Error> XML, and stores nothing', async () => {
    // Act: one byte of the second chunk changed after signing.
    const put = await putSigned('tampered.bin', [Buffer.alloc(70_000, 1), Buffer.alloc(8_192, 2)], (body) =>
      body.fill(9, 70_200, 70_201),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'tampered.bin' })).catch((error: Error) => error);

    // Assess
    expect(put.status).toBe(403);
    expect(put.text).toMatch(
      /^<\?xml[^>]*\?>\s*<Error><Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match/,
    );
    expect((got as Error).name).toBe('NoSuchKey');
  });

  it('still stores the SDK default upload (STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer)', async () => {
    // Prepare: a stream of unknown framing length, as the SDK sends a Readable body.
    const { Readable } = await import('node:stream');
    const data = Buffer.alloc(200_000, 5);

    // Act
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'unsigned-trailer.bin',
        Body: Readable.from([data]),
        ContentLength: data.length,
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'unsigned-trailer.bin' }));

    // Assess
    expect(put.ChecksumCRC32).toBeDefined();
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
  });
});
