import { emptyResponse, requireBucket, type S3Action } from '../context.ts';

export const headBucket: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  return emptyResponse(ctx, 200, { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' });
};
