import { requireBucket, type S3Action, xmlResponse } from '../context.ts';
import { notificationToXml } from '../notifications.ts';

export const getBucketNotificationConfiguration: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  return xmlResponse(ctx, 'NotificationConfiguration', notificationToXml(bucket.notification));
};
