// Attacks on the local cloud's resources through the public Lambda API: zip bombs and headers that
// lie, filling the disk with code, `__local__` code locations, concurrency and environment counts.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { CreateFunctionCommand, DeleteFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../helpers/edge.ts';
import { BASIC_FIXTURES, ROLE, zipOf } from '../helpers/lambda-cloud.ts';
import { type AttackCloud, deployHandler, invokeHandler, startAttackCloud } from './runtime-kit.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/**
 * A one-entry zip whose headers claim `claimedSize` bytes while its deflate stream inflates to
 * `realSize` bytes of zeros (a bomb with a lying header).
 */
function lyingZip(name: string, realSize: number, claimedSize: number): Buffer {
  const data = deflateRawSync(Buffer.alloc(realSize), { level: 9 });
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(0, 14); // CRC (not checked before the size is)
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(claimedSize, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(claimedSize, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

const createFunction = (cloud: AttackCloud, name: string, code: Record<string, unknown>) =>
  cloud.client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: code,
    }),
  );

describe('deployment packages', () => {
  let cloud: AttackCloud;

  beforeAll(async () => {
    cloud = await startAttackCloud('node', { codeStorageBytes: 8 * 1024 * 1024 });
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('stops a zip whose header lies (1 KB claimed, 300 MB real) at 250 MB, off the event loop', async () => {
    // Prepare
    const bomb = lyingZip('index.mjs', 300 * 1024 * 1024, 1024);
    const bigCloud = await startAttackCloud('node');
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 10);

    // Act
    const started = Date.now();
    const attempt = createFunction(bigCloud, 'bomb', { ZipFile: bomb }).catch((error: unknown) => error);
    const error = (await attempt) as { name: string; message: string; $metadata: { httpStatusCode: number } };
    const elapsed = Date.now() - started;
    clearInterval(ticker);
    await bigCloud.close();

    // Assess: AWS's error; the event loop kept ticking throughout (about every 10 ms)
    expect(error).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Unzipped size must be smaller than 262144000 bytes',
      $metadata: { httpStatusCode: 400 },
    });
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
  }, 60_000);

  it('refuses packages past the code storage quota with CodeStorageExceededException, until code is deleted', async () => {
    // Prepare: 5 MB of unzipped code each (a few KB zipped), against an 8 MB quota
    const fiveMb = zipOf({
      'index.mjs': 'export const handler = async () => 1;',
      'padding.txt': 'x'.repeat(5 * 1024 * 1024),
    });
    await createFunction(cloud, 'fill-1', { ZipFile: fiveMb });

    // Act
    const refused = await createFunction(cloud, 'fill-2', { ZipFile: fiveMb }).catch((error: unknown) => error);
    await cloud.client.send(new DeleteFunctionCommand({ FunctionName: 'fill-1' }));
    const accepted = await createFunction(cloud, 'fill-2', { ZipFile: fiveMb });

    // Assess
    expect(refused).toMatchObject({
      name: 'CodeStorageExceededException',
      message: expect.stringMatching(/^Code storage limit exceeded\./),
      $metadata: { httpStatusCode: 400 },
    });
    expect(accepted.CodeSize).toBe(fiveMb.length);
  });

  it('refuses a zip that is not one (AWS’s message)', async () => {
    const error = await createFunction(cloud, 'garbage', { ZipFile: Buffer.from('PK\x03\x04 not really') }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(/^Could not unzip uploaded file/),
    });
  });
});

describe('__local__ code locations', () => {
  let cloud: AttackCloud;
  const made: string[] = [];

  beforeAll(async () => {
    cloud = await startAttackCloud('node');
  });
  afterEach(() => {
    for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it.each([
    ['a host folder (/etc)', () => '/etc'],
    ['the user’s temporary folder', () => mkdtempSync(join(tmpdir(), 'not-the-project-'))],
    [
      'a symbolic link inside the project that points outside it',
      () => {
        const dir = join(PROJECT_ROOT, 'node_modules', '.cache', `link-attack-${process.pid}`);
        mkdirSync(join(dir, '..'), { recursive: true });
        symlinkSync('/etc', dir);
        made.push(dir);
        return dir;
      },
    ],
  ])('refuses %s with AccessDeniedException, even for the administrator', async (_case, location) => {
    // Act
    const error = await createFunction(cloud, 'local-attack', { S3Bucket: '__local__', S3Key: location() }).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('is not a folder of the project'),
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('refuses the cloud’s own data directory even inside the project', async () => {
    // Prepare: a cloud whose data directory lies inside the project
    const dataDir = mkdtempSync(join(PROJECT_ROOT, 'node_modules', '.cache', 'data-dir-'));
    made.push(dataDir);
    const withData = await startAttackCloud('node', { dataDir });

    // Act
    const error = await createFunction(withData, 'steal-data', { S3Bucket: '__local__', S3Key: dataDir }).catch(
      (e: unknown) => e,
    );
    await withData.close();

    // Assess
    expect(error).toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('data directory') });
  });

  it('still deploys the project’s own folders in place (what the deployer and the tests use)', async () => {
    const created = await createFunction(cloud, 'own-folder', { S3Bucket: '__local__', S3Key: BASIC_FIXTURES });
    expect(created.State).toBe('Active');
  });
});

describe('concurrency', () => {
  let cloud: AttackCloud;

  beforeAll(async () => {
    cloud = await startAttackCloud('node', { accountConcurrency: 2, maxEnvironments: 2 });
    await deployHandler(
      cloud,
      'slow',
      'export const handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return "slow"; };',
    );
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('throttles invocations past the account’s concurrency with TooManyRequestsException (429)', async () => {
    // Act: three at once against a limit of two
    const client = new LambdaClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => client.send(new InvokeCommand({ FunctionName: 'slow', Payload: '{}' }))),
    );
    client.destroy();

    // Assess (recorded: lambda-invoke-throttled-zero-reserved-concurrency.json)
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      Reason: 'ConcurrentInvocationLimitExceeded',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('keeps at most the configured number of environments alive across functions', async () => {
    // Prepare
    for (const name of ['one', 'two', 'three'])
      await deployHandler(cloud, name, `export const handler = async () => '${name}';`);

    // Act
    const answers = [];
    for (const name of ['one', 'two', 'three']) answers.push((await invokeHandler(cloud, name)).body);
    const live = ['slow', 'one', 'two', 'three'].flatMap((name) => cloud.service.environments(name));

    // Assess: every function ran; the oldest idle environment made room
    expect(answers).toEqual(['one', 'two', 'three']);
    expect(live.length).toBeLessThanOrEqual(2);
    expect(cloud.service.environments('three')).toHaveLength(1);
  });
});
