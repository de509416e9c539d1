import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asClientCredentials, type IamCloud, REGION, startIamCloud } from '../../../../helpers/iam-cloud.ts';

let cloud: IamCloud;
const clients: STSClient[] = [];
const stsAs = (credentials: Parameters<typeof asClientCredentials>[0]) => {
  const client = new STSClient({
    endpoint: cloud.endpoint,
    region: REGION,
    credentials: asClientCredentials(credentials),
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
};
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
const trustedBy = (aws: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }],
});

beforeAll(async () => {
  cloud = await startIamCloud();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await cloud?.close();
});

describe('GetCallerIdentity', () => {
  it('names the administrator as the account root', async () => {
    expect(await cloud.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
      UserId: '000000000000',
    });
  });

  it('names a role session as its assumed-role ARN, even when its role allows nothing', async () => {
    // Prepare
    const roleArn = await cloud.createRole('who-am-i');
    const { RoleId } = (await cloud.iamService.store.role('who-am-i'))!;

    // Act
    const identity = await stsAs(cloud.credentialsFor(roleArn, 'my-session')).send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity).toMatchObject({
      Account: '000000000000',
      Arn: 'arn:aws:sts::000000000000:assumed-role/who-am-i/my-session',
      UserId: `${RoleId}:my-session`,
    });
  });
});

describe('AssumeRole', () => {
  it('lets the administrator assume a role and returns working credentials', async () => {
    // Prepare
    const roleArn = await cloud.createRole('assumable');

    // Act
    const { Credentials, AssumedRoleUser } = await cloud.sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'admin-session', DurationSeconds: 900 }),
    );
    const identity = await new STSClient({
      endpoint: cloud.endpoint,
      region: REGION,
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    }).send(new GetCallerIdentityCommand({}));

    // Assess
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 800_000);
    expect(Credentials!.Expiration!.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(AssumedRoleUser).toMatchObject({
      Arn: 'arn:aws:sts::000000000000:assumed-role/assumable/admin-session',
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:admin-session$/),
    });
    expect(identity.Arn).toBe('arn:aws:sts::000000000000:assumed-role/assumable/admin-session');
  });

  it('lets a role session assume a role whose trust policy names its role', async () => {
    // Prepare
    const callerArn = await cloud.createRole('caller');
    const targetArn = await cloud.createRole('trusts-caller', undefined, trustedBy(callerArn));

    // Act
    const { AssumedRoleUser } = await stsAs(cloud.credentialsFor(callerArn)).send(
      new AssumeRoleCommand({ RoleArn: targetArn, RoleSessionName: 'chained' }),
    );

    // Assess
    expect(AssumedRoleUser?.Arn).toBe('arn:aws:sts::000000000000:assumed-role/trusts-caller/chained');
  });

  it("needs sts:AssumeRole in the caller's policies when the trust policy names only the account", async () => {
    // Prepare
    const allowed = await cloud.createRole('may-assume', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::000000000000:role/trusts-account' },
      ],
    });
    const notAllowed = await cloud.createRole('may-not-assume');
    const target = await cloud.createRole('trusts-account', undefined, trustedBy('arn:aws:iam::000000000000:root'));

    // Act
    const ok = await stsAs(cloud.credentialsFor(allowed)).send(
      new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 's1' }),
    );
    const refused = await failure(
      stsAs(cloud.credentialsFor(notAllowed, 'nosy')).send(
        new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 's2' }),
      ),
    );

    // Assess
    expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(refused).toEqual({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:sts::000000000000:assumed-role/may-not-assume/nosy is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/trusts-account',
    });
  });

  it.each([
    ['a role that trusts only Lambda', 'arn:aws:iam::000000000000:role/lambda-only', 'AccessDenied'],
    ['a role that does not exist', 'arn:aws:iam::000000000000:role/ghost', 'AccessDenied'],
  ])('refuses a role session %s', async (_, roleArn, name) => {
    // Prepare
    if (roleArn.endsWith('lambda-only')) await cloud.createRole('lambda-only');
    const callerArn = await cloud.createRole(`asker-${name}-${roleArn.length}`);

    // Act / Assess
    expect(
      await failure(
        stsAs(cloud.credentialsFor(callerArn)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'x1' })),
      ),
    ).toMatchObject({ name, status: 403 });
  });

  it.each([
    [
      'longer than the role allows',
      { DurationSeconds: 7200 },
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    ],
    [
      'shorter than 15 minutes',
      { DurationSeconds: 60 },
      "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ],
    [
      'with a one-letter session name',
      { RoleSessionName: 'x' },
      "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    ],
  ])('refuses a session %s', async (_, input, message) => {
    // Prepare
    const roleArn = await cloud.iamService.store.role('assumable')!.Arn;

    // Act / Assess
    expect(
      await failure(cloud.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'session', ...input }))),
    ).toEqual({ name: 'ValidationError', status: 400, message });
  });
});
