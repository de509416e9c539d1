import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBService } from '../../../../infra/local/dynamodb/service.ts';
import type { TemporaryCredentials } from '../../../../infra/local/edge/credentials.ts';
import { KinesisService } from '../../../../infra/local/kinesis/service.ts';
import { LambdaService } from '../../../../infra/local/lambda/service.ts';
import { S3Service } from '../../../../infra/local/s3/service.ts';
import { TEST_CREDENTIALS } from '../../../helpers/edge.ts';
import {
  asClientCredentials,
  type IamCloud,
  REGION,
  type ServicesFactory,
  startIamCloud,
} from '../../../helpers/iam-cloud.ts';
import { FakeLambdaInvoker } from '../../../helpers/s3-fake-lambda.ts';

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders';
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks';

let cloud: IamCloud;
const destroyers: (() => void)[] = [];

function client<T extends { destroy(): void }>(
  Client: new (config: Record<string, unknown>) => T,
  credentials: TemporaryCredentials | typeof TEST_CREDENTIALS,
): T {
  const created = new Client({
    endpoint: cloud.endpoint,
    region: REGION,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: 'sessionToken' in credentials ? asClientCredentials(credentials) : credentials,
  });
  destroyers.push(() => created.destroy());
  return created;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({
      name: error.name,
      message: error.message,
      status: error.$metadata?.httpStatusCode,
    }),
  );

const services: ServicesFactory = ({ endpoint, trace }) => [
  new S3Service({ trace, lambda: new FakeLambdaInvoker() }),
  new DynamoDBService({ trace }),
  new KinesisService({ trace }),
  new LambdaService({ trace, endpoint }),
];

beforeAll(async () => {
  cloud = await startIamCloud({ services });
  const s3 = client(S3Client, TEST_CREDENTIALS);
  await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'private' }));
  await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'cat.jpg', Body: 'meow' }));
  await s3.send(new PutObjectCommand({ Bucket: 'private', Key: 'diary.txt', Body: 'secret' }));
  await client(DynamoDBClient, TEST_CREDENTIALS).send(
    new CreateTableCommand({
      TableName: 'Orders',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client(KinesisClient, TEST_CREDENTIALS).send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 1 }));
});
afterAll(async () => {
  for (const destroy of destroyers) destroy();
  await cloud?.close();
});

describe('S3 with role credentials', () => {
  let reader: TemporaryCredentials;

  beforeAll(async () => {
    // GIVEN a role allowed s3:GetObject on the photos bucket only
    const roleArn = await cloud.createRole('photo-reader', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }],
    });
    reader = cloud.credentialsFor(roleArn, 'reader-session');
  });

  it('allows what the role allows', async () => {
    const object = await client(S3Client, reader).send(new GetObjectCommand({ Bucket: 'photos', Key: 'cat.jpg' }));
    expect(await object.Body?.transformToString()).toBe('meow');
  });

  it('refuses PutObject with AWS AccessDenied and its message', async () => {
    // Act
    const error = await failure(
      client(S3Client, reader).send(new PutObjectCommand({ Bucket: 'photos', Key: 'new.jpg', Body: 'x' })),
    );

    // Assess
    expect(error).toEqual({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:sts::000000000000:assumed-role/photo-reader/reader-session is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::photos/new.jpg" because no identity-based policy allows the s3:PutObject action',
    });
  });

  it('refuses GetObject in another bucket', async () => {
    expect(
      await failure(client(S3Client, reader).send(new GetObjectCommand({ Bucket: 'private', Key: 'diary.txt' }))),
    ).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('s3:GetObject on resource: "arn:aws:s3:::private/diary.txt"'),
    });
  });

  it('leaves out the resource for actions that have none (ListBuckets)', async () => {
    expect((await failure(client(S3Client, reader).send(new ListBucketsCommand({})))).message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/photo-reader/reader-session is not authorized to perform: s3:ListAllMyBuckets because no identity-based policy allows the s3:ListAllMyBuckets action',
    );
  });

  it('publishes iam.denied on the trace', async () => {
    // Act
    await failure(
      client(S3Client, reader).send(new PutObjectCommand({ Bucket: 'photos', Key: 'traced.jpg', Body: 'x' })),
    );

    // Assess
    expect(cloud.events('iam.denied').at(-1)?.detail).toEqual({
      principal: 'arn:aws:sts::000000000000:assumed-role/photo-reader/reader-session',
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::photos/traced.jpg',
      reason: 'no identity-based policy allows the s3:PutObject action',
    });
  });

  it('lets an explicit deny win over an allow', async () => {
    // Prepare
    const roleArn = await cloud.createRole('all-but-private', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        {
          Sid: 'NoPrivate',
          Effect: 'Deny',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::private', 'arn:aws:s3:::private/*'],
        },
      ],
    });
    const s3 = client(S3Client, cloud.credentialsFor(roleArn, 's'));

    // Act
    const allowed = await s3.send(new ListObjectsV2Command({ Bucket: 'photos' }));
    const denied = await failure(s3.send(new GetObjectCommand({ Bucket: 'private', Key: 'diary.txt' })));

    // Assess
    expect(allowed.KeyCount).toBeGreaterThan(0);
    expect(denied).toEqual({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:sts::000000000000:assumed-role/all-but-private/s is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::private/diary.txt" with an explicit deny in an identity-based policy',
    });
    expect(cloud.events('iam.denied').at(-1)?.detail.reason).toBe(
      'explicit deny in inline policy all-but-private-policy of role all-but-private (statement "NoPrivate")',
    );
  });

  it('checks DeleteObjects key by key', async () => {
    // Prepare
    const roleArn = await cloud.createRole('tmp-cleaner', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::photos/tmp/*' }],
    });
    const s3 = client(S3Client, cloud.credentialsFor(roleArn, 's'));

    // Act
    const ok = await s3.send(new DeleteObjectsCommand({ Bucket: 'photos', Delete: { Objects: [{ Key: 'tmp/a' }] } }));
    const denied = await failure(
      s3.send(
        new DeleteObjectsCommand({ Bucket: 'photos', Delete: { Objects: [{ Key: 'tmp/a' }, { Key: 'cat.jpg' }] } }),
      ),
    );

    // Assess
    expect(ok.Deleted?.[0]?.Key).toBe('tmp/a');
    expect(denied.message).toContain('s3:DeleteObject on resource: "arn:aws:s3:::photos/cat.jpg"');
  });

  it('honours an attached AWS managed policy (AmazonS3ReadOnlyAccess)', async () => {
    // Prepare
    const { AttachRolePolicyCommand } = await import('@aws-sdk/client-iam');
    await cloud.createRole('read-only');
    await cloud.iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'read-only',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      }),
    );
    const s3 = client(S3Client, cloud.credentialsFor('arn:aws:iam::000000000000:role/read-only', 's'));

    // Act
    const listed = await s3.send(new ListBucketsCommand({}));
    const denied = await failure(s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'x', Body: 'x' })));

    // Assess
    expect(listed.Buckets?.map((b) => b.Name)).toEqual(['photos', 'private']);
    expect(denied.name).toBe('AccessDenied');
  });
});

describe('JSON services with role credentials', () => {
  let nothing: TemporaryCredentials;

  beforeAll(async () => {
    nothing = cloud.credentialsFor(await cloud.createRole('allows-nothing'), 'empty');
  });

  it('answers DynamoDB AccessDeniedException (HTTP 400) naming the table', async () => {
    expect(
      await failure(
        client(DynamoDBClient, nothing).send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: '1' } } })),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: arn:aws:sts::000000000000:assumed-role/allows-nothing/empty is not authorized to perform: dynamodb:PutItem on resource: ${TABLE_ARN} because no identity-based policy allows the dynamodb:PutItem action`,
    });
  });

  it('allows DynamoDB what the role allows on the table', async () => {
    // Prepare
    const roleArn = await cloud.createRole('orders-writer', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: TABLE_ARN }],
    });
    const dynamodb = client(DynamoDBClient, cloud.credentialsFor(roleArn, 's'));

    // Act
    await dynamodb.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: '1' } } }));
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: '1' } } }));

    // Assess
    expect(Item).toEqual({ id: { S: '1' } });
  });

  it('answers Kinesis AccessDeniedException naming the stream', async () => {
    expect(
      await failure(
        client(KinesisClient, nothing).send(
          new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'k', Data: new Uint8Array([1]) }),
        ),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: arn:aws:sts::000000000000:assumed-role/allows-nothing/empty is not authorized to perform: kinesis:PutRecord on resource: ${STREAM_ARN} because no identity-based policy allows the kinesis:PutRecord action`,
    });
  });

  it('answers Lambda AccessDeniedException (HTTP 403)', async () => {
    expect(await failure(client(LambdaClient, nothing).send(new ListFunctionsCommand({})))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message:
        'User: arn:aws:sts::000000000000:assumed-role/allows-nothing/empty is not authorized to perform: lambda:ListFunctions because no identity-based policy allows the lambda:ListFunctions action',
    });
  });

  it('answers IAM AccessDenied in the query protocol', async () => {
    // Prepare
    const { IAMClient, ListRolesCommand } = await import('@aws-sdk/client-iam');

    // Act / Assess
    expect(await failure(client(IAMClient, nothing).send(new ListRolesCommand({})))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: expect.stringContaining('is not authorized to perform: iam:ListRoles'),
    });
  });
});

describe('what is not evaluated', () => {
  it('refuses expired temporary credentials before any policy is looked at', async () => {
    // Prepare
    const roleArn = await cloud.createRole('short', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    });
    const expired = cloud.credentialsFor(roleArn, 's', -1);

    // Act / Assess
    expect(await failure(client(S3Client, expired).send(new ListBucketsCommand({})))).toMatchObject({
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
    });
  });

  it('leaves the administrator unaffected', async () => {
    const s3 = client(S3Client, TEST_CREDENTIALS);
    await s3.send(new PutObjectCommand({ Bucket: 'private', Key: 'admin.txt', Body: 'x' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toHaveLength(2);
  });

  it('lets everything through with enforceIam: false', async () => {
    // Prepare
    const lenient = await startIamCloud({ enforceIam: false, services });
    try {
      const roleArn = await lenient.createRole('nothing-allowed');
      const credentials = lenient.credentialsFor(roleArn, 's');
      const s3 = new S3Client({
        endpoint: lenient.endpoint,
        region: REGION,
        forcePathStyle: true,
        credentials: asClientCredentials(credentials),
      });
      destroyers.push(() => s3.destroy());

      // Act
      await s3.send(new CreateBucketCommand({ Bucket: 'anything-goes' }));
      await s3.send(new PutObjectCommand({ Bucket: 'anything-goes', Key: 'k', Body: 'v' }));

      // Assess
      expect(lenient.events('iam.denied')).toEqual([]);
    } finally {
      await lenient.close();
    }
  });
});
