import { randomBytes } from 'node:crypto';
import { header, readObjectHeaders, requireBucket, requireKeyLength, type S3Action, xmlResponse } from '../context.ts';

export const createMultipartUpload: S3Action = async (ctx) => {
  requireBucket(ctx);
  requireKeyLength(ctx.key);
  // base64url: also safe as a file name when persisted.
  const uploadId = randomBytes(36).toString('base64url');
  const checksumAlgorithm = header(ctx, 'x-amz-checksum-algorithm');
  await ctx.store.putUpload(ctx.bucket, {
    uploadId,
    key: ctx.key,
    initiated: new Date().toISOString(),
    headers: readObjectHeaders(ctx),
    checksumAlgorithm,
    parts: {},
  });
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256' };
  if (checksumAlgorithm !== undefined) {
    headers['x-amz-checksum-algorithm'] = checksumAlgorithm;
    headers['x-amz-checksum-type'] = 'COMPOSITE';
  }
  return xmlResponse(
    ctx,
    'InitiateMultipartUploadResult',
    { Bucket: ctx.bucket, Key: ctx.key, UploadId: uploadId },
    { headers },
  );
};
