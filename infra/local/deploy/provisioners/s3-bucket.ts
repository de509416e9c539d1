// AWS::S3::Bucket → CreateBucket. Encryption, public access block and tags are not modelled by the
// local S3 (nothing is public on 127.0.0.1); a redeploy keeps the bucket and its objects.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
} from '@aws-sdk/client-s3';
import { errorName, exists, type Provisioner } from './types.ts';

export const s3Bucket: Provisioner = {
  async apply(properties, context) {
    const name =
      (properties.BucketName as string | undefined) ?? context.physicalName({ maxLength: 63, lowercase: true });
    try {
      await context.clients.s3.send(new CreateBucketCommand({ Bucket: name }));
    } catch (error) {
      if (errorName(error) !== 'BucketAlreadyOwnedByYou') throw error;
    }
    if (properties.NotificationConfiguration !== undefined) {
      await context.clients.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: name,
          NotificationConfiguration: properties.NotificationConfiguration as never,
        }),
      );
    }
    return {
      physicalId: name,
      attributes: {
        Arn: `arn:${context.partition}:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${context.region}.amazonaws.com`,
        DualStackDomainName: `${name}.s3.dualstack.${context.region}.amazonaws.com`,
        WebsiteURL: `http://${name}.s3-website-${context.region}.amazonaws.com`,
      },
    };
  },
  exists: (deployed, context) =>
    exists(
      () => context.clients.s3.send(new HeadBucketCommand({ Bucket: deployed.physicalId })),
      ['NotFound', 'NoSuchBucket'],
    ),
  async delete(deployed, context) {
    await emptyBucket(deployed.physicalId, context.clients.s3);
    await context.clients.s3.send(new DeleteBucketCommand({ Bucket: deployed.physicalId }));
  },
};

export async function emptyBucket(bucket: string, s3: import('@aws-sdk/client-s3').S3Client): Promise<void> {
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((object) => object.Key!);
    if (keys.length === 0) return;
    for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
}
