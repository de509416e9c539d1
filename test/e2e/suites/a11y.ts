// Accessibility of the lesson pages with the workspace open: axe-core (injected from
// node_modules) finds no violations, in the light and the dark theme, with the test event shown,
// the function's configuration and an exercise with its solution diff shown (each state scanned once
// per theme, on one page per scenario: the whole page in the first state, then the part each next
// state changes); and the workspace fits a 375-pixel-wide phone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioId } from '../../../scenarios/catalog.ts';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import { reusePages } from '../../helpers/page-reuse.ts';
import { sharedWorkbook } from '../../helpers/shared-workbook.ts';
import { openWorkbench } from '../../helpers/workbench-page.ts';
import type { RunningWorkbook } from '../../helpers/workbook.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

/**
 * A test here opens a lesson with Monaco and the panels and runs full axe-core scans: tens of
 * seconds of CPU on a busy 2-core machine (49 s measured under load), more than the default 60 s
 * leaves room for.
 */
const AXE_TEST_MS = 180_000;

let workbook: RunningWorkbook;
let browser: TestBrowser;

/**
 * Runs axe on the whole page, or on the element `within` selects; violations as readable lines
 * (empty when there are none).
 */
async function axeViolations(page: Page, within?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  if (within !== undefined) await expect(page.locator(within).count(), within).resolves.toBe(1);
  const violations = await page.evaluate(async (selector) => {
    type Context = Document | { include: string[][] };
    const axe = (window as unknown as { axe: { run(context: Context): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(selector === undefined ? document : { include: [[selector]] })).violations;
  }, within);
  return (violations as AxeViolation[]).flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`,
    ),
  );
}

/** Waits until Monaco's view rendered and the flow and resources panels mounted and settled. */
async function settle(page: Page): Promise<void> {
  await page.locator('.wb-editor .view-lines').waitFor({ state: 'attached' });
  await page.locator('.wb-flow-box .wb-panel-host > *').first().waitFor({ state: 'attached', timeout: 15_000 });
  await page.locator('.wb-outputs .wb-panel-host > *').first().waitFor({ state: 'attached', timeout: 15_000 });
  // Then until the panels' transitions and animations have ended (axe reads colours mid-fade otherwise);
  // endless ones (a pulsing highlight) are left running. Polled with a budget: one that never ends
  // is named in the failure instead of hanging the test until its timeout.
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          document
            .getAnimations()
            .filter(
              (animation) =>
                animation.playState === 'running' &&
                animation.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY,
            )
            .map((animation) => {
              const target = (animation.effect as KeyframeEffect | null)?.target;
              return `${animation.constructor.name} on ${target?.tagName.toLowerCase()}.${target?.className}`;
            }),
        ),
      { timeout: 15_000, message: 'animations still running' },
    )
    .toEqual([]);
}

/**
 * Switches the page's theme the way a learner does (Starlight's theme select), and waits until the
 * page and Monaco (which follows `<html data-theme>`) have repainted.
 */
async function switchTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.locator('starlight-theme-select select').first().selectOption(theme);
  // (Polled: the select's change handler sets it; a page busy with Monaco answers slowly on a loaded machine.)
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), { timeout: 15_000 }).toBe(theme);
  await settle(page);
}

function lessonSuite(scenario: ScenarioId): void {
  describe(`accessibility of the ${scenario} lesson with the workbench open`, () => {
    // One page per scenario, its workbench opened once (see page-reuse.ts): first at 375 px, as a
    // phone loads it, in the dark theme the profile stores; then the same page widened to 1280 px
    // for the scans in both themes.
    const pages = reusePages(() => browser.context);
    /** Runs `test` on the scenario's page at `width`×`height`. */
    async function onWorkbenchPage(width: number, height: number, test: (page: Page) => Promise<void>): Promise<void> {
      const page = await pages.at(scenario, { width, height }, async (fresh) => {
        // The browser's pages share one profile: each opens in the dark theme, whatever the last chose.
        await fresh.addInitScript(() => localStorage.setItem('starlight-theme', 'dark'));
        await openWorkbench(fresh, workbook.siteUrl, scenario);
      });
      await test(page);
    }

    it('fits a 375-pixel-wide screen and works by keyboard', { timeout: AXE_TEST_MS }, async () => {
      await onWorkbenchPage(375, 740, async (page) => {
        await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
        await page.locator('[data-workbench]').scrollIntoViewIfNeeded();
        await settle(page);
        const overflow = await page.evaluate(() => {
          const section = document.querySelector<HTMLElement>('[data-workbench]');
          return {
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            section: section ? section.scrollWidth - section.clientWidth : -1,
          };
        });
        expect(overflow).toEqual({ page: 0, section: 0 });
        // The tabs follow the ARIA pattern: arrow keys move the selection.
        const firstTab = page.locator('.wb-pane-tabs [role="tab"]').first();
        await firstTab.focus();
        await page.keyboard.press('ArrowRight');
        await expect(
          page.locator('.wb-pane-tabs [role="tab"][aria-selected="true"]').getAttribute('id'),
        ).resolves.not.toBe(await firstTab.getAttribute('id'));
        await page.keyboard.press('Home');
        await expect(firstTab.getAttribute('aria-selected')).resolves.toBe('true');
        expect(await axeViolations(page)).toEqual([]);
      });
    });

    // Each state of the workspace scanned in both themes, the page switching between them as a
    // learner does (to light, then dark, back to light and to dark again), each state in the theme
    // the last left, then in the other. The first state's scans cover the whole page; a later
    // state's cover what it changed (a full scan of this page takes seconds of CPU, and the rest of
    // the page is as the earlier scans saw it).
    // Both themes' scans in one test: twice a test's budget.
    it('has no axe violations in the light and the dark theme', { timeout: 2 * AXE_TEST_MS }, async () => {
      await onWorkbenchPage(1280, 900, async (page) => {
        await switchTheme(page, 'light');
        await page.locator('[data-workbench]').scrollIntoViewIfNeeded();
        await settle(page);
        let theme: 'light' | 'dark' = 'light';
        /** Axe's findings (of `within`, or the whole page) in both themes, by theme. */
        const inBothThemes = async (within?: string) => {
          const found: Record<string, string[]> = {};
          found[theme] = await axeViolations(page, within);
          theme = theme === 'light' ? 'dark' : 'light';
          await switchTheme(page, theme);
          found[theme] = await axeViolations(page, within);
          return found;
        };
        const none = { light: [], dark: [] };
        await page.locator('[role="tab"]', { hasText: 'Test event' }).click();
        expect(await inBothThemes(), 'the test event').toEqual(none);
        // The function's configuration (the form, the triggers, the role's policy): a tab of the results box.
        await page.locator('[role="tab"]', { hasText: 'Configuration' }).click();
        await page.locator('.wb-config-panel .wb-config__policies').waitFor({ timeout: 15_000 });
        expect(await inBothThemes('[data-workbench] .wb-outputs'), 'the configuration').toEqual(none);

        // An exercise changes the task pane, the editor's file and the toolbar: the workspace is scanned.
        const first = (await page.locator('[data-wb-task-picker] option').nth(1).getAttribute('value')) ?? '';
        await page.locator('[data-wb-task-picker]').selectOption(first);
        const exercise = page.locator('.wb-exercise').first();
        await exercise.getByRole('button', { name: 'Show solution' }).click();
        await exercise.locator('.wb-diff').waitFor();
        expect(await inBothThemes('[data-workbench]'), 'the exercise and its solution diff').toEqual(none);
      });
    });
  });
}

function searchSuite(): void {
  describe('accessibility of the search dialog', () => {
    for (const theme of ['light', 'dark'] as const) {
      it(`has no axe violations with results shown in the ${theme} theme`, { timeout: AXE_TEST_MS }, async () => {
        const page = await browser.context.newPage();
        try {
          await page.setViewportSize({ width: 1280, height: 900 });
          await page.addInitScript((value) => localStorage.setItem('starlight-theme', value), theme);
          await page.goto(`${workbook.siteUrl}/scenarios/stream-metrics/`);
          await page.locator('[data-search-open]').click();
          await page.getByRole('searchbox', { name: 'Search the workbook' }).fill('kinesis');
          await page.locator('[data-search-results] mark').first().waitFor({ timeout: 15_000 });
          // A result with the keyboard focus on it, the way a keyboard user sees the list.
          await page.keyboard.press('ArrowDown');
          expect(await axeViolations(page)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  });
}

/**
 * Defines the accessibility suite for the lessons of `scenarios`, plus the search dialog's when
 * `search` is set. The lessons are split over two files so the e2e run's two workers share the work
 * (test/e2e/a11y*.test.ts).
 */
export function a11ySuite(scenarios: readonly ScenarioId[], { search = false } = {}): void {
  beforeAll(async () => {
    // It reads the site and opens workbenches, deploying nothing: the run's shared workbook serves it.
    workbook = await sharedWorkbook();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await workbook?.stop();
  });

  for (const scenario of scenarios) lessonSuite(scenario);
  if (search) searchSuite();
}
