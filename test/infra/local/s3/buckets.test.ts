import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, type S3TestCloud, s3Client, startS3Cloud } from '../../../helpers/s3-cloud.ts';
import { loadRecording } from '../../../helpers/s3-recordings.ts';

let cloud: S3TestCloud;
let s3: S3Client;

beforeAll(async () => {
  cloud = await startS3Cloud();
  s3 = s3Client(cloud);
});
afterAll(async () => {
  s3?.destroy();
  await cloud?.close();
});

/** The error the SDK throws for a command. */
async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

type RecordedError = { Error: Record<string, string>; ResponseMetadata: { HTTPStatusCode: number } };

describe('CreateBucket / HeadBucket / ListBuckets / DeleteBucket', () => {
  it('creates a bucket that HeadBucket and ListBuckets then see, and deletes it', async () => {
    // Prepare
    const Bucket = bucketName();

    // Act
    const created = await s3.send(new CreateBucketCommand({ Bucket }));
    const head = await s3.send(new HeadBucketCommand({ Bucket }));
    const listed = await s3.send(new ListBucketsCommand({}));
    await s3.send(new DeleteBucketCommand({ Bucket }));
    const afterDelete = await failure(s3.send(new HeadBucketCommand({ Bucket })));

    // Assess
    expect(created.Location).toBe(`/${Bucket}`);
    expect(created.BucketArn).toBe(`arn:aws:s3:::${Bucket}`);
    expect(head.BucketRegion).toBe('us-east-1');
    expect(head.BucketArn).toBe(`arn:aws:s3:::${Bucket}`);
    const entry = listed.Buckets?.find((b) => b.Name === Bucket);
    expect(entry?.CreationDate).toBeInstanceOf(Date);
    expect(listed.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(afterDelete.name).toBe('NotFound');
    expect(afterDelete.$metadata.httpStatusCode).toBe(404);
  });

  it('creates a bucket in another region with CreateBucketConfiguration, which GetBucketLocation reports', async () => {
    // Prepare
    const Bucket = bucketName();

    // Act
    const created = await s3.send(
      new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    const location = await s3.send(new GetBucketLocationCommand({ Bucket }));
    const head = await s3.send(new HeadBucketCommand({ Bucket }));

    // Assess: S3 answers such a bucket's Location as its URL (as the AWS CLI prints it), not `/bucket`.
    expect(created.Location).toBe(`http://${Bucket}.s3.amazonaws.com/`);
    expect(created.BucketArn).toBe(`arn:aws:s3:::${Bucket}`);
    expect(location.LocationConstraint).toBe('eu-west-1');
    expect(head.BucketRegion).toBe('eu-west-1');
  });

  it('answers HeadBucket with the x-amz-bucket-arn header and a content-type, as S3 does', async () => {
    // Prepare
    const Bucket = bucketName();
    await s3.send(new CreateBucketCommand({ Bucket }));
    const client = s3Client(cloud);
    let headers: Record<string, string> = {};
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        headers = (result.response as { headers: Record<string, string> }).headers;
        return result;
      },
      { step: 'deserialize' },
    );

    // Act
    await client.send(new HeadBucketCommand({ Bucket }));

    // Assess
    expect(headers['x-amz-bucket-arn']).toBe(`arn:aws:s3:::${Bucket}`);
    expect(headers['content-type']).toBe('application/xml');
    client.destroy();
  });

  it('reports us-east-1 as an empty LocationConstraint', async () => {
    const Bucket = bucketName();
    await s3.send(new CreateBucketCommand({ Bucket }));
    const location = await s3.send(new GetBucketLocationCommand({ Bucket }));
    expect(location.LocationConstraint ?? '').toBe('');
  });

  it('answers BucketAlreadyOwnedByYou like the recording when the bucket exists outside us-east-1', async () => {
    // Prepare
    const Bucket = bucketName();
    const config = { LocationConstraint: 'us-west-1' as const };
    await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: config }));
    const recorded = loadRecording<Record<string, RecordedError>>('s3-error-bucketalreadyownedbyyou.json')[
      'create-bucket-us-west-1'
    ]!;

    // Act
    const error = await failure(s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: config })));

    // Assess
    expect(error.name).toBe(recorded.Error.Code);
    expect(error.message).toBe(recorded.Error.Message);
    expect(error.$metadata.httpStatusCode).toBe(recorded.ResponseMetadata.HTTPStatusCode);
    expect((error as unknown as { BucketName: string }).BucketName).toBe(Bucket);
  });

  it('re-creating an own us-east-1 bucket succeeds, as S3 does for legacy reasons', async () => {
    const Bucket = bucketName();
    await s3.send(new CreateBucketCommand({ Bucket }));
    await expect(s3.send(new CreateBucketCommand({ Bucket }))).resolves.toBeDefined();
  });

  it('answers InvalidBucketName like the recording for an upper-case name', async () => {
    // Prepare
    const recorded = loadRecording<Record<string, RecordedError>>('s3-error-invalidbucketname.json')[
      'uppercase-bucket'
    ]!;
    const Bucket = `TESTUPPERCASE-${Date.now()}`;

    // Act
    const error = await failure(s3.send(new CreateBucketCommand({ Bucket })));

    // Assess
    expect(error.name).toBe('InvalidBucketName');
    expect(error.message).toBe(recorded.Error.Message);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((error as unknown as { BucketName: string }).BucketName).toBe(Bucket);
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(64)],
    ['underscore', 'my_bucket'],
    ['starts with a hyphen', '-bucket'],
    ['adjacent periods', 'my..bucket'],
    ['an IP address', '192.168.5.4'],
    ['reserved prefix', 'xn--bucket'],
    ['reserved suffix', 'bucket-s3alias'],
  ])('refuses a bucket name that is %s', async (_label, Bucket) => {
    const error = await failure(s3.send(new CreateBucketCommand({ Bucket })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidBucketName', 400]);
  });

  it.each([
    ['LocationConstraint us-east-1', 'us-east-1', 'us-east-1', 'InvalidLocationConstraint'],
    ['a constraint other than the endpoint region', 'eu-central-1', 'eu-west-1', 'IllegalLocationConstraintException'],
    // (Without a constraint, SDK v3 fills in the client's region itself.)
  ])('refuses %s', async (_label, constraint, region, code) => {
    // Prepare
    const client = s3Client(cloud, { region });
    const CreateBucketConfiguration = constraint ? { LocationConstraint: constraint as 'eu-west-1' } : undefined;

    // Act
    const error = await failure(
      client.send(new CreateBucketCommand({ Bucket: bucketName(), CreateBucketConfiguration })),
    );
    client.destroy();

    // Assess
    expect([error.name, error.$metadata.httpStatusCode]).toEqual([code, 400]);
  });

  it('refuses to delete a bucket that still holds objects (BucketNotEmpty 409)', async () => {
    // Prepare
    const Bucket = bucketName();
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));

    // Act
    const error = await failure(s3.send(new DeleteBucketCommand({ Bucket })));

    // Assess
    expect(error.name).toBe('BucketNotEmpty');
    expect(error.message).toBe('The bucket you tried to delete is not empty');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it('answers NoSuchBucket like the recording for DeleteBucket and GetBucketLocation of a missing bucket', async () => {
    // Prepare
    const recorded = loadRecording<Record<string, RecordedError>>('s3-error-nosuchbucket.json').expected_error!;
    const Bucket = bucketName('missing');

    // Act
    const errors = [
      await failure(s3.send(new DeleteBucketCommand({ Bucket }))),
      await failure(s3.send(new GetBucketLocationCommand({ Bucket }))),
    ];

    // Assess
    for (const error of errors) {
      expect(error.name).toBe('NoSuchBucket');
      expect(error.message).toBe(recorded.Error.Message);
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect((error as unknown as { BucketName: string }).BucketName).toBe(Bucket);
    }
  });
});
