import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';

const run = promisify(execFile);

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
});
afterAll(async () => {
  await cloud?.close();
});

const config = () => ({
  endpoint: cloud.endpoint,
  region: 'us-east-1',
  credentials: cloud.adminCredentials,
  maxAttempts: 1,
});
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({
      name: error.name,
      message: error.message,
      status: error.$metadata?.httpStatusCode,
    }),
  );
}

describe('IAM and STS refuse the parameters they do not model, by name (query protocol)', () => {
  it('CreateRole with Tags is a ValidationError naming Tags, not a role without its tags', async () => {
    // Act
    const error = await failure(
      new IAMClient(config()).send(
        new CreateRoleCommand({
          RoleName: 'tagged',
          AssumeRolePolicyDocument: TRUST,
          Tags: [{ Key: 'lesson', Value: 'roles' }],
        }),
      ),
    );

    // Assess
    expect(error).toEqual({
      name: 'ValidationError',
      status: 400,
      message: 'The local cloud does not support the Tags parameter of CreateRole (IAM tags are not modelled).',
    });
  });

  it('AssumeRole with a session policy is a ValidationError naming Policy', async () => {
    // Act
    const error = await failure(
      new STSClient(config()).send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::000000000000:role/any',
          RoleSessionName: 's',
          Policy: '{"Version":"2012-10-17","Statement":[]}',
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      'The local cloud does not support the Policy parameter of AssumeRole (session policies are not modelled for AssumeRole).',
    );
  });

  it('boto3 reads the refusal (a PermissionsBoundary on CreateRole)', async () => {
    // Prepare
    const script = `
import boto3, json, sys
from botocore.exceptions import ClientError
iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=sys.argv[3], aws_secret_access_key=sys.argv[4])
try:
    iam.create_role(RoleName='bounded', AssumeRolePolicyDocument=sys.argv[2],
                    PermissionsBoundary='arn:aws:iam::aws:policy/ReadOnlyAccess')
    print(json.dumps(None))
except ClientError as e:
    print(json.dumps([e.response['Error']['Code'], e.response['Error']['Message']]))
`;

    // Act
    const { stdout } = await run('/usr/bin/python3', [
      '-c',
      script,
      cloud.endpoint,
      TRUST,
      cloud.adminCredentials.accessKeyId,
      cloud.adminCredentials.secretAccessKey,
    ]);

    // Assess
    expect(JSON.parse(stdout)).toEqual([
      'ValidationError',
      'The local cloud does not support the PermissionsBoundary parameter of CreateRole (permissions boundaries are not modelled).',
    ]);
  });
});
