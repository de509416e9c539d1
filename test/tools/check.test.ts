// `npm run check` (tools/check.ts) as a learner runs it: usage errors, a missing cloud, and real
// checks of the mobile-clicks exercises against a local cloud with the stack deployed — of a file,
// and of the workbench attempt the page's "Check my work" saved.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../scenarios/catalog.ts';
import type { CheckReport } from '../../site/lib/workbench-api.ts';
import { POST as checkRoute } from '../../site/pages/api/scenarios/[scenario]/exercises/[exercise]/check.ts';
import { attemptsDirFor } from '../../site/server/checks/attempts.ts';
import { loadExercises } from '../../site/server/checks/exercises.ts';
import { setWorkbenchRuntime } from '../../site/server/runtime.ts';
import { PROJECT_ROOT } from '../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from '../site/server/checks/cloud.ts';

const dir = mkdtempSync(join(tmpdir(), 'workbook-check-cli-'));
const exerciseFile = (exercise: string, file: 'starter' | 'solution') =>
  join(PROJECT_ROOT, 'scenarios', 'mobile-clicks', 'exercises', exercise, `${file}.ts`);

/** Checking the your-own-count starter file: the arguments of the tests that fail before any check runs. */
const checkStarter = ['mobile-clicks', 'your-own-count', exerciseFile('your-own-count', 'starter')];

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

describe('the exercises’ "Check it" lines', () => {
  it.each(
    SCENARIO_IDS.flatMap((scenario) => loadExercises(PROJECT_ROOT, scenario).map((e) => [scenario, e.id] as const)),
  )('%s/%s names its own scenario and exercise, without a file and with one', (scenario, exercise) => {
    const readme = readFileSync(join(PROJECT_ROOT, 'scenarios', scenario, 'exercises', exercise, 'README.md'), 'utf8');
    const commands = [...readme.matchAll(/`npm run check -- ([^`]*)`/g)].map((match) => match[1]);
    expect(commands).toEqual([`${scenario} ${exercise}`, `${scenario} ${exercise} my-${exercise}.ts`]);
  });
});

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
      "Scenario 'thumbnails' has no exercise 'nope'. Its exercises: decode-keys, skip-bad-uploads, catch-poison-photos.",
    ],
    [['thumbnails', 'decode-keys', 'no-such-file.ts'], 'Cannot read'],
    [['thumbnails', 'decode-keys', '--colour'], "Unknown option '--colour'"],
  ])('exits 2 with a message and the usage for %j', async (args, message) => {
    const { status, stderr } = await check(args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: npm run check --');
  });

  it('without a file and no workbench attempt saved, exits 2 saying so and printing the commands to check a file', async () => {
    const { status, stderr } = await check(['mobile-clicks', 'your-own-count']);
    expect(status).toBe(2);
    expect(stderr).toContain(
      `No workbench attempt at mobile-clicks/your-own-count to check: the workbench keeps your attempt in the browser, and saves a copy to ${join(dir, 'attempts', 'mobile-clicks', 'your-own-count.ts')} each time you press "Check my work" there.`,
    );
    expect(stderr).toContain(
      '  cp scenarios/mobile-clicks/exercises/your-own-count/starter.ts my-your-own-count.ts\n' +
        '  npm run check -- mobile-clicks your-own-count my-your-own-count.ts',
    );
  });

  it('exits 1 with what to do when no stacks were deployed (no stack outputs file)', async () => {
    const { status, stderr } = await check(checkStarter);
    expect(status).toBe(1);
    expect(stderr).toContain(`No stack outputs at ${join(dir, 'absent.json')}: deploy the stacks first`);
  });

  it('exits 1 with what to do when the local cloud is not running', async () => {
    const file = join(dir, 'stopped.json');
    writeFileSync(
      file,
      JSON.stringify({ target: 'local', endpoint: 'http://127.0.0.1:9', region: 'us-east-1', stacks: {} }),
    );
    const { status, stderr } = await check([...checkStarter, '--stack-outputs', file]);
    expect(status).toBe(1);
    expect(stderr).toContain("No local cloud answers at http://127.0.0.1:9. Start the workbook with 'npm start'");
  });

  it('exits 1 for AWS stack outputs that hold none of the workbook stacks', async () => {
    const file = join(dir, 'aws.json');
    writeFileSync(file, JSON.stringify({ target: 'aws', region: 'eu-west-1', stacks: {} }));
    const { status, stderr } = await check([...checkStarter, '--stack-outputs', file]);
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
      'Checking mobile-clicks/reject-invalid-clicks — Reject invalid clicks with a clear answer\n' +
        '  checked: the file scenarios/mobile-clicks/exercises/reject-invalid-clicks/starter.ts\n',
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

  it('without a file, checks the workbench attempt that "Check my work" last checked', async () => {
    // GIVEN the workbook's runtime, saving attempts beside the stack outputs file as `npm start` does
    setWorkbenchRuntime({
      token: 'test',
      root: PROJECT_ROOT,
      target: () => deployed.target,
      attemptsDir: attemptsDirFor(outputs),
    });
    const checkMyWork = async (source: string) => {
      const response = await checkRoute({
        params: { scenario: 'mobile-clicks', exercise: 'your-own-count' },
        request: new Request('http://127.0.0.1/api/scenarios/mobile-clicks/exercises/your-own-count/check', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ source }),
        }),
      } as unknown as Parameters<typeof checkRoute>[0]);
      return (await response.json()) as CheckReport;
    };
    const saved = join(dir, 'attempts', 'mobile-clicks', 'your-own-count.ts');
    try {
      // WHEN the learner checks the untouched starter in the browser, then runs the CLI without a file
      expect((await checkMyWork(readFileSync(exerciseFile('your-own-count', 'starter'), 'utf8'))).status).toBe('fail');
      const starter = await check(['mobile-clicks', 'your-own-count', '--stack-outputs', outputs]);
      // THEN the CLI checks that same attempt, says so, and fails as the page did
      expect(starter.status).toBe(1);
      expect(starter.stdout).toContain(`  checked: your workbench attempt, as "Check my work" last checked it (`);
      expect(starter.stdout).toContain(`): ${saved}\n`);

      // … and after the learner's fix is checked in the browser, the CLI checks (and passes) the fix
      const fix = `// my fix\n${readFileSync(exerciseFile('your-own-count', 'solution'), 'utf8')}`;
      expect((await checkMyWork(fix)).status).toBe('pass');
      expect(readFileSync(saved, 'utf8')).toBe(fix);
      const fixed = await check(['mobile-clicks', 'your-own-count', '--json', '--stack-outputs', outputs]);
      expect(fixed.status).toBe(0);
      expect(JSON.parse(fixed.stdout)).toMatchObject({ file: saved, status: 'pass' });
    } finally {
      setWorkbenchRuntime(undefined);
    }
  }, 120_000);

  it('says when the file checked is the scenario’s finished handler, and reports a compile error as exit 1', async () => {
    const reference = join(PROJECT_ROOT, 'scenarios', 'mobile-clicks', 'handler.ts');
    const own = await check(['mobile-clicks', 'your-own-count', reference, '--stack-outputs', outputs]);
    expect(own.stdout).toContain("— the scenario's finished handler, which the lesson explains");

    const broken = join(dir, 'broken.ts');
    writeFileSync(broken, 'export const handler = async () => {\n');
    const compile = await check(['mobile-clicks', 'your-own-count', broken, '--stack-outputs', outputs]);
    expect(compile.status).toBe(1);
    expect(compile.stdout).toContain('ERROR: Your handler does not compile, so it was not checked.\nline 2, column 1:');
  }, 60_000);
});
