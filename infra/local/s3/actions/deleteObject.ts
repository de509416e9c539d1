import { emptyResponse, notify, requireBucket, type S3Action } from '../context.ts';

/** Deleting a key that does not exist succeeds too (204), as on S3; only a real removal notifies. */
export const deleteObject: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  const removed = await ctx.store.deleteObject(ctx.bucket, ctx.key);
  if (removed !== undefined) notify(ctx, bucket, 'ObjectRemoved:Delete', { key: ctx.key });
  return emptyResponse(ctx, 204);
};
