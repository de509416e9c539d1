// Driving the workspace of a lesson page in Chromium (test/e2e, bench): open it, choose a file,
// read and replace the file shown in Monaco through the clipboard, as a learner copies and pastes.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ScenarioId } from '../../scenarios/catalog.ts';
import { loadCheckTests, TEST_TIMEOUT_MS } from '../../site/server/checks/run.ts';
import { UPDATE_WAIT_SECONDS } from '../../site/server/deploy-edit.ts';

/**
 * Opens the lesson and its workspace, and waits for the editor. The stable hooks: `[data-wb-open]`
 * opens it, the editor's container gets `data-editor-ready`.
 */
export async function openWorkbench(page: Page, siteUrl: string, scenario: string): Promise<void> {
  await page.goto(`${siteUrl}/scenarios/${scenario}/`);
  await page.evaluate(() => document.querySelector<HTMLButtonElement>('[data-wb-open]')?.click());
  await page.locator(`[data-workbench="${scenario}"] [data-wb-root][data-wb-ready]`).waitFor({ timeout: 30_000 });
  await page.locator('[data-editor-ready]').waitFor({ timeout: 30_000 });
  await expect(page.locator('[data-wb-editor]').getAttribute('data-wb-editor')).resolves.toBe('monaco');
}

/**
 * Waits until the workspace is no longer busy (no root carries `data-wb-busy`). A locator wait:
 * Playwright re-checks it with a backoff, where `waitForFunction` would run on every animation
 * frame and keep a page that has nothing to draw rendering at 60 frames a second.
 */
export async function whenNotBusy(page: Page, timeout: number): Promise<void> {
  await page.locator('[data-wb-root][data-wb-busy]').waitFor({ state: 'detached', timeout });
}

/** What the deploy state shows while the workspace asks the workbook what is deployed (site/components/workbench/workspace/deploy-state.ts). */
const CHECKING_DEPLOYED = 'Checking what is deployed…';

/**
 * The deploy state's text once it has settled: on opening (and after a reload) the workspace asks
 * the workbook what is deployed, and shows "Checking what is deployed…" until it answers, which
 * takes longer on a busy machine.
 */
export async function settledDeployState(page: Page, timeout = 20_000): Promise<string | null> {
  const state = page.locator('[data-wb-deploy-state]');
  await expect.poll(() => state.textContent(), { timeout }).not.toBe(CHECKING_DEPLOYED);
  return state.textContent();
}

/** Shows a file of the workspace in the editor (clicks it in the file tree). */
export async function openFile(page: Page, path: string): Promise<void> {
  await page.locator(`.wb-tree [data-wb-path="${path}"]`).click();
  await expect.poll(() => page.locator('.wb-editor').getAttribute('data-wb-file'), { timeout: 10_000 }).toBe(path);
}

/** Replaces the editor's text the way a learner pastes code: select all, paste. */
export async function setCode(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.locator('.wb-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await expect.poll(() => getCode(page), { timeout: 10_000 }).toBe(text);
}

/** The editor's whole text, copied out of Monaco. */
export async function getCode(page: Page): Promise<string> {
  await page.locator('.wb-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Bundling the learner's handler with esbuild (the rest of a deploy is UpdateFunctionCode and its wait). */
const BUNDLE_BUDGET_MS = 30_000;

/**
 * The longest "Check my work" may take for `exercise`, by the check's own limits: the deploy
 * (bundle, then site/server/deploy-edit.ts waiting for the update) and each test up to its
 * timeout (site/server/checks/run.ts). A wait for its report shorter than this races the check.
 */
export async function checkBudgetMs(root: string, scenario: ScenarioId, exercise: string): Promise<number> {
  const tests = await loadCheckTests(root, scenario, exercise);
  const testsMs = tests.reduce((sum, test) => sum + (test.timeoutMs ?? TEST_TIMEOUT_MS), 0);
  return BUNDLE_BUDGET_MS + UPDATE_WAIT_SECONDS * 1000 + testsMs;
}

/**
 * Clicks the exercise's "Check my work" and waits for the event that ends a check: its report (or
 * the message that it could not run) replaced the progress line and the button is enabled again.
 * Returns the report's text.
 */
export async function checkMyWork(exercise: Locator, budgetMs: number): Promise<string> {
  const button = exercise.getByRole('button', { name: 'Check my work' });
  const output = exercise.locator('.wb-exercise-output');
  // The click handler puts the progress line in place before it awaits anything.
  await button.click();
  try {
    await exercise.locator('.wb-check-progress').waitFor({ state: 'detached', timeout: budgetMs });
  } catch (error) {
    throw new Error(`The check did not end within its budget of ${budgetMs / 1000} s: ${await output.textContent()}`, {
      cause: error,
    });
  }
  await expect.poll(() => button.getAttribute('aria-disabled'), { timeout: 5_000 }).toBeNull();
  return (await output.textContent()) ?? '';
}

/**
 * How long the TypeScript worker may take to answer: its first check on a page loads the lib and the
 * scenario's types bundle first (over 30 s once, with the machine's two cores shared eight ways).
 */
export const DIAGNOSTICS_WAIT_MS = 60_000;

/**
 * TypeScript's verdict on the file shown, once its worker checked the current text: the number of
 * diagnostics and of the markers (squiggles) Monaco shows.
 */
export async function diagnostics(page: Page, path: string): Promise<{ diagnostics: number; markers: number }> {
  // (A locator wait, not one on every animation frame: see whenNotBusy.)
  await page
    .locator(`.wb-editor[data-wb-diagnostics-for^="${path}@"][data-wb-diagnostics]`)
    .first()
    .waitFor({ state: 'attached', timeout: DIAGNOSTICS_WAIT_MS });
  const read = () =>
    page.locator('.wb-editor').evaluate((element) => ({
      diagnostics: Number((element as HTMLElement).dataset.wbDiagnostics),
      markers: Number((element as HTMLElement).dataset.wbMarkers ?? 0),
    }));
  // Monaco sets its markers a moment after the worker answered: wait until they agree.
  await expect
    .poll(
      async () => {
        const now = await read();
        return now.markers === now.diagnostics;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  return read();
}
