// runCheck's contract with a check: deploy first, run the tests in order, map pass / fail / error,
// report progress, and turn what a learner can cause into an `error` report with a message.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckTestResult } from '../../../../site/lib/workbench-api.ts';
import { runCheck } from '../../../../site/server/checks/run.ts';
import { type DeployedCloud, startDeployedCloud } from './cloud.ts';

// A project root of its own: the mobile-clicks scenario with one exercise whose tests exercise the runner.
const CHECK = `
export const tests = [
  {
    name: 'invokes the deployed code and sees the context',
    async run(ctx) {
      const outcome = await ctx.invoke({ ping: ctx.runId });
      if (outcome.functionError) ctx.fail('function failed', outcome);
      return { message: 'ok', output: { payload: outcome.payload, hasLog: outcome.logs.includes('REPORT'), table: ctx.resources.clicksTable !== undefined, events: Object.keys(ctx.events) } };
    },
  },
  { name: 'fails with a message and what it saw', async run(ctx) { ctx.fail('the answer was wrong', { saw: 41 }); } },
  { name: 'times out waiting', async run(ctx) { await ctx.waitFor(async () => false, { timeoutMs: 300, intervalMs: 50, what: 'a miracle' }); } },
  { name: 'errors when the check itself breaks', async run() { throw new TypeError('the check has a bug'); } },
  { name: 'errors when a test runs too long', timeoutMs: 200, run: () => new Promise(() => {}) },
];
`;
const SOURCE = 'export const handler = async (event: { ping: string }) => ({ pong: event.ping });';

let root: string;
let deployed: DeployedCloud;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'workbook-run-'));
  const dir = join(root, 'scenarios', 'mobile-clicks', 'exercises', 'demo');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'README.md'), '---\ntitle: Demo\norder: 1\n---\nA demo exercise.');
  writeFileSync(join(dir, 'starter.ts'), SOURCE);
  writeFileSync(join(dir, 'solution.ts'), SOURCE);
  writeFileSync(join(dir, 'check.ts'), CHECK);
  mkdirSync(join(root, 'scenarios', 'mobile-clicks', 'events'));
  writeFileSync(join(root, 'scenarios', 'mobile-clicks', 'events', 'click.json'), '{"button":"like"}');
  deployed = await startDeployedCloud(['LambdaWorkbook-MobileClicks']);
}, 240_000);

afterAll(async () => {
  await deployed?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('runCheck', () => {
  it('deploys the source, runs every test in order and reports each as it finishes', async () => {
    // Act
    const progress: CheckTestResult[] = [];
    const report = await runCheck({
      target: deployed.target,
      root,
      scenario: 'mobile-clicks',
      exercise: 'demo',
      source: SOURCE,
      onProgress: (test) => progress.push(test),
    });

    // Assert
    expect(report).toMatchObject({ scenario: 'mobile-clicks', exercise: 'demo', target: 'local', status: 'fail' });
    expect(report.message).toBe('1 of 5 tests passed.');
    expect(progress).toEqual(report.tests);
    const [invoked, failed, timedOut, broken, slow] = report.tests;
    expect(invoked).toMatchObject({ status: 'pass', message: 'ok' });
    expect(JSON.parse(invoked?.output ?? '')).toEqual({
      payload: { pong: expect.stringMatching(/^[0-9a-f]{8}$/) },
      hasLog: true,
      table: true,
      events: ['click'],
    });
    expect(failed).toMatchObject({ status: 'fail', message: 'the answer was wrong', output: '{\n  "saw": 41\n}' });
    expect(timedOut).toMatchObject({ status: 'fail', message: 'Waited 0.3 s for a miracle, in vain.' });
    expect(broken).toMatchObject({
      status: 'error',
      message: 'The test could not run: TypeError: the check has a bug',
    });
    expect(slow).toMatchObject({ status: 'error', message: expect.stringContaining('did not finish within') });
    for (const test of report.tests) expect(test.durationMs).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('answers an error report, without running tests, for code that does not compile', async () => {
    const report = await runCheck({
      target: deployed.target,
      root,
      scenario: 'mobile-clicks',
      exercise: 'demo',
      source: 'export const handler = async () => {\n  return 1 +;\n};',
    });
    expect(report.status).toBe('error');
    expect(report.tests).toEqual([]);
    expect(report.message).toBe(
      'Your handler does not compile, so it was not checked.\nline 2, column 13: Unexpected ";"',
    );
  });

  it('answers an error report for an unknown exercise and for a stack that is not deployed', async () => {
    const unknown = await runCheck({
      target: deployed.target,
      root,
      scenario: 'mobile-clicks',
      exercise: 'x',
      source: SOURCE,
    });
    expect(unknown).toMatchObject({ status: 'error', message: "Scenario 'mobile-clicks' has no exercise 'x'." });
    const undeployed = await runCheck({
      target: { ...deployed.target, stacks: {} },
      root,
      scenario: 'mobile-clicks',
      exercise: 'demo',
      source: SOURCE,
    });
    expect(undeployed.status).toBe('error');
    expect(undeployed.message).toContain('The LambdaWorkbook-MobileClicks stack is not deployed on the local target');
  });

  it('answers an error report when the function named by the outputs is gone', async () => {
    const report = await runCheck({
      target: { ...deployed.target, stacks: { 'LambdaWorkbook-MobileClicks': { ClicksFunctionName: 'gone' } } },
      root,
      scenario: 'mobile-clicks',
      exercise: 'demo',
      source: SOURCE,
    });
    expect(report.status).toBe('error');
    expect(report.message).toMatch(/^Deploying your handler failed: ResourceNotFoundException: .*redeploy the stacks/);
  });
});
