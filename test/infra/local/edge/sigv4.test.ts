// SigV4 verification against what the real SDK's signer produces (@smithy/signature-v4, as every
// AWS SDK v3 client signs), across the caches and shortcuts the verifier takes.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { parseSigV4, signatureMatches, signingKey } from '../../../../infra/local/edge/sigv4.ts';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** Node's crypto in the shape the signer takes (what @aws-crypto/sha256-js gives the SDK). */
class Sha256 {
  readonly #hash;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData) {
    this.#hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.#hash.digest());
  }
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

async function signedRequest(
  signingDate: Date,
  headers: Record<string, string> = {},
  secret = credentials.secretAccessKey,
  // As the Lambda client signs by default: no x-amz-content-sha256 header, so the verifier hashes the body.
  applyChecksum = false,
) {
  const signer = new SignatureV4({
    credentials: { ...credentials, secretAccessKey: secret },
    region: 'us-east-1',
    service: 'lambda',
    sha256: Sha256,
    applyChecksum,
  });
  const body = '{"hello":"world"}';
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: '/2015-03-31/functions/f%3A1/invocations',
      headers: { host: '127.0.0.1:4566', 'content-type': 'application/json', ...headers },
      body,
    },
    { signingDate },
  );
  // As Node's HTTP server hands them over: names in lower case.
  const received = Object.fromEntries(
    Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return {
    method: 'POST',
    rawPath: '/2015-03-31/functions/f%3A1/invocations',
    rawQuery: '',
    headers: received,
    body: Buffer.from(body),
  };
}

const verify = (request: Awaited<ReturnType<typeof signedRequest>>, secret = credentials.secretAccessKey) => {
  const parts = parseSigV4(request.headers, new URLSearchParams());
  if (parts === undefined) throw new Error('not signed');
  return signatureMatches(request, parts, secret);
};

describe('SigV4 verification', () => {
  it('verifies requests signed on different days with the same secret (the cached signing key is per day)', async () => {
    const first = await signedRequest(new Date('2026-03-01T23:59:58Z'));
    const second = await signedRequest(new Date('2026-03-02T00:00:01Z'));
    expect(verify(first)).toBe(true);
    expect(verify(second)).toBe(true);
    expect(verify(first)).toBe(true);
    // A day's key is not another day's.
    expect(signingKey(credentials.secretAccessKey, '20260301', 'us-east-1', 'lambda')).not.toBe(
      signingKey(credentials.secretAccessKey, '20260302', 'us-east-1', 'lambda'),
    );
    expect(
      signingKey(credentials.secretAccessKey, '20260301', 'us-east-1', 'lambda')
        .export()
        .equals(signingKey(credentials.secretAccessKey, '20260302', 'us-east-1', 'lambda').export()),
    ).toBe(false);
  });

  it('refuses a signature made with another secret, after the right one was cached', async () => {
    const right = await signedRequest(new Date('2026-03-01T12:00:00Z'));
    expect(verify(right)).toBe(true);
    const wrong = await signedRequest(new Date('2026-03-01T12:00:00Z'), {}, 'another-secret');
    expect(verify(wrong)).toBe(false);
    expect(verify(right, 'another-secret')).toBe(false);
  });

  it('collapses whitespace in signed header values as the signer does, and notices a changed value', async () => {
    const request = await signedRequest(new Date('2026-03-01T12:00:00Z'), {
      'x-amz-client-context': '  spaced   out\tvalue  ',
      'x-amz-invocation-type': 'RequestResponse',
      // A lone tab, no run: collapsed to a space all the same.
      'x-amz-log-type': 'Tail\tonly',
    });
    expect(verify(request)).toBe(true);
    expect(verify({ ...request, headers: { ...request.headers, 'x-amz-invocation-type': 'Event' } })).toBe(false);
    expect(verify({ ...request, body: Buffer.from('{"hello":"there"}') })).toBe(false);
  });

  it('hashes the body it received, not the x-amz-content-sha256 a client claims (services other than S3)', async () => {
    const at = new Date('2026-03-01T12:00:00Z');
    // Signed with the body's digest in x-amz-content-sha256, as a client may send it.
    const declared = await signedRequest(at, {}, credentials.secretAccessKey, true);
    expect(declared.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(verify(declared)).toBe(true);
    // Another body under the captured signature and header: refused.
    expect(verify({ ...declared, body: Buffer.from('{"hello":"admin"}') })).toBe(false);
    // A signature over UNSIGNED-PAYLOAD does not cover the body, so it does not verify here.
    const unsigned = await signedRequest(at, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    expect(unsigned.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(verify(unsigned)).toBe(false);
  });

  it('reads the Authorization header fields in any order and spacing, and refuses one that lacks a field', () => {
    // Prepare
    const headers = (authorization: string) => ({ authorization, 'x-amz-date': '20260301T120000Z' });
    const credential = 'Credential=AKIDEXAMPLE/20260301/us-east-1/lambda/aws4_request';
    const signature = `Signature=${'a'.repeat(64)}`;

    // Act
    const reordered = parseSigV4(
      headers(`AWS4-HMAC-SHA256 ${signature},SignedHeaders=host;x-amz-date ,  ${credential}`),
      new URLSearchParams(),
    );
    const lacking = () =>
      parseSigV4(headers(`AWS4-HMAC-SHA256 ${credential}, SignedHeaders=host`), new URLSearchParams());

    // Assess
    expect(reordered).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20260301',
      service: 'lambda',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'a'.repeat(64),
    });
    expect(lacking).toThrow(/requires Credential, SignedHeaders and Signature/);
  });
});
