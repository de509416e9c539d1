// `npm run check` (tools/check.ts) as a learner runs it: usage errors, a missing cloud, and real
// checks of the mobile-clicks exercises against a local cloud with the stack deployed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../site/lib/workbench-api.ts';
import { PROJECT_ROOT } from '../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from '../site/server/checks/cloud.ts';

const dir = mkdtempSync(join(tmpdir(), 'workbook-check-cli-'));
const exerciseFile = (exercise: string, file: 'starter' | 'solution') =>
  join(PROJECT_ROOT, 'scenarios', 'mobile-clicks', 'exercises', exercise, `${file}.ts`);

/** Runs the CLI with the pinned Node (the one running the tests), as `npm run check -- …` does. */
function check(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['tools/check.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, WORKBOOK_STACK_OUTPUTS: join(dir, 'absent.json') },
    });
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

describe('npm run check: usage', () => {
  it('lists the scenarios and their exercises with --list', async () => {
    const { status, stdout } = await check(['--list']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^thumbnails\n {2}decode-keys +Photos with spaces in their names\n/);
    expect(stdout).toContain('mobile-clicks\n  reject-invalid-clicks');
  });

  it.each([
    [[], 'Name a scenario and an exercise.'],
    [['nope', 'x'], "Unknown scenario 'nope'. Scenarios: thumbnails, stream-metrics, web-backend, mobile-clicks."],
    [
      ['thumbnails', 'nope'],
      "Scenario 'thumbnails' has no exercise 'nope'. Its exercises: decode-keys, skip-bad-uploads.",
    ],
    [['thumbnails', 'decode-keys', 'no-such-file.ts'], 'Cannot read'],
    [['thumbnails', 'decode-keys', '--colour'], "Unknown option '--colour'"],
  ])('exits 2 with a message and the usage for %j', async (args, message) => {
    const { status, stderr } = await check(args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: npm run check --');
  });

  it('exits 1 with what to do when no stacks were deployed (no stack outputs file)', async () => {
    const { status, stderr } = await check(['mobile-clicks', 'your-own-count']);
    expect(status).toBe(1);
    expect(stderr).toContain(`No stack outputs at ${join(dir, 'absent.json')}: deploy the stacks first`);
  });

  it('exits 1 with what to do when the local cloud is not running', async () => {
    const file = join(dir, 'stopped.json');
    writeFileSync(
      file,
      JSON.stringify({ target: 'local', endpoint: 'http://127.0.0.1:9', region: 'us-east-1', stacks: {} }),
    );
    const { status, stderr } = await check(['mobile-clicks', 'your-own-count', '--stack-outputs', file]);
    expect(status).toBe(1);
    expect(stderr).toContain("No local cloud answers at http://127.0.0.1:9. Start the workbook with 'npm start'");
  });

  it('exits 1 for AWS stack outputs that hold none of the workbook stacks', async () => {
    const file = join(dir, 'aws.json');
    writeFileSync(file, JSON.stringify({ target: 'aws', region: 'eu-west-1', stacks: {} }));
    const { status, stderr } = await check(['mobile-clicks', 'your-own-count', '--stack-outputs', file]);
    expect(status).toBe(1);
    expect(stderr).toContain("The stack outputs hold none of the workbook's stacks");
  });
});

describe('npm run check: against a local cloud', () => {
  let deployed: DeployedCloud;
  const outputs = join(dir, 'stack-outputs.json');

  beforeAll(async () => {
    deployed = await startDeployedCloud(['LambdaWorkbook-MobileClicks']);
    deployed.writeOutputs(outputs);
  }, 240_000);

  afterAll(async () => {
    await deployed?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints each test and exits 1 when a test fails (the starter)', async () => {
    const file = exerciseFile('reject-invalid-clicks', 'starter');
    const { status, stdout } = await check([
      'mobile-clicks',
      'reject-invalid-clicks',
      file,
      '--stack-outputs',
      outputs,
    ]);
    expect(status).toBe(1);
    expect(stdout).toContain(
      'Checking mobile-clicks/reject-invalid-clicks — Reject invalid clicks with a clear answer',
    );
    expect(stdout).toMatch(/^ {2}✓ a valid click is counted and answered with the count \(\d+\.\d s\)$/m);
    expect(stdout).toMatch(/^ {2}✗ a request without a button gets an InvalidRequest answer, not a function error/m);
    expect(stdout).toContain('The function threw for an invalid request.');
    expect(stdout).toContain('What the test saw:');
    expect(stdout).toMatch(/\nFAIL: 1 of 4 tests passed\. \(\d+\.\d s\)\n$/);
  }, 60_000);

  it('prints only the report with --json, and exits 0 when every test passes (the solution)', async () => {
    const file = exerciseFile('your-own-count', 'solution');
    const args = ['mobile-clicks', 'your-own-count', file, '--json', '--stack-outputs', outputs];
    const { status, stdout } = await check(args);
    const report = JSON.parse(stdout) as CheckReport;
    expect(report).toMatchObject({
      scenario: 'mobile-clicks',
      exercise: 'your-own-count',
      target: 'local',
      status: 'pass',
    });
    expect(report.tests.map((test) => test.status)).toEqual(['pass', 'pass', 'pass']);
    expect(status).toBe(0);
  }, 60_000);

  it('checks the scenario’s own handler when no file is given, and reports a compile error as exit 1', async () => {
    // The scenario's handler has no yourCount: the check fails.
    const own = await check(['mobile-clicks', 'your-own-count', '--json', '--stack-outputs', outputs]);
    expect(own.status).toBe(1);
    expect((JSON.parse(own.stdout) as CheckReport).status).toBe('fail');

    const broken = join(dir, 'broken.ts');
    writeFileSync(broken, 'export const handler = async () => {\n');
    const compile = await check(['mobile-clicks', 'your-own-count', broken, '--stack-outputs', outputs]);
    expect(compile.status).toBe(1);
    expect(compile.stdout).toContain('ERROR: Your handler does not compile, so it was not checked.\nline 2, column 1:');
  }, 60_000);
});
