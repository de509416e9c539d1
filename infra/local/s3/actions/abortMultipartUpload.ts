import { emptyResponse, type S3Action } from '../context.ts';
import { requireUpload } from './multipart.ts';

export const abortMultipartUpload: S3Action = async (ctx) => {
  const upload = requireUpload(ctx);
  await ctx.store.deleteUpload(ctx.bucket, upload.uploadId);
  return emptyResponse(ctx, 204);
};
