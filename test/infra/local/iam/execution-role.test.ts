import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleCredentialsProvider } from '../../../../infra/local/iam/credentials.ts';
import { LambdaService } from '../../../../infra/local/lambda/service.ts';
import { S3Service } from '../../../../infra/local/s3/service.ts';
import { TEST_CREDENTIALS } from '../../../helpers/edge.ts';
import { type IamCloud, REGION, startIamCloud } from '../../../helpers/iam-cloud.ts';
import { zipOf } from '../../../helpers/lambda-cloud.ts';

/** A handler as a learner writes it: SDK client at module scope, the error surfaced in the result. */
const UPLOADER = `
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
const s3 = new S3Client({ forcePathStyle: true });
export const handler = async (event) => {
  try {
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: event.key, Body: 'from ' + event.key }));
    return { ok: true };
  } catch (error) {
    return { ok: false, name: error.name, message: error.message };
  }
};
`;

let cloud: IamCloud;
let lambda: LambdaClient;
let s3: S3Client;

const invoke = async (functionName: string, payload: unknown) => {
  const result = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(payload) }));
  return JSON.parse(new TextDecoder().decode(result.Payload));
};

beforeAll(async () => {
  // GIVEN Lambda (handing functions their execution role's credentials), S3 and IAM behind one edge
  cloud = await startIamCloud({
    services: ({ issuer, endpoint, trace }) => {
      const functions = new LambdaService({ trace, endpoint, credentialsFor: roleCredentialsProvider(issuer) });
      return [functions, new S3Service({ trace, lambda: functions })];
    },
  });
  const admin = { endpoint: cloud.endpoint, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  lambda = new LambdaClient(admin);
  s3 = new S3Client({ ...admin, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));

  const basic = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] };
  const canUpload = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::uploads/*' }],
  };
  for (const [name, policy] of [
    ['uploader-role', canUpload],
    ['logs-only-role', basic],
  ] as const) {
    await cloud.createRole(name, policy);
  }
  for (const [functionName, role] of [
    ['uploader', 'uploader-role'],
    ['forgot-permission', 'logs-only-role'],
  ]) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: `arn:aws:iam::000000000000:role/${role}`,
        Code: { ZipFile: zipOf({ 'index.mjs': UPLOADER }) },
        Timeout: 10,
      }),
    );
  }
}, 30_000);
afterAll(async () => {
  lambda?.destroy();
  s3?.destroy();
  await cloud?.close();
});

describe('a handler calls AWS with its execution role', () => {
  it('succeeds when the role allows s3:PutObject', async () => {
    // Act
    const result = await invoke('uploader', { key: 'a.txt' });

    // Assess
    expect(result).toEqual({ ok: true });
    const object = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'a.txt' }));
    expect(await object.Body?.transformToString()).toBe('from a.txt');
  });

  it('fails with AccessDenied, as on AWS, when the role lacks s3:PutObject', async () => {
    // Act
    const result = await invoke('forgot-permission', { key: 'b.txt' });

    // Assess
    expect(result).toEqual({
      ok: false,
      name: 'AccessDenied',
      message:
        'User: arn:aws:sts::000000000000:assumed-role/logs-only-role/forgot-permission is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::uploads/b.txt" because no identity-based policy allows the s3:PutObject action',
    });
    expect(cloud.events('iam.denied').at(-1)?.detail).toMatchObject({
      principal: 'arn:aws:sts::000000000000:assumed-role/logs-only-role/forgot-permission',
      action: 's3:PutObject',
    });
  });

  it('picks up a permission added to the role without redeploying', async () => {
    // Prepare
    const { PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
    await cloud.iam.send(
      new PutRolePolicyCommand({
        RoleName: 'logs-only-role',
        PolicyName: 'fix',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::uploads/*' }],
        }),
      }),
    );

    // Act / Assess
    expect(await invoke('forgot-permission', { key: 'c.txt' })).toEqual({ ok: true });
  });
});
