import { checksumHeaders, emptyResponse, requestBody, type S3Action } from '../context.ts';
import { S3Error } from '../errors.ts';
import { MAX_PUT_BYTES } from '../validation.ts';
import { requireUpload } from './multipart.ts';

export const uploadPart: S3Action = async (ctx) => {
  const upload = requireUpload(ctx);
  const partNumber = Number(ctx.request.query.get('partNumber'));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
    throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {
      ArgumentName: 'partNumber',
      ArgumentValue: ctx.request.query.get('partNumber') ?? '',
    });
  }
  const payload = requestBody(ctx);
  const { checksum, size } = payload;
  if (size > MAX_PUT_BYTES) {
    throw new S3Error('EntityTooLarge', undefined, { ProposedSize: size, MaxSizeAllowed: MAX_PUT_BYTES });
  }
  const etag = payload.md5();
  const blob = await ctx.store.writeBlob(ctx.bucket, payload.chunks);
  await ctx.store.putPart(ctx.bucket, upload.uploadId, {
    partNumber,
    etag,
    size,
    lastModified: new Date().toISOString(),
    checksum,
    blob,
  });
  return emptyResponse(ctx, 200, {
    etag: `"${etag}"`,
    'x-amz-server-side-encryption': 'AES256',
    ...checksumHeaders(checksum),
  });
};
