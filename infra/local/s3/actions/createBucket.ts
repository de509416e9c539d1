import { bucketArn, emptyResponse, parseBodyXml, requestBody, type S3Action } from '../context.ts';
import { S3Error } from '../errors.ts';
import { EMPTY_NOTIFICATION } from '../notifications.ts';
import { bucketNameProblem } from '../validation.ts';
import { childText } from '../xml.ts';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * CreateBucket's answer (API reference: `Location` and `x-amz-bucket-arn` headers). S3 sends
 * `/bucket` for a us-east-1 bucket and its virtual-hosted URL for one created with a
 * LocationConstraint (`http://bucket.s3.amazonaws.com/`, as the AWS CLI prints it).
 */
function created(ctx: Parameters<S3Action>[0], region: string) {
  const location = region === 'us-east-1' ? `/${ctx.bucket}` : `http://${ctx.bucket}.s3.amazonaws.com/`;
  return emptyResponse(ctx, 200, { location, 'x-amz-bucket-arn': bucketArn(ctx.bucket) });
}

export const createBucket: S3Action = async (ctx) => {
  if (bucketNameProblem(ctx.bucket) !== undefined) {
    throw new S3Error('InvalidBucketName', undefined, { BucketName: ctx.bucket });
  }
  let constraint: string | undefined;
  if (requestBody(ctx).size > 0) {
    const root = parseBodyXml(ctx);
    if (root.name !== 'CreateBucketConfiguration') throw new S3Error('MalformedXML');
    constraint = childText(root, 'LocationConstraint') || undefined;
  }
  const endpointRegion = ctx.request.region;
  if (constraint === undefined) {
    // Without a LocationConstraint S3 creates the bucket in us-east-1, so only that endpoint accepts it.
    if (endpointRegion !== 'us-east-1') throw new S3Error('IllegalLocationConstraintException');
  } else if (constraint === 'us-east-1' || (constraint !== 'EU' && !REGION.test(constraint))) {
    throw new S3Error('InvalidLocationConstraint', undefined, { LocationConstraint: constraint });
  } else if (endpointRegion !== 'us-east-1' && endpointRegion !== constraint) {
    throw new S3Error(
      'IllegalLocationConstraintException',
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  const region = constraint ?? 'us-east-1';
  const existing = ctx.store.getBucket(ctx.bucket);
  if (existing !== undefined) {
    // Legacy us-east-1 behaviour: re-creating your own bucket there succeeds and changes nothing.
    if (existing.region === 'us-east-1' && region === 'us-east-1') {
      return created(ctx, region);
    }
    throw new S3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: ctx.bucket });
  }
  await ctx.store.createBucket({
    name: ctx.bucket,
    region,
    creationDate: new Date().toISOString(),
    notification: EMPTY_NOTIFICATION,
  });
  return created(ctx, region);
};
