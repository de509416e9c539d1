import {
  checksumHeaders,
  emptyResponse,
  header,
  notify,
  readObjectHeaders,
  requestBody,
  requireBucket,
  requireKeyLength,
  type S3Action,
} from '../context.ts';
import { S3Error } from '../errors.ts';
import { MAX_PUT_BYTES } from '../validation.ts';

export const putObject: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  requireKeyLength(ctx.key);
  const payload = requestBody(ctx);
  const { checksum, size } = payload;
  if (size > MAX_PUT_BYTES) {
    throw new S3Error('EntityTooLarge', undefined, { ProposedSize: size, MaxSizeAllowed: MAX_PUT_BYTES });
  }
  // Conditional writes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
  const existing = ctx.store.getObject(ctx.bucket, ctx.key);
  const ifNoneMatch = header(ctx, 'if-none-match');
  if (ifNoneMatch === '*' && existing !== undefined) {
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
  }
  const ifMatch = header(ctx, 'if-match');
  if (ifMatch !== undefined) {
    if (existing === undefined) throw new S3Error('NoSuchKey', undefined, { Key: ctx.key });
    if (ifMatch.replaceAll('"', '') !== existing.etag) {
      throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
    }
  }
  const etag = payload.md5();
  const blob = await ctx.store.writeBlob(ctx.bucket, payload.chunks);
  await ctx.store.putObject(ctx.bucket, {
    ...readObjectHeaders(ctx),
    key: ctx.key,
    size,
    etag,
    lastModified: new Date().toISOString(),
    checksum,
    blob,
  });
  notify(ctx, bucket, 'ObjectCreated:Put', { key: ctx.key, size, etag });
  return emptyResponse(ctx, 200, {
    etag: `"${etag}"`,
    'x-amz-server-side-encryption': 'AES256',
    ...checksumHeaders(checksum),
  });
};
