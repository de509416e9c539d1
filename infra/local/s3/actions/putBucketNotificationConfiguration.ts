import { emptyResponse, header, parseBodyXml, requireBucket, type S3Action } from '../context.ts';
import { parseNotificationConfiguration } from '../notifications.ts';

export const putBucketNotificationConfiguration: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  const notification = parseNotificationConfiguration(parseBodyXml(ctx), ctx.lambda, {
    skipDestinationValidation: header(ctx, 'x-amz-skip-destination-validation') === 'true',
  });
  await ctx.store.updateBucket({ ...bucket, notification });
  return emptyResponse(ctx, 200);
};
