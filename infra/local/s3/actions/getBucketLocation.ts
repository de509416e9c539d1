import { requireBucket, type S3Action, xmlResponse } from '../context.ts';

/** us-east-1 buckets answer an empty LocationConstraint, as S3 does. */
export const getBucketLocation: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  return xmlResponse(ctx, 'LocationConstraint', bucket.region === 'us-east-1' ? '' : bucket.region);
};
