import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../infra/local/cloud.ts';
import { requireTool } from '../../../tools/preflight/discover.ts';

const run = promisify(execFile);

/**
 * The AWS CLI v2 and Python 3 with boto3 the preflight found (Debian's on CI), plus an AWS CLI v1
 * when the machine has one (a pyenv install here); each must work unchanged against the local cloud.
 */
const CLIS: [string, string][] = [['AWS CLI v2', requireTool('aws')]];
const v1 = process.env.AWS_CLI_V1 ?? '/root/.pyenv/versions/3.11.7/bin/aws';
if (existsSync(v1)) CLIS.push(['AWS CLI v1', v1]);

let cloud: LocalCloud;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, asyncRetryDelaysMs: [10, 10] });
  work = mkdtempSync(join(tmpdir(), 'workbook-awstools-'));
  // Nothing of the developer's own AWS setup may leak in: fresh HOME, config and credentials.
  env = {
    PATH: process.env.PATH,
    HOME: work,
    AWS_CONFIG_FILE: join(work, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
    AWS_ACCESS_KEY_ID: cloud.adminCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cloud.adminCredentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
  };
  writeFileSync(join(work, 'photo.txt'), 'hello from the CLI\n');
  writeFileSync(
    join(work, 'function.zip'),
    zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async (e) => ({ echo: e });\n') }),
  );
});

afterAll(async () => {
  await cloud?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(CLIS)('%s', (name, cli) => {
  const aws = async (...args: string[]) => {
    const { stdout } = await run(cli, ['--endpoint-url', cloud.endpoint, '--output', 'json', ...args], { env });
    return stdout;
  };
  const slug = name.includes('v1') ? 'v1' : 'v2';

  // Five CLI processes, each a Python start (1–4 s apiece on a busy 2-core machine).
  it('creates a bucket, copies a file in and out, and lists it', { timeout: 60_000 }, async () => {
    await aws('s3', 'mb', `s3://cli-${slug}`);
    await aws('s3', 'cp', join(work, 'photo.txt'), `s3://cli-${slug}/photos/a photo.txt`);
    const listing = await aws('s3', 'ls', `s3://cli-${slug}/photos/`);
    expect(listing).toContain('a photo.txt');
    await aws('s3', 'cp', `s3://cli-${slug}/photos/a photo.txt`, join(work, `back-${slug}.txt`));
    expect(readFileSync(join(work, `back-${slug}.txt`), 'utf8')).toBe('hello from the CLI\n');
    const head = JSON.parse(
      await aws('s3api', 'head-object', '--bucket', `cli-${slug}`, '--key', 'photos/a photo.txt'),
    );
    expect(head.ContentLength).toBe(19);
  });

  it('reports a missing bucket the way S3 does', async () => {
    const error = await aws('s3api', 'head-bucket', '--bucket', 'no-such-bucket-here').catch(
      (e: { stderr: string }) => e,
    );
    expect((error as { stderr: string }).stderr).toMatch(/404|Not Found/);
  });

  it('creates and invokes a function', async () => {
    const created = JSON.parse(
      await aws(
        'lambda',
        'create-function',
        '--function-name',
        `echo-${slug}`,
        '--runtime',
        'nodejs22.x',
        '--handler',
        'index.handler',
        '--role',
        'arn:aws:iam::000000000000:role/echo',
        '--zip-file',
        `fileb://${join(work, 'function.zip')}`,
      ),
    );
    expect(created.FunctionArn).toBe(`arn:aws:lambda:us-east-1:000000000000:function:echo-${slug}`);
    const out = join(work, `out-${slug}.json`);
    const invoked = JSON.parse(
      await aws(
        'lambda',
        'invoke',
        '--function-name',
        `echo-${slug}`,
        ...(slug === 'v2' ? ['--cli-binary-format', 'raw-in-base64-out'] : []),
        '--payload',
        '{"hi":1}',
        out,
      ),
    );
    expect(invoked.StatusCode).toBe(200);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ echo: { hi: 1 } });
  });
});

describe('boto3', () => {
  it('drives S3 and Lambda', async () => {
    const script = `
import boto3, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1')
s3 = boto3.client('s3', **kw)
s3.create_bucket(Bucket='boto-bucket')
s3.put_object(Bucket='boto-bucket', Key='k/1.txt', Body=b'abc', Metadata={'owner': 'ada'})
obj = s3.get_object(Bucket='boto-bucket', Key='k/1.txt')
listed = s3.list_objects_v2(Bucket='boto-bucket', Prefix='k/')
try:
    s3.get_object(Bucket='boto-bucket', Key='missing')
    missing = None
except s3.exceptions.NoSuchKey as e:
    missing = e.response['Error']['Code']
lam = boto3.client('lambda', **kw)
lam.create_function(FunctionName='boto-echo', Runtime='nodejs22.x', Handler='index.handler',
    Role='arn:aws:iam::000000000000:role/echo', Code={'ZipFile': open(sys.argv[2], 'rb').read()})
inv = lam.invoke(FunctionName='boto-echo', Payload=json.dumps({'from': 'boto3'}))
print(json.dumps({'body': obj['Body'].read().decode(), 'meta': obj['Metadata'], 'keys': [o['Key'] for o in listed['Contents']],
    'missing': missing, 'status': inv['StatusCode'], 'payload': json.loads(inv['Payload'].read())}))
`;
    const { stdout } = await run(requireTool('python'), ['-c', script, cloud.endpoint, join(work, 'function.zip')], {
      env,
    });
    expect(JSON.parse(stdout)).toEqual({
      body: 'abc',
      meta: { owner: 'ada' },
      keys: ['k/1.txt'],
      missing: 'NoSuchKey',
      status: 200,
      payload: { echo: { from: 'boto3' } },
    });
  });
});
