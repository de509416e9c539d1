import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { requireTool } from '../../../../tools/preflight/discover.ts';

const run = promisify(execFile);

/** The AWS CLI v2 the preflight found (as for test/infra/local/aws-tools.test.ts). */
const CLI = requireTool('aws');

let cloud: LocalCloud;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  work = mkdtempSync(join(tmpdir(), 'workbook-logs-cli-'));
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
  writeFileSync(
    join(work, 'function.zip'),
    zipSync({
      'index.mjs': new TextEncoder().encode(
        "export const handler = async (e) => { console.log('tailed', e.n); return { n: e.n }; };\n",
      ),
    }),
  );
});

afterAll(async () => {
  await cloud?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('AWS CLI v2', () => {
  const aws = async (...args: string[]) => {
    const { stdout } = await run(CLI, ['--endpoint-url', cloud.endpoint, ...args], { env });
    return stdout;
  };

  it('`aws logs tail` prints an invocation’s lines, REPORT included', async () => {
    // GIVEN a function invoked once through the CLI
    await aws(
      'lambda',
      'create-function',
      '--function-name',
      'tail-me',
      '--runtime',
      'nodejs22.x',
      '--handler',
      'index.handler',
      '--role',
      'arn:aws:iam::000000000000:role/tail-me',
      '--zip-file',
      `fileb://${join(work, 'function.zip')}`,
    );
    await aws(
      'lambda',
      'invoke',
      '--function-name',
      'tail-me',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"n":42}',
      join(work, 'out.json'),
    );
    // WHEN the log group is tailed
    const tail = await aws('logs', 'tail', '/aws/lambda/tail-me', '--since', '5m', '--format', 'short');
    // THEN it shows START, the handler's line, END and REPORT
    expect(tail).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(tail).toMatch(/\tINFO\ttailed 42/);
    expect(tail).toMatch(/END RequestId: [0-9a-f-]{36}/);
    expect(tail).toMatch(
      /REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB/,
    );
    // and the detailed format names the stream as Lambda does
    const detailed = await aws('logs', 'tail', '/aws/lambda/tail-me', '--since', '5m');
    expect(detailed).toMatch(/ \d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32} REPORT RequestId: /);
  }, 60_000);

  it('describes groups and reports a missing one as AWS does', async () => {
    await aws('logs', 'create-log-group', '--log-group-name', '/cli/made');
    const described = JSON.parse(
      await aws('logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/', '--output', 'json'),
    );
    expect(described.logGroups.map((group: { logGroupName: string }) => group.logGroupName)).toEqual(['/cli/made']);
    const error = await aws('logs', 'describe-log-streams', '--log-group-name', '/cli/missing').catch(
      (e: { stderr: string }) => e,
    );
    expect((error as { stderr: string }).stderr).toContain(
      'An error occurred (ResourceNotFoundException) when calling the DescribeLogStreams operation: The specified log group does not exist.',
    );
  }, 60_000);
});
