// Attacks on the admin keys: they used to be the public constants test/test, so any web page,
// handler or script could act as the account's administrator. Now they are a secret of the data
// directory (or of the process, in memory); `test`/`test` works only when asked for.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import {
  ADMIN_KEYS_FILE,
  adminKeysForTools,
  parseAdminKeysMode,
  TUTORIAL_ADMIN_KEYS,
} from '../../infra/local/edge/admin-keys.ts';
import { sessionInfo } from '../../site/server/session.ts';
import { localTarget } from '../../site/server/target.ts';
import { createExecutionRole } from '../helpers/iam-roles.ts';
import { clientConfig, expectCloudAnswers } from './endpoint-helpers.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'endpoint-keys-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('admin keys are a secret of the data directory', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  beforeAll(async () => {
    dataDir = tempDir();
    cloud = await startLocalCloud({ port: 0, dataDir });
  });
  afterAll(() => cloud.close());

  it('are generated (not test/test), IAM-key shaped, kept in a file only the user can read', () => {
    const file = join(dataDir, ADMIN_KEYS_FILE);
    expect(cloud.adminCredentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(cloud.adminCredentials.secretAccessKey).toHaveLength(40);
    expect(cloud.adminCredentials).not.toEqual(TUTORIAL_ADMIN_KEYS);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(cloud.adminCredentials);
  });

  it.each([
    [
      'S3',
      () => new S3Client(clientConfig(cloud, TUTORIAL_ADMIN_KEYS)).send(new CreateBucketCommand({ Bucket: 'pwned' })),
      'InvalidAccessKeyId',
    ],
    [
      'IAM',
      () =>
        new IAMClient(clientConfig(cloud, TUTORIAL_ADMIN_KEYS)).send(
          new CreateRoleCommand({
            RoleName: 'pwned',
            AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
          }),
        ),
      'UnrecognizedClientException',
    ],
  ])('refuses the public keys test/test on %s by default', async (_service, attempt, code) => {
    await expect(attempt()).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 403 } });
    const roles = await new IAMClient(clientConfig(cloud)).send(new ListRolesCommand({}));
    expect(roles.Roles?.map((role) => role.RoleName)).not.toContain('pwned');
  });

  it('refuses a guessed key id with the right shape', async () => {
    const guessed = { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: cloud.adminCredentials.secretAccessKey };
    await expect(
      new S3Client(clientConfig(cloud, guessed)).send(new CreateBucketCommand({ Bucket: 'pwned' })),
    ).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
    await expectCloudAnswers(cloud);
  });

  it('refuses the right key id with a wrong secret', async () => {
    const wrong = { accessKeyId: cloud.adminCredentials.accessKeyId, secretAccessKey: 'test' };
    await expect(
      new S3Client(clientConfig(cloud, wrong)).send(new CreateBucketCommand({ Bucket: 'pwned' })),
    ).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
  });

  it('stay the same when the cloud restarts on the directory, and the tools read them there', async () => {
    const before = cloud.adminCredentials;
    await cloud.close();
    cloud = await startLocalCloud({ port: 0, dataDir });
    expect(cloud.adminCredentials).toEqual(before);
    expect(adminKeysForTools(dataDir, {})).toEqual(before);
  });

  it('never reach a function: not in its environment, and its code cannot read the keys file', async () => {
    const role = await createExecutionRole(cloud, 'snoop-role', []);
    const code = `import { readFileSync } from 'node:fs';
export const handler = async () => {
  let file;
  try { file = readFileSync(${JSON.stringify(join(dataDir, ADMIN_KEYS_FILE))}, 'utf8'); } catch (error) { file = 'refused: ' + error.code; }
  return { env: JSON.stringify(process.env), file };
};`;
    const lambda = new LambdaClient(clientConfig(cloud));
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'snoop',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: zipSync({ 'index.mjs': new TextEncoder().encode(code) }) },
      }),
    );
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'snoop' }));
    const payload = JSON.parse(new TextDecoder().decode(result.Payload)) as { env: string; file: string };
    expect(result.FunctionError).toBeUndefined();
    expect(payload.env).not.toContain(cloud.adminCredentials.accessKeyId);
    expect(payload.env).not.toContain(cloud.adminCredentials.secretAccessKey);
    expect(payload.file).toMatch(/^refused: /);
    // What a handler does have: its role's temporary credentials.
    expect(JSON.parse(payload.env).AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
  }, 60_000);
});

describe('admin keys in memory', () => {
  it('are fresh per process: two in-memory clouds do not share keys, and neither accepts test/test', async () => {
    const one = await startLocalCloud({ port: 0, inMemory: true });
    const two = await startLocalCloud({ port: 0, inMemory: true });
    try {
      expect(one.adminCredentials).not.toEqual(two.adminCredentials);
      await expect(
        new S3Client(clientConfig(one, two.adminCredentials)).send(new CreateBucketCommand({ Bucket: 'x' })),
      ).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
      });
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('the LocalStack-style opt-in', () => {
  it('accepts test/test only when asked for (adminKeys: test), beside the secret keys', async () => {
    const cloud = await startLocalCloud({ port: 0, inMemory: true, adminKeys: 'test' });
    try {
      await new S3Client(clientConfig(cloud, TUTORIAL_ADMIN_KEYS)).send(
        new CreateBucketCommand({ Bucket: 'tutorial' }),
      );
      await new S3Client(clientConfig(cloud)).send(new CreateBucketCommand({ Bucket: 'secret-keys-still-work' }));
      expect(cloud.adminKeysMode).toBe('test');
    } finally {
      await cloud.close();
    }
  });

  it.each([
    [undefined, 'generated'],
    ['', 'generated'],
    ['generated', 'generated'],
    ['test', 'test'],
  ])('reads --admin-keys / LOCAL_CLOUD_ADMIN_KEYS %j as %s', (value, mode) => {
    expect(parseAdminKeysMode(value)).toBe(mode);
  });

  it('refuses an unknown --admin-keys value rather than guessing', () => {
    expect(() => parseAdminKeysMode('public')).toThrow(
      "--admin-keys must be 'generated' or 'test', received 'public'.",
    );
  });
});

describe('the workbook hands its page no keys', () => {
  it('GET /api/session carries the token and the endpoint, never the admin keys', () => {
    const keys = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'a-secret-the-page-must-not-see-0000000000' };
    const target = localTarget(
      { target: 'local', region: 'us-east-1', endpoint: 'http://127.0.0.1:4566', stacks: {} },
      keys,
    );
    const body = JSON.stringify(sessionInfo({ token: 't0ken', root: '/project', target: () => target }));
    expect(body).not.toContain(keys.accessKeyId);
    expect(body).not.toContain(keys.secretAccessKey);
  });
});

describe('tools without keys', () => {
  it('say where the keys should be instead of falling back to test/test', () => {
    const empty = tempDir();
    expect(() => adminKeysForTools(empty, {})).toThrow(`${join(empty, ADMIN_KEYS_FILE)} does not exist`);
    expect(adminKeysForTools(empty, { AWS_ACCESS_KEY_ID: 'AKIAFROMENV', AWS_SECRET_ACCESS_KEY: 's' })).toEqual({
      accessKeyId: 'AKIAFROMENV',
      secretAccessKey: 's',
    });
  });
});
