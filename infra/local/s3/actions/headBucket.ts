import { bucketArn, emptyResponse, requireBucket, type S3Action } from '../context.ts';

/** HeadBucket's headers (API reference: x-amz-bucket-arn, x-amz-bucket-region, x-amz-access-point-alias); S3 also sends a content-type. */
export const headBucket: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  return emptyResponse(ctx, 200, {
    'content-type': 'application/xml',
    'x-amz-bucket-arn': bucketArn(bucket.name),
    'x-amz-bucket-region': bucket.region,
    'x-amz-access-point-alias': 'false',
  });
};
