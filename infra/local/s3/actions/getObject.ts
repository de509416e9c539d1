import type { Readable } from 'node:stream';
import type { ServiceResponse } from '../../edge/types.ts';
import {
  baseHeaders,
  checksumHeaders,
  header,
  httpDate,
  requireObject,
  type S3Action,
  type S3Context,
} from '../context.ts';
import { S3Error } from '../errors.ts';
import type { ObjectRecord } from '../store.ts';

/** `Range: bytes=a-b | a- | -n`; undefined when absent or not a single byte range (S3 then sends it all). */
export function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const unsatisfiable = () => new S3Error('InvalidRange', undefined, { RangeRequested: value, ActualObjectSize: size });
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}

/** Query parameters that override response headers (presigned downloads use them). */
const OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

export function objectHeaders(object: ObjectRecord): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': object.contentType ?? 'binary/octet-stream',
    etag: `"${object.etag}"`,
    'last-modified': httpDate(object.lastModified),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
  };
  if (object.contentEncoding) headers['content-encoding'] = object.contentEncoding;
  if (object.cacheControl) headers['cache-control'] = object.cacheControl;
  if (object.contentDisposition) headers['content-disposition'] = object.contentDisposition;
  if (object.contentLanguage) headers['content-language'] = object.contentLanguage;
  if (object.expires) headers.expires = object.expires;
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

/** HTTP preconditions of GET/HEAD: 412 for If-Match/If-Unmodified-Since, 304 for If-None-Match/If-Modified-Since. */
function preconditions(ctx: S3Context, object: ObjectRecord): ServiceResponse | undefined {
  const ifMatch = header(ctx, 'if-match');
  const ifNoneMatch = header(ctx, 'if-none-match');
  const modified = Math.floor(Date.parse(object.lastModified) / 1000) * 1000;
  const tags = (value: string) => value.split(',').map((t) => t.trim().replace(/^W\//, '').replaceAll('"', ''));
  const etagIn = (value: string) => tags(value).some((t) => t === '*' || t === object.etag);
  if (ifMatch !== undefined && !etagIn(ifMatch))
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  const ifUnmodified = header(ctx, 'if-unmodified-since');
  if (ifMatch === undefined && ifUnmodified !== undefined && modified > Date.parse(ifUnmodified)) {
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Unmodified-Since' });
  }
  const ifModified = header(ctx, 'if-modified-since');
  const notModified =
    ifNoneMatch !== undefined
      ? etagIn(ifNoneMatch)
      : ifModified !== undefined && !Number.isNaN(Date.parse(ifModified)) && modified <= Date.parse(ifModified);
  if (notModified) {
    return {
      status: 304,
      headers: { ...baseHeaders(ctx), etag: `"${object.etag}"`, 'last-modified': httpDate(object.lastModified) },
    };
  }
  return undefined;
}

/** GetObject and HeadObject: same headers, HEAD without the bytes. */
export async function readObject(ctx: S3Context, withBody: boolean): Promise<ServiceResponse> {
  if (ctx.request.query.has('partNumber')) {
    throw new S3Error('NotImplemented', 'The local cloud does not implement GetObject/HeadObject with partNumber.');
  }
  const object = requireObject(ctx);
  const notModified = preconditions(ctx, object);
  if (notModified) return notModified;
  const range = parseRange(header(ctx, 'range'), object.size);
  const headers: Record<string, string> = { ...baseHeaders(ctx), ...objectHeaders(object) };
  for (const [param, name] of Object.entries(OVERRIDES)) {
    const value = ctx.request.query.get(param);
    if (value !== null) headers[name] = value;
  }
  // Checksums are only returned for whole objects, and when asked for (x-amz-checksum-mode: ENABLED).
  if (range === undefined && header(ctx, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    Object.assign(headers, checksumHeaders(object.checksum));
  }
  if (object.partsCount !== undefined) headers['x-amz-mp-parts-count'] = String(object.partsCount);
  const length = range === undefined ? object.size : range.end - range.start + 1;
  headers['content-length'] = String(length);
  if (range !== undefined) headers['content-range'] = `bytes ${range.start}-${range.end}/${object.size}`;
  const status = range === undefined ? 200 : 206;
  if (!withBody) return { status, headers };
  let body: Readable;
  try {
    // Streamed from the object's file, never read whole into this process first.
    body = await ctx.store.openBlob(ctx.bucket, object.blob, range ?? { start: 0, end: object.size - 1 });
  } catch (error) {
    // A concurrent overwrite or delete may have removed these bytes since the lookup: answer afresh.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || ctx.store.getObject(ctx.bucket, ctx.key) === object)
      throw error;
    return readObject(ctx, withBody);
  }
  return { status, headers, body };
}

export const getObject: S3Action = (ctx) => readObject(ctx, true);
