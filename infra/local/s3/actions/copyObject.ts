import {
  header,
  notify,
  readObjectHeaders,
  requireBucket,
  requireKeyLength,
  requireObject,
  type S3Action,
  xmlDate,
  xmlResponse,
} from '../context.ts';
import { S3Error } from '../errors.ts';

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string } {
  const [path = ''] = value.split('?versionId=');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    decoded = '';
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new S3Error('InvalidArgument', 'Invalid copy source object key', {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: value,
    });
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

export const copyObject: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  requireKeyLength(ctx.key);
  const source = parseCopySource(header(ctx, 'x-amz-copy-source') ?? '');
  const from = requireObject(ctx, source.bucket, source.key);
  const directive = header(ctx, 'x-amz-metadata-directive') ?? 'COPY';
  if (source.bucket === ctx.bucket && source.key === ctx.key && directive === 'COPY') {
    throw new S3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const ifMatch = header(ctx, 'x-amz-copy-source-if-match');
  const ifNoneMatch = header(ctx, 'x-amz-copy-source-if-none-match');
  if (
    (ifMatch !== undefined && ifMatch.replaceAll('"', '') !== from.etag) ||
    (ifNoneMatch !== undefined && ifNoneMatch.replaceAll('"', '') === from.etag)
  ) {
    throw new S3Error('PreconditionFailed', undefined, {
      Condition: ifMatch !== undefined ? 'x-amz-copy-source-If-Match' : 'x-amz-copy-source-If-None-Match',
    });
  }
  const blob = await ctx.store.copyBlob(source.bucket, from.blob, ctx.bucket);
  const { key: _key, etag: _etag, blob: _blob, partsCount: _parts, lastModified: _modified, ...copied } = from;
  const headers = directive === 'REPLACE' ? readObjectHeaders(ctx) : copied;
  // A copy is a single-part object: its ETag is the MD5 of the bytes, which a single-part source's
  // ETag already is; a multipart source's bytes are hashed.
  const etag = from.partsCount === undefined ? from.etag : await ctx.store.md5OfBlob(ctx.bucket, blob);
  const lastModified = new Date().toISOString();
  const checksum = from.checksum !== undefined && !from.checksum.value.includes('-') ? from.checksum : undefined;
  await ctx.store.putObject(ctx.bucket, {
    ...headers,
    key: ctx.key,
    size: from.size,
    etag,
    lastModified,
    checksum,
    blob,
  });
  notify(ctx, bucket, 'ObjectCreated:Copy', { key: ctx.key, size: from.size, etag });
  return xmlResponse(
    ctx,
    'CopyObjectResult',
    { ETag: `"${etag}"`, LastModified: xmlDate(lastModified) },
    { headers: { 'x-amz-server-side-encryption': 'AES256' } },
  );
};
