// The workspace walked as a learner walks it, for every scenario, in Chromium at 1280×800: open it
// and find the task, the editor (30 lines or more), the triggers, the flow diagram and the latest
// result's summary on one screen; open every file and see TypeScript find nothing wrong with the
// shipped code (and something wrong with a deliberate type error); edit two files, deploy, run and
// see both edits take effect; see the deploy state say "changed elsewhere" after another tab
// deployed; open every exercise on its starter and see its starter and solution type-check; take an
// exercise on infra.ts from its failing starter to a passing fix typed in the editor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import { loadExercises } from '../../../site/server/checks/exercises.ts';
import { scenarioFiles } from '../../../site/server/scenario-files.ts';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.ts';
import {
  DIAGNOSTICS_WAIT_MS,
  diagnostics,
  getCode,
  openFile,
  openWorkbench,
  setCode,
  whenNotBusy,
} from '../../helpers/workbench-page.ts';
import { type RunningWorkbook, startWorkbook } from '../../helpers/workbook.ts';

const root = process.cwd();
let workbook: RunningWorkbook;
let browser: TestBrowser;

/** Clicks a toolbar action and waits until the workspace is no longer busy. */
async function act(page: Page, action: 'deploy' | 'run', timeout = 60_000): Promise<void> {
  await page.locator(`[data-wb-action="${action}"]`).click();
  await whenNotBusy(page, timeout);
}

/** Whether an element's box lies entirely inside the 1280×800 viewport, and it has a size. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  return (
    box !== null &&
    box.width > 0 &&
    box.height > 0 &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= 1280 &&
    box.y + box.height <= 800
  );
}

/** `source` with `console.log('<marker>')` as the first statement of the function `name`'s body. */
function logInside(source: string, pattern: RegExp, marker: string): string {
  const match = pattern.exec(source);
  if (!match) throw new Error(`No ${pattern} in the file to add a line to.`);
  const at = match.index + match[0].length;
  return `${source.slice(0, at)}\n  console.log('${marker}');${source.slice(at)}`;
}

const HANDLER_START = /export const handler = async \([\s\S]*?=> \{/;
const LOG_START = /export function log\([^)]*\): void \{/;
/** The sample whose run goes through `log()` (web-backend logs when it creates an item). */
const LOGGING_SAMPLE: Partial<Record<string, string>> = { 'web-backend': 'post-item' };
/** TypeScript's verdict on code with no problems: no diagnostics, no squiggles. */
const NO_PROBLEMS = { diagnostics: 0, markers: 0 };
/** The scenario whose exercise on infra.ts is checked in the browser (its check is the quickest). */
const INFRA_EXERCISE_SCENARIO = 'stream-metrics';

function scenarioSuite(scenario: ScenarioId): void {
  describe(`the workspace of ${scenario}`, () => {
    let page: Page;
    const files = scenarioFiles(root, scenario);
    const exercises = loadExercises(root, scenario);
    const handlerPath = `scenarios/${scenario}/${SCENARIOS[scenario].functions[0].source}`;

    beforeAll(async () => {
      page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    afterAll(async () => {
      await page?.close();
    });

    it('fits one 1280×800 screen: task, editor of 30+ lines, triggers, flow diagram and the result summary', async () => {
      await openWorkbench(page, workbook.siteUrl, scenario);
      await page.locator('.wb-flow-box svg').first().waitFor({ timeout: 15_000 });
      await act(page, 'run');
      await expect(page.locator('.wb-status-line').textContent()).resolves.toMatch(/^Succeeded in [\d.,]+ ms/);
      expect(await page.evaluate(() => [document.documentElement.scrollTop, window.scrollY])).toEqual([0, 0]);
      // The task: the lesson's own text, at the section about the workbench.
      expect(await inViewport(page, '[data-wb-pane="task"] .wb-task-head')).toBe(true);
      expect(await inViewport(page, '[data-wb-pane="task"] #try-it-in-the-workbench')).toBe(true);
      expect(await inViewport(page, '.wb-editor')).toBe(true);
      const lines = await page.locator('.wb-editor').evaluate((element) => {
        const line = element.querySelector<HTMLElement>('.view-line');
        return element.clientHeight / (line?.offsetHeight || 1);
      });
      expect(lines).toBeGreaterThanOrEqual(30);
      expect(await inViewport(page, '.wb-inputs [role="tablist"]')).toBe(true);
      expect(await inViewport(page, '[data-wb-action="run"]')).toBe(true);
      expect(await inViewport(page, '.wb-flow-box svg')).toBe(true);
      expect(await inViewport(page, '.wb-status-line')).toBe(true);
      expect(await inViewport(page, '.wb-result .wb-report-figures')).toBe(true);
      // Each results tab shows its own panel only (the timeline's flex layout once beat `hidden`).
      await page.locator('.wb-outputs [role="tab"]', { hasText: 'Configuration' }).click();
      await expect(page.locator('.wb-outputs .wb-timeline').isVisible()).resolves.toBe(false);
      await page.locator('.wb-outputs [role="tab"]', { hasText: 'Invocations' }).click();
      await expect(page.locator('.wb-outputs .wb-timeline').isVisible()).resolves.toBe(true);
    });

    // The page's first TypeScript check (the worker's start) may take its whole wait, then one per file.
    it('shows every file, and TypeScript finds nothing wrong with the shipped code', {
      timeout: 2 * DIAGNOSTICS_WAIT_MS,
    }, async () => {
      expect(
        await page
          .locator('.wb-tree [data-wb-path]')
          .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.wbPath)),
      ).toEqual(files.map((file) => file.path));
      for (const file of files) {
        await openFile(page, file.path);
        await expect(getCode(page)).resolves.toBe(file.content);
        expect({ path: file.path, ...(await diagnostics(page, file.path)) }).toEqual({
          path: file.path,
          diagnostics: 0,
          markers: 0,
        });
      }
    });

    it('finds a deliberate type error, and nothing once it is gone', async () => {
      await openFile(page, handlerPath);
      const original = files.find((file) => file.path === handlerPath)?.content ?? '';
      await setCode(page, `${original}\nexport const wrong: number = 'not a number';\n`);
      const broken = await diagnostics(page, handlerPath);
      expect(broken.diagnostics).toBeGreaterThan(0);
      expect(broken.markers).toBeGreaterThan(0);
      await setCode(page, original);
      await expect(diagnostics(page, handlerPath)).resolves.toEqual({ diagnostics: 0, markers: 0 });
    });

    it('deploys two edited files together, and a run shows both edits', async () => {
      const marker = `workspace-${scenario}-${process.pid}`;
      const handler = files.find((file) => file.path === handlerPath)?.content ?? '';
      const log = files.find((file) => file.path === 'scenarios/shared/log.ts')?.content ?? '';
      await openFile(page, handlerPath);
      await setCode(page, logInside(handler, HANDLER_START, `${marker}-handler`));
      await openFile(page, 'scenarios/shared/log.ts');
      await setCode(page, logInside(log, LOG_START, `${marker}-module`));
      await expect(page.locator('.wb-tree .wb-tree-changed').count()).resolves.toBe(2);
      await expect(page.locator('[data-wb-deploy-state]').textContent()).resolves.toBe('Changes not deployed');
      await act(page, 'deploy');
      await expect
        .poll(() => page.locator('[data-wb-deploy-state]').textContent(), { timeout: 10_000 })
        .toBe('Deployed code is up to date');
      const sample = LOGGING_SAMPLE[scenario];
      if (sample) {
        await page.locator('.wb-inputs [role="tab"]', { hasText: 'Test event' }).click();
        await page.locator(`#wb-${scenario}-event-select`).selectOption(sample);
      }
      await act(page, 'run');
      const output = await page.locator('.wb-result .wb-log').textContent();
      expect(output).toContain(`${marker}-handler`);
      expect(output).toContain(`${marker}-module`);

      // Revert both, with the diff first: the changes are what was typed.
      await page.locator('[data-wb-diff]').click();
      await expect(page.locator('.wb-diff-view .wb-diff-added').first().textContent()).resolves.toContain(
        `${marker}-module`,
      );
      await page.locator('[data-wb-diff]').click();
      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator('[data-wb-revert]').click();
      await expect.poll(() => getCode(page), { timeout: 15_000 }).toBe(log);
      await openFile(page, handlerPath);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.locator('[data-wb-revert]').click();
      await expect.poll(() => getCode(page), { timeout: 15_000 }).toBe(handler);
      await expect(page.locator('.wb-tree .wb-tree-changed').count()).resolves.toBe(0);
    });

    it('says "changed elsewhere" when another tab deploys different code', async () => {
      await act(page, 'deploy');
      await expect
        .poll(() => page.locator('[data-wb-deploy-state]').textContent(), { timeout: 10_000 })
        .toBe('Deployed code is up to date');
      // Another tab of the workbook deploys the handler with an extra line.
      const other = await browser.context.newPage();
      try {
        // The site's home page: a tab of the workbook's origin, without a lesson's editor to warm up.
        await other.goto(`${workbook.siteUrl}/`);
        const handler = files.find((file) => file.path === handlerPath)?.content ?? '';
        const status = await other.evaluate(
          async ({ scenarioId, path, text }) => {
            const session = (await (await fetch('/api/session')).json()) as { token: string };
            const response = await fetch(`/api/scenarios/${scenarioId}/deploy`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-workbook-token': session.token },
              body: JSON.stringify({ files: { [path]: text } }),
            });
            return response.status;
          },
          { scenarioId: scenario, path: handlerPath, text: `${handler}\nconsole.log('deployed by another tab');\n` },
        );
        expect(status).toBe(200);
      } finally {
        await other.close();
      }
      // The live feed reports the update; the state is asked again.
      await expect
        .poll(() => page.locator('[data-wb-deploy-state]').textContent(), { timeout: 15_000 })
        .toMatch(/^Changed elsewhere: /);
      await act(page, 'deploy');
      await expect
        .poll(() => page.locator('[data-wb-deploy-state]').textContent(), { timeout: 10_000 })
        .toBe('Deployed code is up to date');
    });

    it('opens every exercise on its starter, and TypeScript finds nothing wrong with its starter or solution', async () => {
      for (const exercise of exercises) {
        // An exercise on the infrastructure is worked on in infra.ts (editable while it is chosen; the
        // browser does not load the CDK types, so the check's synth is what type-checks it).
        const onInfra = exercise.edits === 'infra.ts';
        await page.locator('[data-wb-task-picker]').selectOption(exercise.id);
        await expect(page.locator('.wb-editor').getAttribute('data-wb-file'), exercise.id).resolves.toBe(
          onInfra ? `scenarios/${scenario}/infra.ts` : handlerPath,
        );
        await expect(getCode(page)).resolves.toBe(exercise.starter);
        if (onInfra) continue;
        await expect(diagnostics(page, handlerPath), `${exercise.id} starter`).resolves.toEqual(NO_PROBLEMS);
        await setCode(page, exercise.solution);
        await expect(diagnostics(page, handlerPath), `${exercise.id} solution`).resolves.toEqual(NO_PROBLEMS);
      }
      // Back to the lesson: the scenario's own handler, the finished reference.
      await page.locator('[data-wb-task-picker]').selectOption('');
      await expect(getCode(page)).resolves.toBe(readFileSync(join(root, handlerPath), 'utf8'));
    });

    // "Check my work" on a handler exercise runs in the browser in test/e2e/suites/workbench.ts (each
    // scenario's first, in both modes); every exercise's check runs without a browser in
    // test/scenarios/exercises.test.ts. Here: the path of an exercise on infra.ts, typed in the editor.
    if (scenario === INFRA_EXERCISE_SCENARIO) {
      const exercise = exercises.find((candidate) => candidate.edits === 'infra.ts');
      it(`exercise ${exercise?.id} on infra.ts: the starter fails the check, the fix typed in infra.ts passes`, {
        timeout: 240_000,
      }, async () => {
        if (!exercise) throw new Error(`${scenario} has no exercise on infra.ts`);
        await page.locator('[data-wb-task-picker]').selectOption(exercise.id);
        await expect(page.locator('.wb-editor').getAttribute('data-wb-file')).resolves.toBe(
          `scenarios/${scenario}/infra.ts`,
        );
        await setCode(page, exercise.starter);
        const check = async () => {
          await page.locator('[data-wb-action="check"]').click();
          await page.locator('.wb-exercise-output .wb-check-report').waitFor({ timeout: 200_000 });
          return page.locator('.wb-exercise-output .wb-check-report > p').first().textContent();
        };
        await expect(check()).resolves.toMatch(/^\d+ of \d+ tests pass\./);
        expect(await page.locator('.wb-exercise-output .wb-check-report > p').first().textContent()).not.toMatch(
          /^All/,
        );
        await setCode(page, exercise.solution);
        const summary = await check();
        // On a failure, the whole report (each test's message) says why.
        const report = (await page.locator('.wb-exercise-output .wb-check-report').textContent()) ?? '';
        expect(summary, report).toMatch(/^All \d+ tests pass/);
        await page.locator('[data-wb-task-picker]').selectOption('');
        await expect(getCode(page)).resolves.toBe(readFileSync(join(root, handlerPath), 'utf8'));
      });
    }
  });
}

function openingSuite(): void {
  // Opening: what only the first editor of a page pays for happens in idle time after the lesson
  // loaded, and the learner's code is on screen, ready to type in, without waiting for anything the
  // editor does not need to show it (its type declarations, the deploy state, the flow diagram).
  describe('opening the workspace', () => {
    const scenario = 'web-backend';
    const lesson = () => `${workbook.siteUrl}/scenarios/${scenario}/`;
    let page: Page;

    beforeAll(async () => {
      page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    afterAll(async () => {
      await page?.close();
    });

    it('warms the editor up in idle time after the lesson loaded and leaves no editor of it behind', async () => {
      await page.goto(lesson());
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      // Before any click: an editor was made (Monaco's theme stylesheet is on the page), then dropped,
      // and its icon font fetched.
      await expect
        .poll(
          () =>
            page.evaluate(() => ({
              themed: document.querySelector('style.monaco-colors') !== null,
              editors: document.querySelectorAll('.monaco-editor').length,
              iconFont: performance.getEntriesByType('resource').some((entry) => /codicon[^/]*\.ttf$/.test(entry.name)),
            })),
          { timeout: 60_000 },
        )
        .toEqual({ themed: true, editors: 0, iconFont: true });
      await expect(page.locator('[data-wb-root]').isHidden()).resolves.toBe(true);
    });

    it('opens over a warmed-up page without restyling it: nothing added to its stylesheets, the icon font kept, the code drawn with the editor', async () => {
      await page.goto(lesson());
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      // Idle time did its work: the editor warmed up, the panels' stylesheet is on the page, and Monaco
      // wrote its icon stylesheet anew for the TypeScript mode's icons (its @font-face with it) ...
      await expect
        .poll(
          () =>
            page.evaluate(
              () =>
                performance.getEntriesByName('wb-editor-warm').length > 0 &&
                document.querySelector('style[data-lazy-css="workbench/panels.css"]') !== null &&
                (document.querySelector('style.monaco-colors')?.textContent ?? '').includes(
                  'codicon-suggest-more-info',
                ),
            ),
          { timeout: 60_000 },
        )
        .toBe(true);
      // ... and the icon font was loaded again for it, before anything drew an icon.
      await expect
        .poll(
          () =>
            page.evaluate(() =>
              [...document.fonts].filter((face) => face.family === 'codicon').map((face) => face.status),
            ),
          { timeout: 10_000 },
        )
        .toEqual(['loaded']);
      const seen = await page.evaluate(async () => {
        const iconCss = () => document.querySelector('style.monaco-colors')?.textContent ?? '';
        // The page's stylesheets and the workbench's lazily added ones (Monaco adds a few rules of its own).
        const sheets = () => document.querySelectorAll('link[rel="stylesheet"], style[data-lazy-css]').length;
        const before = { iconCss: iconCss(), sheets: sheets() };
        const iconFont = [...document.fonts].filter((face) => face.family === 'codicon').map((face) => face.status);
        const root = document.querySelector('[data-wb-root]') as HTMLElement;
        // Where the code is when the workspace says the editor is ready (before any frame is drawn).
        const codeWhenReady = new Promise<string>((resolve) => {
          const observer = new MutationObserver(() => {
            const host = root.querySelector('[data-editor-ready]');
            if (!host) return;
            observer.disconnect();
            resolve(host.querySelector('.view-lines')?.textContent ?? '');
          });
          observer.observe(root, { subtree: true, attributes: true, attributeFilter: ['data-editor-ready'] });
        });
        document.querySelector<HTMLButtonElement>('[data-wb-open]')?.click();
        const code = await codeWhenReady;
        // TypeScript's verdict on the handler: what Monaco loads last for the editor.
        await new Promise<void>((resolve) => {
          const check = () =>
            document.querySelector('.wb-editor[data-wb-types="ready"][data-wb-diagnostics]')
              ? resolve()
              : setTimeout(check, 50);
          check();
        });
        return {
          code,
          iconFont,
          iconCssKept: iconCss() === before.iconCss,
          sheetsAdded: sheets() - before.sheets,
        };
      });
      const firstLine = readFileSync(join(root, `scenarios/${scenario}/handler.ts`), 'utf8').split('\n')[0] ?? '';
      expect(seen.code.replace(/\s+/g, ' ')).toContain(firstLine.replace(/\s+/g, ' ').trim());
      expect(seen.iconFont).toEqual(['loaded']);
      expect(seen.iconCssKept).toBe(true);
      expect(seen.sheetsAdded).toBe(0);
    });

    it("keeps the lesson's code blocks from scrolling sideways in the task pane, at its narrowest too", async () => {
      // The pane leaves the lesson's parts it does not show unstyled; a code block that scrolled would
      // then be measured as not scrolling and left unfocusable (axe: scrollable-region-focusable).
      const overflowing = () =>
        page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('.wb-lesson .expressive-code pre')]
            .filter((pre) => pre.scrollWidth > pre.clientWidth)
            .map((pre) => pre.textContent?.slice(0, 60)),
        );
      await expect(page.locator('.wb-lesson .expressive-code pre').count()).resolves.toBeGreaterThan(3);
      await expect(overflowing()).resolves.toEqual([]);
      await page.locator('[data-wb-splitter="task"]').focus();
      await page.keyboard.press('Home');
      await expect(overflowing()).resolves.toEqual([]);
      await page.keyboard.press('End');
      await expect(overflowing()).resolves.toEqual([]);
      await page.evaluate(() => localStorage.clear());
    });

    it('shows the handler, ready to type in, while its type declarations and the deploy state are still on their way', async () => {
      // Held from the page's load on (the declarations are preloaded in idle time, too).
      const held: Array<() => Promise<void>> = [];
      const hold = (pattern: string) =>
        page.route(pattern, (route) => {
          held.push(() => route.continue());
        });
      await hold('**/workbench/types/*.json');
      await hold('**/deploy-state');
      try {
        await page.goto(lesson());
        await page.evaluate(() => document.querySelector<HTMLButtonElement>('[data-wb-open]')?.click());
        const code = page.locator('.wb-editor .view-lines');
        const firstLine = readFileSync(join(root, `scenarios/${scenario}/handler.ts`), 'utf8').split('\n')[0] ?? '';
        await code.filter({ hasText: firstLine }).waitFor({ timeout: 30_000 });
        await expect(page.locator('[data-wb-deploy-state]').getAttribute('data-wb-deploy-status')).resolves.toBe(
          'checking',
        );
        await page.locator('.wb-editor .view-line').first().click();
        await page.keyboard.press('Control+Home');
        await page.keyboard.type('// typed at once\n');
        await code.filter({ hasText: '// typed at once' }).waitFor({ timeout: 5_000 });
        await expect(page.locator('.wb-editor').getAttribute('data-wb-types')).resolves.toBeNull();
        expect(held.length).toBeGreaterThan(0);
        // The lesson beside it is drawn as it is scrolled to, not all at once while the editor waits.
        await expect(
          page
            .locator('.wb-lesson > p')
            .first()
            .evaluate((element) => getComputedStyle(element).contentVisibility),
        ).resolves.toBe('auto');
      } finally {
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        for (const release of held.splice(0)) await release().catch(() => undefined);
      }
      // Released, the declarations arrive and TypeScript checks the file.
      await expect
        .poll(() => page.locator('.wb-editor').getAttribute('data-wb-types'), { timeout: 30_000 })
        .toBe('ready');
    });
  });
}

/**
 * Defines the workspace suite for `scenarios` against a workbook of its own (it deploys edits), plus
 * the opening tests when `opening` is set. The scenarios are split over two files so the e2e run's
 * two workers share the work (test/e2e/workspace*.test.ts).
 */
export function workspaceSuite(scenarios: readonly ScenarioId[], { opening = false } = {}): void {
  beforeAll(async () => {
    workbook = await startWorkbook();
    browser = await launchBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbook.siteUrl });
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await workbook?.stop();
  });

  for (const scenario of scenarios) scenarioSuite(scenario);
  if (opening) openingSuite();
}
