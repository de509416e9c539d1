import type { S3Context } from '../context.ts';
import { requireBucket } from '../context.ts';
import { S3Error } from '../errors.ts';
import type { UploadRecord } from '../store.ts';

/** The upload named by `?uploadId=` for this bucket and key, or NoSuchUpload. */
export function requireUpload(ctx: S3Context): UploadRecord {
  requireBucket(ctx);
  const uploadId = ctx.request.query.get('uploadId') ?? '';
  const upload = ctx.store.getUpload(ctx.bucket, uploadId);
  if (upload === undefined || upload.key !== ctx.key) {
    throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  }
  return upload;
}
