// `npm run verify` (tools/verify.ts): every end-to-end check of a scenario, here in AWS mode with
// the local cloud standing in for AWS — the outputs file as `cdk deploy --outputs-file` writes it,
// credentials from the SDK's chain (environment), the endpoint overridden.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanAwsEnv } from '../helpers/workbook-modes.ts';
import { PROJECT_ROOT } from '../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from '../site/server/checks/cloud.ts';

const dir = mkdtempSync(join(tmpdir(), 'workbook-verify-'));
const cdkOutputs = join(dir, 'sandbox-outputs.json');
let deployed: DeployedCloud;

/** A clean environment: no credentials, profiles or endpoint from the machine running the tests. */
const cleanEnv = (extra: Record<string, string>) => cleanAwsEnv(dir, extra);

function run(tool: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [tool, ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  deployed = await startDeployedCloud(['LambdaWorkbook-WebBackend']);
  writeFileSync(cdkOutputs, JSON.stringify(deployed.outputsFile.stacks));
}, 240_000);

afterAll(async () => {
  await deployed?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run verify against a sandbox (the local cloud standing in for AWS)', () => {
  it('runs every check of a scenario with the learner credentials of the environment and puts the handler back', async () => {
    const { status, stdout, stderr } = await run(
      'tools/verify.ts',
      ['--target', 'aws', '--stack-outputs', cdkOutputs, '--region', 'us-east-1', '--scenario', 'web-backend'],
      cleanEnv({
        AWS_ENDPOINT_URL: deployed.cloud.endpoint,
        AWS_ACCESS_KEY_ID: deployed.cloud.adminCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: deployed.cloud.adminCredentials.secretAccessKey,
      }),
    );
    expect(stderr).toBe('');
    expect(stdout).toContain('Verifying the sandbox in us-east-1 as arn:aws:iam::');
    expect(stdout).toMatch(/✓ .*\n.*✓ /);
    expect(stdout).toContain('PASS: 2 of 2 end-to-end checks passed.');
    expect(status).toBe(0);
  }, 240_000);

  it('says how to sign in when there are no credentials, before doing anything', async () => {
    const { status, stderr } = await run(
      'tools/verify.ts',
      ['--target', 'aws', '--stack-outputs', cdkOutputs, '--region', 'us-east-1'],
      cleanEnv({ AWS_ENDPOINT_URL: deployed.cloud.endpoint }),
    );
    expect(status).toBe(1);
    expect(stderr).toContain('No AWS credentials found while checking your AWS credentials');
    expect(stderr).toContain('aws sso login');
  }, 60_000);

  it('refuses credentials the target does not know', async () => {
    const { status, stderr } = await run(
      'tools/check.ts',
      [
        'web-backend',
        'item-not-found',
        // A file to check (without one, the CLI checks the workbench's saved attempt, and there is none).
        'scenarios/web-backend/exercises/item-not-found/starter.ts',
        '--target',
        'aws',
        '--stack-outputs',
        cdkOutputs,
        '--region',
        'us-east-1',
      ],
      cleanEnv({
        AWS_ENDPOINT_URL: deployed.cloud.endpoint,
        AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN',
        AWS_SECRET_ACCESS_KEY: 'x',
      }),
    );
    expect(status).toBe(1);
    expect(stderr).toMatch(/does not accept these credentials/);
  }, 60_000);

  it('exits 2 on a bad target and asks for a region it cannot find', async () => {
    const bad = await run('tools/verify.ts', ['--target', 'mars'], cleanEnv({}));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--target must be 'local' or 'aws', received 'mars'.");
    const noRegion = await run('tools/verify.ts', ['--target', 'aws', '--stack-outputs', cdkOutputs], cleanEnv({}));
    expect(noRegion.status).toBe(1);
    expect(noRegion.stderr).toContain('No AWS region');
  }, 60_000);
});
