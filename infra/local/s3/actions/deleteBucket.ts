import { emptyResponse, requireBucket, type S3Action } from '../context.ts';
import { S3Error } from '../errors.ts';

export const deleteBucket: S3Action = async (ctx) => {
  requireBucket(ctx);
  if (ctx.store.objectCount(ctx.bucket) > 0) throw new S3Error('BucketNotEmpty', undefined, { BucketName: ctx.bucket });
  await ctx.store.deleteBucket(ctx.bucket);
  return emptyResponse(ctx, 204);
};
