import { createHmac, createSecretKey, hash, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The parts of a SigV4 signature, from the Authorization header or a presigned URL's query. */
export interface SigV4Parts {
  readonly accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** `X-Amz-Date` (basic ISO 8601, e.g. 20240101T000000Z). */
  readonly amzDate: string;
  readonly presigned: boolean;
  /** Seconds a presigned URL stays valid. */
  readonly expires?: number;
}

export class SigV4ParseError extends Error {
  override name = 'SigV4ParseError';
}

const AUTH_PREFIX = 'AWS4-HMAC-SHA256 ';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseScope(credential: string): Pick<SigV4Parts, 'accessKeyId' | 'date' | 'region' | 'service'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new SigV4ParseError(`Credential should be scoped to a valid region and service: '${credential}'.`);
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

/**
 * A `Name=value` field of an Authorization header (`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…`): read in place, on every signed request, without splitting the header up.
 */
function authField(authorization: string, name: string): string | undefined {
  let at = AUTH_PREFIX.length;
  while (at < authorization.length) {
    const comma = authorization.indexOf(',', at);
    const end = comma === -1 ? authorization.length : comma;
    const eq = authorization.indexOf('=', at);
    if (eq > at && eq < end && authorization.slice(at, eq).trim() === name)
      return authorization.slice(eq + 1, end).trim();
    at = end + 1;
  }
  return undefined;
}

/** Reads the signature of a request; `undefined` when the request is not signed at all. */
export function parseSigV4(headers: IncomingHttpHeaders, query: URLSearchParams): SigV4Parts | undefined {
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) {
    if (!authorization.startsWith(AUTH_PREFIX)) {
      throw new SigV4ParseError('Only AWS4-HMAC-SHA256 signatures are supported.');
    }
    const credential = authField(authorization, 'Credential');
    const signedHeaders = authField(authorization, 'SignedHeaders');
    const signature = authField(authorization, 'Signature');
    const amzDate = header(headers, 'x-amz-date');
    if (!credential || !signedHeaders || !signature) {
      throw new SigV4ParseError('Authorization header requires Credential, SignedHeaders and Signature.');
    }
    if (!amzDate) throw new SigV4ParseError('Request must contain an X-Amz-Date header.');
    return {
      ...parseScope(credential),
      signedHeaders: signedHeaders.split(';'),
      signature,
      amzDate,
      presigned: false,
    };
  }
  if (query.get('X-Amz-Algorithm') !== null) {
    const credential = query.get('X-Amz-Credential');
    const signedHeaders = query.get('X-Amz-SignedHeaders');
    const signature = query.get('X-Amz-Signature');
    const amzDate = query.get('X-Amz-Date');
    const expires = Number(query.get('X-Amz-Expires') ?? '900');
    if (!credential || !signedHeaders || !signature || !amzDate) {
      throw new SigV4ParseError(
        'Query-string authentication requires X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature.',
      );
    }
    return {
      ...parseScope(credential),
      signedHeaders: signedHeaders.split(';'),
      signature,
      amzDate,
      presigned: true,
      expires,
    };
  }
  return undefined;
}

/** RFC 3986 encoding, as SigV4 requires (encodeURIComponent leaves !'()* alone). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawKey = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? '' : piece.slice(eq + 1);
    const key = uriEncode(safeDecode(rawKey.replace(/\+/g, '%20')));
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push([key, uriEncode(safeDecode(rawValue.replace(/\+/g, '%20')))]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * S3 signs the path as sent; every other service signs it URI-encoded once more,
 * segment by segment (the SDKs' `uriEscapePath`).
 */
function canonicalPath(rawPath: string, service: string): string {
  if (service === 's3') return rawPath === '' ? '/' : rawPath;
  // The SDKs encode the path they sent once more (`%3A` is signed as `%253A`), so do not decode first.
  return rawPath
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
}

export interface SignedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * Derived signing keys change once a day per credential, region and service: cache them, as
 * KeyObjects. `createHmac` with a Buffer key imports the key anew on every call (~50-100 µs);
 * with a KeyObject it does not (~2-15 µs), and every signed request pays this once.
 */
const signingKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 256;

export function signingKey(secret: string, date: string, region: string, service: string): KeyObject {
  const id = `${secret}\u0000${date}\u0000${region}\u0000${service}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    key = createSecretKey(hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request'));
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(id, key);
  }
  return key;
}

/** Whitespace SigV4 collapses to one space: a run of it, or any that is not a plain space. */
const NEEDS_COLLAPSING = /\s\s|[^\S ]/;

/** `<date>/<region>/<service>/aws4_request`: the scope every string to sign names. */
const credentialScope = (parts: SigV4Parts): string => `${parts.date}/${parts.region}/${parts.service}/aws4_request`;

/** The signature the request should carry if it was signed with `secret`. */
export function expectedSignature(request: SignedRequest, parts: SigV4Parts, secret: string): string {
  let canonicalHeaders = '';
  for (const name of parts.signedHeaders) {
    const raw = request.headers[name];
    const value = (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).trim();
    canonicalHeaders += `${name}:${NEEDS_COLLAPSING.test(value) ? value.replace(/\s+/g, ' ') : value}\n`;
  }
  // S3 signs the payload hash the client declares (UNSIGNED-PAYLOAD, STREAMING-*, or a digest the
  // S3 service checks against the bytes: XAmzContentSHA256Mismatch). Every other service hashes the
  // body it received, so a body changed under a captured signature no longer verifies, whatever
  // x-amz-content-sha256 claims.
  const declared = header(request.headers, 'x-amz-content-sha256');
  const payloadHash = parts.presigned
    ? (declared ?? 'UNSIGNED-PAYLOAD')
    : parts.service === 's3' && declared !== undefined
      ? declared
      : hash('sha256', request.body, 'hex');
  const canonicalRequest = `${request.method}\n${canonicalPath(request.rawPath, parts.service)}\n${canonicalQuery(request.rawQuery, parts.presigned)}\n${canonicalHeaders}\n${parts.signedHeaders.join(';')}\n${payloadHash}`;
  const scope = credentialScope(parts);
  const stringToSign = `AWS4-HMAC-SHA256\n${parts.amzDate}\n${scope}\n${hash('sha256', canonicalRequest, 'hex')}`;
  return createHmac('sha256', signingKey(secret, parts.date, parts.region, parts.service))
    .update(stringToSign, 'utf8')
    .digest('hex');
}

export function signatureMatches(request: SignedRequest, parts: SigV4Parts, secret: string): boolean {
  const expected = Buffer.from(expectedSignature(request, parts, secret), 'utf8');
  const given = Buffer.from(parts.signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Parses `20240101T000000Z` into epoch milliseconds (NaN when malformed). */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** SHA-256 of the empty string, hex: the second hash of every chunk's string to sign. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The signatures of an `aws-chunked` body sent with `x-amz-content-sha256:
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`: each chunk's signature signs its data and the
 * signature before it, starting from the request's own (the seed), so chunks can be neither
 * changed, dropped nor reordered (S3 API reference, "sigv4-streaming" and "sigv4-streaming-trailers").
 */
export class ChunkSignatureChain {
  readonly #key: KeyObject;
  readonly #prefix: string;
  #previous: string;

  constructor(key: KeyObject, amzDate: string, scope: string, seedSignature: string) {
    this.#key = key;
    this.#prefix = `${amzDate}\n${scope}\n`;
    this.#previous = seedSignature;
  }

  /** Checks the next chunk's signature against the SHA-256 (hex) of its data; the chain moves on only when it matches. */
  nextChunk(dataSha256: string, signature: string): boolean {
    return this.#next(
      `AWS4-HMAC-SHA256-PAYLOAD\n${this.#prefix}${this.#previous}\n${EMPTY_SHA256}\n${dataSha256}`,
      signature,
    );
  }

  /** Checks `x-amz-trailer-signature` against the trailing headers (`name:value\n` each, as sent). */
  trailer(canonicalTrailers: string, signature: string): boolean {
    return this.#next(
      `AWS4-HMAC-SHA256-TRAILER\n${this.#prefix}${this.#previous}\n${hash('sha256', canonicalTrailers, 'hex')}`,
      signature,
    );
  }

  #next(stringToSign: string, signature: string): boolean {
    const expected = Buffer.from(createHmac('sha256', this.#key).update(stringToSign, 'utf8').digest('hex'));
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    this.#previous = signature;
    return true;
  }
}

/**
 * The chunk-signature chain of a request whose body is signed chunk by chunk (header-signed, with
 * `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`); undefined otherwise.
 */
export function chunkSignatureChain(
  headers: IncomingHttpHeaders,
  parts: SigV4Parts,
  secret: string,
): ChunkSignatureChain | undefined {
  if (parts.presigned || !isSignedStreaming(header(headers, 'x-amz-content-sha256'))) return undefined;
  return new ChunkSignatureChain(
    signingKey(secret, parts.date, parts.region, parts.service),
    parts.amzDate,
    credentialScope(parts),
    parts.signature,
  );
}

/** `x-amz-content-sha256` values whose body carries a signature per chunk. */
export const isSignedStreaming = (contentSha256: string | undefined): boolean =>
  contentSha256 === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ||
  contentSha256 === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
