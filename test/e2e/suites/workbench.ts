// The workbench in every lesson, driven in Chromium like a learner drives it: open it, edit the
// handler in Monaco, deploy, run a sample event, read the result and the REPORT line; break the
// code and see the compile error at its line; reload and find the edit kept; take an exercise from
// its failing starter to a passing solution. Against the local cloud `npm start` runs, every test for
// every scenario; in AWS mode (`--target aws`, a local cloud standing in for AWS) what goes through the
// AWS code paths (AWS_MODE_TESTS): deploy, run and the result read back from CloudWatch Logs for every
// scenario, and "Check my work" against the AWS target. What the page does on its own (restore after
// a reload, compile errors found before anything is sent) runs once, against the local cloud.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import { loadExercises } from '../../../site/server/checks/exercises.ts';
import { launchFileBrowser, type TestBrowser } from '../../helpers/browser.ts';
import {
  checkBudgetMs,
  checkMyWork,
  getCode,
  openWorkbench,
  setCode,
  settledDeployState,
  whenNotBusy,
} from '../../helpers/workbench-page.ts';
import { type ModeWorkbook, startWorkbookIn, type WorkbookMode } from '../../helpers/workbook-modes.ts';
import { itInLocalMode } from './local-only.ts';

let workbook: ModeWorkbook;
let browser: TestBrowser;

/** Each scenario's first exercise (the one the exercise test takes) and its check's budget. */
const FIRST_EXERCISES = Object.fromEntries(
  await Promise.all(
    SCENARIO_IDS.map(async (scenario) => {
      const id = loadExercises(process.cwd(), scenario)[0]?.id ?? '';
      return [scenario, { id, budget: await checkBudgetMs(process.cwd(), scenario, id) }] as const;
    }),
  ),
) as Record<ScenarioId, { id: string; budget: number }>;

/**
 * The scenarios whose exercise test also runs in AWS mode: "Check my work" against the AWS target,
 * for an asynchronous S3 trigger and for an HTTP API. The other scenarios' checks use the same
 * clients; every exercise's check runs against the local cloud in test/scenarios/exercises.test.ts.
 */
const AWS_MODE_EXERCISES: readonly ScenarioId[] = ['thumbnails', 'web-backend'];

/** Defines the suite against the workbook started in `mode` (each test file runs it in one mode). */
export function workbenchSuite(mode: WorkbookMode): void {
  const itInLocal = itInLocalMode(mode);
  beforeAll(async () => {
    workbook = await startWorkbookIn(mode);
    browser = await launchFileBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbook.siteUrl });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await workbook?.stop();
  });

  const read = (...path: string[]) => readFileSync(join(process.cwd(), ...path), 'utf8');

  /** Clicks a toolbar action and waits until the workbench is no longer busy. */
  async function act(page: Page, action: 'deploy' | 'run', timeout = 60_000): Promise<void> {
    await page.locator(`[data-wb-action="${action}"]`).click();
    await whenNotBusy(page, timeout);
  }

  /** The handler with a log line as the first statement of `handler`. */
  function withLogLine(source: string, marker: string): string {
    const match = /export const handler = async \([\s\S]*?=> \{\n/.exec(source);
    if (!match) throw new Error('The handler has no `export const handler = async (…) => {` to add a line to.');
    const at = match.index + match[0].length;
    return `${source.slice(0, at)}  console.log('${marker}');\n${source.slice(at)}`;
  }

  describe.each(SCENARIO_IDS)('the workbench of %s', (scenario) => {
    let page: Page;
    const original = read('scenarios', scenario, SCENARIOS[scenario].functions[0].source);
    const marker = `workbench-e2e-${scenario}-${process.pid}`;
    const edited = withLogLine(original, marker);

    beforeAll(async () => {
      page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    afterAll(async () => {
      await page?.close();
    });

    it('opens with the handler, deploys an edit, runs it and shows the result with the REPORT line', async () => {
      await openWorkbench(page, workbook.siteUrl, scenario);
      await expect(getCode(page)).resolves.toBe(original);
      await expect(settledDeployState(page)).resolves.toBe('Deployed code is up to date');

      await setCode(page, edited);
      await expect(page.locator('[data-wb-deploy-state]').textContent()).resolves.toBe('Changes not deployed');
      await act(page, 'deploy');
      await expect(page.locator('.wb-status-line').textContent()).resolves.toMatch(/^Deployed .+ in [\d.,]+ ms/);
      await expect(page.locator('[data-wb-deploy-state]').textContent()).resolves.toBe('Deployed code is up to date');

      await act(page, 'run');
      const log = await page.locator('.wb-result .wb-log').textContent();
      expect(log).toContain(marker);
      expect(log).toMatch(/^START RequestId: /m);
      expect(log).toMatch(/^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms/m);
      const summary = await page.locator('.wb-report').textContent();
      expect(summary).toMatch(/Billed duration[\d.,]+ ms/);
      expect(summary).toMatch(/Memory used\d+ MB of \d+ MB/);
      expect(summary).toMatch(/Estimated cost\$[\d.]+ on AWS/);
      expect(summary).toMatch(/Cold start|Warm/);
      // The first sample names the deployed resources, so it runs as it is (even the invalid click is
      // an answer, not a function error).
      await expect(page.locator('.wb-status-line').textContent()).resolves.toMatch(/^Succeeded/);
      if (scenario === 'thumbnails') {
        // Its photo did not exist yet: Run uploaded it first, and says so.
        await expect(page.locator('.wb-result .wb-prepared').textContent()).resolves.toMatch(
          /^PutObject \S+\/.+ \([\d,]+ bytes\)/,
        );
      }
      // The same invocation arrives over the trace stream: it stays the one pinned Run, not a second entry.
      await expect.poll(() => page.locator('.wb-pinned .wb-tl-invocation').count(), { timeout: 15_000 }).toBe(1);
      await expect(page.locator('.wb-pinned .wb-log').textContent()).resolves.toContain(marker);
    });

    itInLocal('keeps the edit across a reload', async () => {
      await openWorkbench(page, workbook.siteUrl, scenario);
      await expect(getCode(page)).resolves.toBe(edited);
      await expect(page.locator('.wb-restore-note').textContent()).resolves.toContain('restored');
      await expect(settledDeployState(page)).resolves.toBe('Deployed code is up to date');
    });

    itInLocal('shows a compile error at its line and does not deploy', async () => {
      const broken = `${edited}const = 1;\n`;
      const line = broken.split('\n').length - 1;
      await setCode(page, broken);
      await act(page, 'deploy');
      await expect(page.locator('.wb-status-line').textContent()).resolves.toMatch(/^Not deployed: 1 compile error/);
      const problem = page.locator('.wb-problems .wb-problem').first();
      await expect(problem.textContent()).resolves.toMatch(
        new RegExp(`^${SCENARIOS[scenario].functions[0].source}, line ${line}, column \\d+: `),
      );
      await expect(page.locator('.wb-editor').getAttribute('data-wb-deploy-markers')).resolves.toMatch(
        new RegExp(`^${line}:\\d+$`),
      );
      // (Polled: the deploy state is asked again after the edit, and its answer names the compile error.)
      await expect
        .poll(() => page.locator('[data-wb-deploy-state]').textContent(), { timeout: 15_000 })
        .toBe('Changes not deployed (the code does not compile)');
      // The problem takes the cursor to its line.
      await problem.click();
      // (Polled: Monaco moves the cursor on its next frame, and the line number follows after.)
      await expect
        .poll(() => page.locator('.wb-editor .active-line-number').textContent(), { timeout: 5000 })
        .toBe(String(line));
      // The line is in view now, with its squiggle (Monaco draws decorations of visible lines only).
      await expect.poll(() => page.locator('.wb-editor .squiggly-error').count(), { timeout: 5000 }).toBeGreaterThan(0);
    });

    // Two checks, each within its own budget (checkBudgetMs), plus the steps around them.
    const { id: firstExercise, budget } = FIRST_EXERCISES[scenario];
    const itChecks = mode === 'local' || AWS_MODE_EXERCISES.includes(scenario) ? it : itInLocal;
    itChecks(
      'takes an exercise from its failing starter to a passing solution',
      {
        timeout: 2 * budget + 60_000,
      },
      async () => {
        page.on('dialog', (dialog) => void dialog.accept());
        const exercise = (await page.locator('[data-wb-task-picker] option').nth(1).getAttribute('value')) ?? '';
        expect(exercise).toBeTruthy();
        const dir = ['scenarios', scenario, 'exercises', exercise];
        const starter = read(...dir, 'starter.ts');
        const solution = read(...dir, 'solution.ts');

        // Choosing the exercise puts its starter in the editor, the statement beside it.
        const before = await getCode(page);
        await page.locator('[data-wb-task-picker]').selectOption(exercise);
        const item = page.locator(`.wb-exercise[data-exercise="${exercise}"]`);
        await expect(getCode(page)).resolves.toBe(starter);
        await expect(item.locator('.wb-statement').isVisible()).resolves.toBe(true);

        await item.getByRole('button', { name: 'Show solution' }).click();
        await expect(item.locator('.wb-diff caption').textContent()).resolves.toMatch(
          /\d+ lines added, \d+ lines removed/,
        );
        await expect(getCode(page)).resolves.toBe(starter);

        expect(exercise).toBe(firstExercise);
        const first = await checkMyWork(item, budget);
        await expect(item.locator('.wb-exercise-status').textContent(), first).resolves.toBe('Not passing yet');
        await expect(item.locator('.wb-test-fail').count()).resolves.toBeGreaterThan(0);
        // The report's first line counts the passing tests (moved here from test/e2e/workspace.test.ts).
        const summary = () => item.locator('.wb-exercise-output .wb-check-report > p').first().textContent();
        await expect(summary()).resolves.toMatch(/^\d+ of \d+ tests pass\./);
        await expect(summary()).resolves.not.toMatch(/^All/);

        await setCode(page, solution);
        const report = await checkMyWork(item, budget);
        await expect(item.locator('.wb-exercise-status').textContent(), report).resolves.toBe('Passed');
        await expect(item.locator('.wb-test-fail, .wb-test-error').count()).resolves.toBe(0);
        await expect(summary(), report).resolves.toMatch(/^All \d+ tests pass/);
        const progress = await page.evaluate(
          (key) => JSON.parse(localStorage.getItem(key) ?? '{}') as { exercises?: Record<string, { status: string }> },
          `lambda-workbook:v1:${scenario}:progress`,
        );
        expect(progress.exercises?.[exercise]?.status).toBe('pass');

        // Reset brings the starter back, with an undo; the attempt is kept per exercise.
        await item.getByRole('button', { name: 'Reset to starter' }).click();
        await expect(getCode(page)).resolves.toBe(starter);
        await item.getByRole('button', { name: 'Undo reset' }).click();
        await expect(getCode(page)).resolves.toBe(solution);

        // Back to the lesson: the learner's code from before the exercise.
        await page.locator('[data-wb-task-picker]').selectOption('');
        await expect(getCode(page)).resolves.toBe(before);
        await page.locator('[data-wb-task-picker]').selectOption(exercise);
        await expect(getCode(page)).resolves.toBe(solution);
        await page.locator('[data-wb-task-picker]').selectOption('');
      },
    );
  });
}
