// The thumbnails lesson's classic pitfall, performed: a function triggered by a bucket writes back
// into the same bucket. Lambda's recursive loop detection (S3 covered since 2024) stops it after
// 16 invocations in the same chain; so does the local cloud.
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import type { TraceEvent } from '../../infra/local/trace/bus.ts';
import { zipOf } from '../helpers/lambda-cloud.ts';
import { MODES } from './runtime-kit.ts';

const writesBack = `import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
  const s3 = new S3Client({ forcePathStyle: true });
  export const handler = async (event) => {
    const { bucket, object } = event.Records[0].s3;
    await s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: object.key + '-again', Body: 'thumbnail' }));
    return object.key;
  };`;

describe.each(MODES)('an S3 → Lambda → same bucket loop under the %s isolation', (mode) => {
  let cloud: LocalCloud;
  let s3: S3Client;
  let lambda: LambdaClient;
  const events: TraceEvent[] = [];

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false, sandbox: mode });
    cloud.trace.subscribe((event) => events.push(event));
    s3 = new S3Client({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
      forcePathStyle: true,
    });
    lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials });
    await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'thumbnail-into-same-bucket',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/loop-role',
        Code: { ZipFile: zipOf({ 'index.mjs': writesBack }) },
        Timeout: 10,
      }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'thumbnail-into-same-bucket',
        StatementId: 's3',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::photos',
      }),
    );
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'photos',
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [{ LambdaFunctionArn: fn.FunctionArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
  });
  afterAll(async () => {
    s3?.destroy();
    lambda?.destroy();
    await cloud?.close();
  });

  it('stops the loop after 16 invocations of the function in the chain', async () => {
    // Act: one upload starts the chain
    await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'cat', Body: 'photo' }));
    const stopped = await new Promise<TraceEvent>((resolve, reject) => {
      const found = events.find((event) => event.type === 'lambda.recursion.stopped');
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error('the loop was not stopped')), 60_000);
      const stop = cloud.trace.subscribe((event) => {
        if (event.type !== 'lambda.recursion.stopped') return;
        clearTimeout(timer);
        stop();
        resolve(event);
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // Assess: 16 invocations ran, the 17th was stopped, nothing ran after it
    const ran = events.filter(
      (event) => event.type === 'lambda.invoke.end' && event.detail.functionName === 'thumbnail-into-same-bucket',
    );
    expect(ran).toHaveLength(16);
    expect(ran.every((event) => event.detail.error === undefined)).toBe(true);
    expect(stopped.detail).toMatchObject({
      functionName: 'thumbnail-into-same-bucket',
      invocations: 16,
      source: 'aws:s3',
    });
    const { KeyCount } = await s3.send(new ListObjectsV2Command({ Bucket: 'photos' }));
    expect(KeyCount).toBe(17);
    expect(
      events.some(
        (event) => event.type === 'lambda.async.dropped' && event.detail.reason === 'RecursiveInvocationDetected',
      ),
    ).toBe(true);
  }, 90_000);
});
