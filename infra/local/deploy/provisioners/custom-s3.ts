// CDK's custom resources for S3, implemented natively instead of running CDK's provider functions
// (the notifications handler is Python; the local Lambda runs Node.js only).
import {
  GetBucketNotificationConfigurationCommand,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { emptyBucket } from './s3-bucket.ts';
import type { Provisioner } from './types.ts';

const KINDS = ['LambdaFunctionConfigurations', 'QueueConfigurations', 'TopicConfigurations'] as const;

/**
 * The bucket's notifications without this resource's (ids `<stack>-<logicalId>-<n>`). As CDK's
 * handler does for `Managed: false` (CDK's default), notifications set by others are kept.
 */
async function othersOf(s3: S3Client, bucket: string, idPrefix: string): Promise<NotificationConfiguration> {
  const current = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  const kept: NotificationConfiguration = {};
  for (const kind of KINDS) {
    const others = (current[kind] ?? []).filter((entry: { Id?: string }) => !entry.Id?.startsWith(idPrefix));
    if (others.length > 0) kept[kind] = others as never;
  }
  return kept;
}

/** Custom::S3BucketNotifications → PutBucketNotificationConfiguration with its configuration. */
export const s3BucketNotifications: Provisioner = {
  async apply(properties, context) {
    const s3 = context.clients.s3;
    const bucket = properties.BucketName as string;
    const idPrefix = `${context.stackName}-${context.logicalId}-`;
    const managed = properties.Managed === true || properties.Managed === 'true';
    const wanted = (properties.NotificationConfiguration ?? {}) as Record<string, unknown>;
    const configuration: NotificationConfiguration = managed ? {} : await othersOf(s3, bucket, idPrefix);
    let n = 0;
    for (const kind of KINDS) {
      const entries = (wanted[kind] ?? []) as Record<string, unknown>[];
      if (entries.length === 0) continue;
      configuration[kind] = [
        ...((configuration[kind] ?? []) as never[]),
        ...entries.map((entry) => ({ ...entry, Id: `${idPrefix}${n++}` }) as never),
      ];
    }
    if (wanted.EventBridgeConfiguration !== undefined) {
      context.log('EventBridgeConfiguration not modelled locally: the local S3 notifies Lambda only');
    }
    await s3.send(
      new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: configuration }),
    );
    return { physicalId: `${bucket}-notifications`, attributes: { BucketName: bucket, IdPrefix: idPrefix } };
  },
  async delete(deployed, context) {
    const s3 = context.clients.s3;
    const bucket = deployed.attributes.BucketName as string;
    const kept = await othersOf(s3, bucket, deployed.attributes.IdPrefix as string);
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: kept }));
  },
};

/** Custom::S3AutoDeleteObjects: nothing to do on create; on stack delete it empties the bucket. */
export const s3AutoDeleteObjects: Provisioner = {
  async apply(properties) {
    const bucket = String(properties.BucketName);
    return { physicalId: `${bucket}-auto-delete-objects`, attributes: { BucketName: bucket } };
  },
  async delete(deployed, context) {
    await emptyBucket(deployed.attributes.BucketName as string, context.clients.s3);
  },
};
