import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  type LambdaFunctionConfiguration,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bucketName, type S3TestCloud, s3Client, startS3Cloud, startS3Edge } from '../../../helpers/s3-cloud.ts';
import { FakeLambdaInvoker } from '../../../helpers/s3-fake-lambda.ts';
import { diffFromRecording, fromDynamoDb, loadRecording } from '../../../helpers/s3-recordings.ts';

const FUNCTION = FakeLambdaInvoker.arn('on-upload');
const OTHER = FakeLambdaInvoker.arn('on-delete');
let lambda: FakeLambdaInvoker;
let cloud: S3TestCloud;
let s3: S3Client;
let Bucket: string;

beforeAll(async () => {
  lambda = new FakeLambdaInvoker(['on-upload', 'on-delete']);
  cloud = await startS3Edge({ lambda });
  s3 = s3Client(cloud);
});
afterAll(async () => {
  s3?.destroy();
  await cloud?.close();
});
beforeEach(async () => {
  Bucket = bucketName('notify');
  await s3.send(new CreateBucketCommand({ Bucket }));
  lambda.invocations.length = 0;
});

async function configure(configs: LambdaFunctionConfiguration[]) {
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: { LambdaFunctionConfigurations: configs },
    }),
  );
}

const records = () => lambda.invocations.flatMap((i) => (i.payload as S3Event).Records);
type Messages = { receive_messages: { messages: unknown[] } };

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

describe('bucket notifications to Lambda: records compared with the recordings', () => {
  it('ObjectCreated:Put (s3-notification-objectcreated-put.json), invoked asynchronously with {Records:[record]}', async () => {
    // Prepare
    await configure([{ Id: 'put-config', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }]);
    const recorded = fromDynamoDb(
      loadRecording<{ table_content: unknown }>('s3-notification-objectcreated-put.json').table_content,
    );

    // Act
    await s3.send(new PutObjectCommand({ Bucket, Key: 'uploads/photo.jpg', Body: 'something..' }));

    // Assess
    expect(lambda.invocations).toHaveLength(1);
    expect(lambda.invocations[0]!.functionRef).toBe(FUNCTION);
    expect(Object.keys(lambda.invocations[0]!.payload as object)).toEqual(['Records']);
    const [record] = records();
    expect(diffFromRecording(record, recorded)).toEqual([]);
    expect(record!.s3.configurationId).toBe('put-config');
    expect(record!.s3.bucket.name).toBe(Bucket);
    expect(record!.s3.object.key).toBe('uploads/photo.jpg');
    expect(record!.awsRegion).toBe('us-east-1');
  });

  it('two puts (s3-notification-objectcreated-put-sqs.json): same shape, increasing sequencers', async () => {
    // Prepare
    await configure([{ Id: 'cfg', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:Put'] }]);
    const recorded = loadRecording<Messages>('s3-notification-objectcreated-put-sqs.json').receive_messages.messages;

    // Act
    await s3.send(new PutObjectCommand({ Bucket, Key: 'my_key_0', Body: 'something' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'my_key_1', Body: 'something else' }));

    // Assess
    expect(diffFromRecording(records(), recorded)).toEqual([]);
  });

  it('ObjectCreated:Copy (s3-notification-objectcreated-copy.json), filtered to Copy only', async () => {
    // Prepare
    await configure([{ Id: 'copy-only', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:Copy'] }]);
    const recorded = loadRecording<Messages>('s3-notification-objectcreated-copy.json').receive_messages.messages;
    await s3.send(new PutObjectCommand({ Bucket, Key: 'source', Body: 'something' }));

    // Act
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copied', CopySource: `${Bucket}/source` }));

    // Assess
    expect(diffFromRecording(records(), recorded)).toEqual([]);
    expect(records()[0]!.s3.object.key).toBe('copied');
  });

  it('ObjectCreated:CompleteMultipartUpload (s3-notification-objectcreated-completemultipartupload.json)', async () => {
    // Prepare
    await configure([{ Id: 'mpu', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }]);
    const recorded = loadRecording<Messages>('s3-notification-objectcreated-completemultipartupload.json')
      .receive_messages.messages;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'test-key' }));
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket, Key: 'test-key', UploadId, PartNumber: 1, Body: Buffer.alloc(6144, '1') }),
    );

    // Act
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'test-key',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
      }),
    );

    // Assess
    expect(diffFromRecording(records(), recorded)).toEqual([]);
  });

  it('Put + Copy + ObjectRemoved:Delete (s3-notification-objectremoved-delete.json): removed records have no size/eTag', async () => {
    // Prepare
    await configure([{ Id: 'all', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }]);
    const recorded = loadRecording<Messages>('s3-notification-objectremoved-delete.json').receive_messages.messages;

    // Act
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'something' }));
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'dest', CopySource: `${Bucket}/src` }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'src' }));

    // Assess: the recording is sorted by eventName
    const sorted = [...records()].sort((a, b) => a.eventName.localeCompare(b.eventName));
    expect(diffFromRecording(sorted, recorded)).toEqual([]);
  });

  it('URL-encodes the key in the record (s3-notification-key-encoding.json: a@b → a%40b)', async () => {
    // Prepare
    await configure([{ Id: 'enc', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }]);
    const recorded = loadRecording<Messages>('s3-notification-key-encoding.json').receive_messages.messages;

    // Act
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a@b', Body: 'something' }));

    // Assess
    expect(diffFromRecording(records(), recorded)).toEqual([]);
  });

  it.each([
    ['my photo.jpg', 'my+photo.jpg'],
    ['dir/sub dir/ü+1.png', 'dir/sub+dir/%C3%BC%2B1.png'],
    ['a=b&c.txt', 'a%3Db%26c.txt'],
  ])('encodes key %j as %j, which decodeURIComponent(key.replace(/\\+/g, " ")) restores', async (Key, encoded) => {
    await configure([{ Id: 'enc', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }]);
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));
    const key = records()[0]!.s3.object.key;
    expect(key).toBe(encoded);
    expect(decodeURIComponent(key.replace(/\+/g, ' '))).toBe(Key);
  });

  it('publishes s3.notification on the trace bus', async () => {
    await configure([{ Id: 'trace', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'traced', Body: 'x' }));
    const event = cloud.trace.recent().findLast((e) => e.type === 's3.notification');
    expect(event?.detail).toMatchObject({
      bucket: Bucket,
      key: 'traced',
      eventName: 'ObjectCreated:Put',
      functionArn: FUNCTION,
    });
    const request = cloud.trace.recent().findLast((e) => e.type === 's3.request');
    expect(request?.detail).toMatchObject({ operation: 'PutObject', bucket: Bucket, key: 'traced', status: 200 });
  });
});

describe('notification filters and event types', () => {
  it.each([
    ['prefix', [{ Name: 'prefix' as const, Value: 'images/' }], ['images/a.jpg', 'images/b.png'], ['docs/a.jpg']],
    ['suffix', [{ Name: 'suffix' as const, Value: '.jpg' }], ['images/a.jpg', 'docs/a.jpg'], ['images/b.png']],
    [
      'prefix and suffix',
      [
        { Name: 'prefix' as const, Value: 'images/' },
        { Name: 'suffix' as const, Value: '.jpg' },
      ],
      ['images/a.jpg'],
      ['images/b.png', 'docs/a.jpg'],
    ],
  ])('%s filter: notifies for matching keys only', async (_label, FilterRules, matching, others) => {
    // Prepare
    await configure([
      { Id: 'filtered', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules } } },
    ]);

    // Act
    for (const Key of [...matching, ...others]) await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));

    // Assess
    expect(records().map((r) => r.s3.object.key)).toEqual(matching);
  });

  it('routes created and removed events to different functions; DeleteObjects notifies per requested key, absent ones too', async () => {
    // Prepare
    await configure([
      { Id: 'created', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:Put'] },
      { Id: 'removed', LambdaFunctionArn: OTHER, Events: ['s3:ObjectRemoved:Delete'] },
    ]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'one', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'two', Body: 'x' }));

    // Act
    await s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'one' }, { Key: 'two' }, { Key: 'absent' }] } }),
    );
    await s3
      .send(new CopyObjectCommand({ Bucket, Key: 'three', CopySource: `${Bucket}/nowhere` }))
      .catch(() => undefined);

    // Assess
    expect(
      lambda.invocations.map((i) => [
        i.functionRef,
        (i.payload as S3Event).Records[0]!.eventName,
        (i.payload as S3Event).Records[0]!.s3.object.key,
      ]),
    ).toEqual([
      [FUNCTION, 'ObjectCreated:Put', 'one'],
      [FUNCTION, 'ObjectCreated:Put', 'two'],
      [OTHER, 'ObjectRemoved:Delete', 'one'],
      [OTHER, 'ObjectRemoved:Delete', 'two'],
      [OTHER, 'ObjectRemoved:Delete', 'absent'],
    ]);
  });

  it('sequencers increase for successive events on one key', async () => {
    await configure([{ Id: 'seq', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }]);
    for (let i = 0; i < 5; i++) await s3.send(new PutObjectCommand({ Bucket, Key: 'same', Body: `${i}` }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'same' }));
    const sequencers = records().map((r) => r.s3.object.sequencer);
    expect(sequencers).toHaveLength(6);
    const sorted = [...sequencers].sort((a, b) => (BigInt(`0x${a}`) < BigInt(`0x${b}`) ? -1 : 1));
    expect(sequencers).toEqual(sorted);
    expect(new Set(sequencers).size).toBe(6);
  });
});

describe('Put/GetBucketNotificationConfiguration', () => {
  it('round-trips the configuration (Id, function ARN, events, filter rules)', async () => {
    // Prepare
    const config: LambdaFunctionConfiguration = {
      Id: 'thumbs',
      LambdaFunctionArn: FUNCTION,
      Events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:CompleteMultipartUpload'],
      Filter: {
        Key: {
          FilterRules: [
            { Name: 'prefix', Value: 'in/' },
            { Name: 'suffix', Value: '.jpg' },
          ],
        },
      },
    };

    // Act
    await configure([config]);
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));

    // Assess
    // S3 answers the rule names capitalised.
    const rules = [
      { Name: 'Prefix', Value: 'in/' },
      { Name: 'Suffix', Value: '.jpg' },
    ];
    expect(got.LambdaFunctionConfigurations).toEqual([{ ...config, Filter: { Key: { FilterRules: rules } } }]);
    expect(got.QueueConfigurations).toBeUndefined();
  });

  it('an empty configuration removes every notification', async () => {
    await configure([{ Id: 'x', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }]);
    await configure([]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'quiet', Body: 'x' }));
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(got.LambdaFunctionConfigurations ?? []).toEqual([]);
    expect(lambda.invocations).toEqual([]);
  });

  it('with SkipDestinationValidation accepts a missing function (skip_destination_validation recording)', async () => {
    // Prepare
    const recorded = loadRecording<Record<string, Record<string, unknown>>>('s3-notification-config-lambda-errors.json')
      .skip_destination_validation!;
    const arn = FakeLambdaInvoker.arn('my-lambda');

    // Act
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        SkipDestinationValidation: true,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [{ Id: 'id123', LambdaFunctionArn: arn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));

    // Assess
    expect(diffFromRecording(got.LambdaFunctionConfigurations, recorded.LambdaFunctionConfigurations)).toEqual([]);
  });

  it('refuses an unparseable ARN like the recording (invalid_not_skip)', async () => {
    // Prepare
    const recorded = loadRecording<Record<string, { Error: Record<string, string> }>>(
      's3-notification-config-lambda-errors.json',
    ).invalid_not_skip!;

    // Act
    const error = await failure(configure([{ LambdaFunctionArn: 'invalid-queue', Events: ['s3:ObjectCreated:*'] }]));

    // Assess
    expect(error.name).toBe(recorded.Error.Code);
    expect(error.message).toBe(recorded.Error.Message);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error).toMatchObject({ ArgumentName: 'CloudFunction', ArgumentValue: 'invalid-queue' });
  });

  it('refuses a function that does not exist like the recording (lambda-does-not-exist)', async () => {
    // Prepare
    const recorded = loadRecording<Record<string, { Error: Record<string, string> }>>(
      's3-notification-config-lambda-errors.json',
    )['lambda-does-not-exist']!;
    const arn = FakeLambdaInvoker.arn('my-lambda');

    // Act
    const error = await failure(configure([{ LambdaFunctionArn: arn, Events: ['s3:ObjectCreated:*'] }]));

    // Assess
    const { Code, Message, ...fields } = recorded.Error;
    expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual([Code, Message, 400]);
    const actualFields = {
      ArgumentName1: (error as unknown as Record<string, string>).ArgumentName1,
      ArgumentValue1: (error as unknown as Record<string, string>).ArgumentValue1,
    };
    expect(diffFromRecording(actualFields, fields)).toEqual([]);
  });

  it.each([
    [
      'an unknown event',
      [{ LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:Teleport' as 's3:ObjectCreated:*'] }],
      'InvalidArgument',
      400,
    ],
    [
      'a filter rule other than prefix/suffix',
      [
        {
          LambdaFunctionArn: FUNCTION,
          Events: ['s3:ObjectCreated:*' as const],
          Filter: { Key: { FilterRules: [{ Name: 'middle' as 'prefix', Value: 'x' }] } },
        },
      ],
      'InvalidArgument',
      400,
    ],
    [
      'overlapping configurations',
      [
        { LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*' as const] },
        { LambdaFunctionArn: OTHER, Events: ['s3:ObjectCreated:Put' as const] },
      ],
      'InvalidArgument',
      400,
    ],
  ])('refuses %s', async (_label, configs, code, status) => {
    const error = await failure(configure(configs));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual([code, status]);
  });

  it('accepts non-overlapping configurations for the same event with disjoint prefixes', async () => {
    await configure([
      {
        LambdaFunctionArn: FUNCTION,
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } },
      },
      {
        LambdaFunctionArn: OTHER,
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'b/' }] } },
      },
    ]);
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(got.LambdaFunctionConfigurations).toHaveLength(2);
    expect(got.LambdaFunctionConfigurations!.every((c) => c.Id && c.Id.length > 0)).toBe(true);
  });

  it.each([
    [
      'QueueConfigurations',
      {
        QueueConfigurations: [
          { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: ['s3:ObjectCreated:*' as const] },
        ],
      },
    ],
    [
      'TopicConfigurations',
      {
        TopicConfigurations: [
          { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Events: ['s3:ObjectCreated:*' as const] },
        ],
      },
    ],
    ['EventBridgeConfiguration', { EventBridgeConfiguration: {} }],
  ])('says clearly that %s are not implemented (501 NotImplemented)', async (_label, NotificationConfiguration) => {
    const error = await failure(
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration })),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['NotImplemented', 501]);
    expect(error.message).toMatch(/Lambda/);
  });
});

describe('with the whole local cloud (real Lambda service)', () => {
  it('validates the destination against the Lambda service: a missing function is InvalidArgument', async () => {
    // Prepare
    const whole = await startS3Cloud();
    const client = s3Client(whole);
    const bucket = bucketName('real');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));

    // Act
    const error = await failure(
      client.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: bucket,
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [
              { LambdaFunctionArn: FakeLambdaInvoker.arn('no-such-function'), Events: ['s3:ObjectCreated:*'] },
            ],
          },
        }),
      ),
    );
    client.destroy();
    await whole.close();

    // Assess
    expect([error.name, error.message]).toEqual([
      'InvalidArgument',
      'Unable to validate the following destination configurations',
    ]);
  });
});
