// The workbench in Chromium, each figure beside a baseline measured in the same run, interleaved:
// - click "Open the workbench" → editor ready, and → TypeScript ready (declarations loaded, the
//   handler checked with 0 diagnostics), on a first visit (empty HTTP cache) and on a repeat
//   visit, the learner having reached the workbench (scrolled to it, the page idle). Baseline: the
//   same click with the plain textarea editor (`?editor=plain`), or, where the build has no plain
//   mode, a textarea the page creates and focuses on the click.
// - edit → result shown (paste a changed handler, Run: bundle, deploy, invoke, render). Baseline:
//   UpdateFunctionCode (until updated) + Invoke of the same handler's bundle with the AWS SDK.
// The editor is ready when the build's workbench marks `data-editor-ready` (when it has that
// attribute at all, else when the shell marks `[data-wb-root][data-wb-ready]`), the editor shows the
// file's code with its input in place, and the frame that draws it has been rendered — timed in the
// page (clickUntilDrawn), every frame, for the editor and its baseline alike.
// Needs a built site (`npm run build`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import type { CDPSession, Page } from 'playwright-core';
import type { ScenarioInfo, SessionInfo } from '../site/lib/workbench-api.ts';
import { bundleHandler } from '../site/server/bundle.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startWorkbook } from '../test/helpers/workbook.ts';
import { PROJECT_ROOT } from '../test/infra/local/deploy/assembly.ts';
import { ms, printTable, type Row, ratio, summarize } from './lib.ts';

const SCENARIO = 'web-backend';
const ROUNDS = 5;
const TOKEN_HEADER = 'x-workbook-token';
const OPEN_BUTTON = '[data-wb-open]';
/** The editor once TypeScript has its declarations and has checked the file shown. */
const TYPED = '.wb-editor[data-wb-types="ready"][data-wb-diagnostics]';

/** A trivial handler; `n` makes every version different, so Run has to deploy it. */
const trivialHandler = (n: number) =>
  `export const handler = async (event: unknown) => ({ statusCode: 200, body: JSON.stringify({ version: ${n}, event }) });\n`;

/** What the built workbench can do, read from its scripts (so the bench follows the UI as it changes). */
function builtWorkbench(): { readySelector: string; plainMode: boolean } {
  const dir = join(PROJECT_ROOT, 'dist', 'client', '_astro');
  const scripts = readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(dir, file), 'utf8'));
  const marksEditorReady = scripts.some((code) => code.includes('data-editor-ready') || code.includes('editorReady'));
  return {
    readySelector: marksEditorReady ? '[data-editor-ready]' : '[data-wb-root][data-wb-ready]',
    plainMode: scripts.some((code) => code.includes('editor=plain')),
  };
}

type Editor = 'monaco' | 'plain' | 'textarea';

/**
 * Opens the lesson (after emptying the HTTP cache when `cold`), scrolls to the workbench and lets
 * the page go idle (what it fetches meanwhile is what a learner reaching it would have), then
 * clicks Open: milliseconds from the click to the editor being ready.
 */
async function clickToReady(
  page: Page,
  cdp: CDPSession,
  url: string,
  { editor, cold, readySelector }: { editor: Editor; cold: boolean; readySelector: string },
): Promise<{ ready: number; typed: number }> {
  if (cold) await cdp.send('Network.clearBrowserCache');
  // A workbench the learner opened before opens by itself when reached; that would not be a click.
  if (page.url().startsWith(new URL(url).origin)) await page.evaluate(() => localStorage.clear());
  await page.goto(editor === 'plain' ? `${url}?editor=plain` : url, { waitUntil: 'load' });
  await page.evaluate(async (open) => {
    document.querySelector(open)?.scrollIntoView();
    // Idle: no new resource for 1 s, then the main thread has nothing left to do.
    let count = -1;
    const until = performance.now() + 20_000;
    while (performance.now() < until) {
      const now = performance.getEntriesByType('resource').length;
      if (now === count) break;
      count = now;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 10_000 }));
  }, OPEN_BUTTON);
  if (editor === 'textarea') {
    // The floor: a click that gives the learner a plain, focused textarea.
    const ready = await page.evaluate(async (open) => {
      const button = document.querySelector<HTMLButtonElement>(open);
      if (!button) throw new Error('no Open button on the page');
      const start = performance.now();
      button.addEventListener(
        'click',
        () => {
          const textarea = document.createElement('textarea');
          textarea.value = 'export const handler = async () => {};\n'.repeat(40);
          button.after(textarea);
          textarea.focus();
        },
        { once: true, capture: true },
      );
      button.click();
      // Drawn: the next frame's rendering is done (as clickUntilDrawn waits for the editor).
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - start;
    }, OPEN_BUTTON);
    return { ready, typed: ready };
  }
  // Timed in the page, from the click to the frame that draws the code: the workspace opens over the
  // lesson (same page, same clock). Polled every frame, not by Playwright's waitForSelector, which
  // backs off to 500 ms between tries and would add up to half a second to any figure.
  const { ready, typed, diagnostics } = await page.evaluate(clickUntilDrawn, {
    open: OPEN_BUTTON,
    ready: editor === 'monaco' ? readySelector : `${readySelector}, [data-wb-root][data-wb-ready]`,
    typed: editor === 'monaco' ? TYPED : undefined,
  });
  if (editor !== 'monaco') return { ready, typed: ready };
  // Typed: no diagnostics on the shipped handler (a fake error would mean the types are not really there).
  if (diagnostics !== '0') throw new Error(`the shipped handler shows ${diagnostics} TypeScript diagnostics`);
  return { ready, typed };
}

/**
 * In the page: clicks Open and measures until the editor shows the file's code where the learner can
 * type it (Monaco's rendered lines and its input, or the plain editor's textarea with the text), and
 * the frame that draws it has been rendered; then, with `typed`, until that selector matches too.
 */
export async function clickUntilDrawn({
  open,
  ready,
  typed,
}: {
  open: string;
  ready: string;
  typed: string | undefined;
}): Promise<{ ready: number; typed: number; diagnostics: string | null }> {
  const button = document.querySelector<HTMLButtonElement>(open);
  if (!button) throw new Error('no Open button on the page');
  const shows = () => {
    const host = document.querySelector(ready);
    if (!host) return false;
    const editorHost = host.matches('[data-editor-ready]') ? host : (host.querySelector('[data-editor-ready]') ?? host);
    const textarea = editorHost.querySelector<HTMLTextAreaElement>('textarea.wb-plain-editor');
    if (textarea) return textarea.value.trim() !== '' && textarea.getClientRects().length > 0;
    const lines = editorHost.querySelector<HTMLElement>('.monaco-editor .view-lines');
    const input = editorHost.querySelector('.monaco-editor textarea, .monaco-editor .native-edit-context');
    return (
      input !== null && lines !== null && (lines.textContent ?? '').trim() !== '' && lines.getClientRects().length > 0
    );
  };
  // Checked in each frame's animation callbacks; the rendering of the frame whose callback saw it
  // done (its style, layout and paint) runs before the next task, where the time is taken.
  const until = (what: string, done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} in 30 s`)), 30_000);
      const check = () => {
        if (!done()) return void requestAnimationFrame(check);
        clearTimeout(timer);
        setTimeout(resolve, 0);
      };
      requestAnimationFrame(check);
    });
  const start = performance.now();
  button.click();
  await until(`code shown in ${ready}`, shows);
  const readyAt = performance.now() - start;
  if (!typed) return { ready: readyAt, typed: readyAt, diagnostics: null };
  await until(typed, () => document.querySelector(typed) !== null);
  const typedAt = performance.now() - start;
  return {
    ready: readyAt,
    typed: typedAt,
    diagnostics: document.querySelector(typed)?.getAttribute('data-wb-diagnostics') ?? null,
  };
}

/** Replaces the editor's code by pasting, as a learner does. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.locator('.wb-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  // The edit registered: the deploy state no longer says up to date ("Changes not deployed", or
  // "Changed elsewhere" once the baseline's SDK deploys ran).
  await page.locator('[data-wb-deploy-state]:not([data-wb-deploy-status="up-to-date"])').waitFor();
}

/** Run with changed code: click → the result is on screen (the shell marks `wb-result:<scenario>` after rendering it). */
async function runChanged(page: Page, n: number): Promise<number> {
  await paste(page, trivialHandler(n));
  return page.evaluate(async (scenario) => {
    const name = `wb-result:${scenario}`;
    const before = performance.getEntriesByName(name).length;
    const start = performance.now();
    document.querySelector<HTMLButtonElement>('[data-wb-action="run"]')?.click();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no result in 30 s')), 30_000);
      const check = () => {
        if (performance.getEntriesByName(name).length > before) {
          clearTimeout(timer);
          resolve();
        } else requestAnimationFrame(check);
      };
      check();
    });
    const status = document.querySelector('.wb-status-line')?.textContent ?? '';
    if (!status.startsWith('Succeeded')) throw new Error(`the run did not succeed: ${status}`);
    return (performance.getEntriesByName(name).at(-1)?.startTime ?? Number.NaN) - start;
  }, SCENARIO);
}

/** The baseline: UpdateFunctionCode until updated, then Invoke, of an already-built bundle. */
async function sdkDeployInvoke(lambda: LambdaClient, functionName: string, zip: Uint8Array): Promise<number> {
  const start = performance.now();
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip }));
  for (;;) {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    if (config.LastUpdateStatus !== 'InProgress') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const invoked = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify({ rawPath: '/' }) }),
  );
  if (invoked.FunctionError) throw new Error(`the baseline's invoke failed: ${invoked.FunctionError}`);
  return performance.now() - start;
}

export async function benchWorkbench(): Promise<Row[]> {
  const built = builtWorkbench();
  const baseline: Editor = built.plainMode ? 'plain' : 'textarea';
  const baselineName = baseline === 'plain' ? 'plain editor (?editor=plain)' : 'a focused textarea';
  const workbook = await startWorkbook();
  const browser = await launchBrowser();
  const url = `${workbook.siteUrl}/scenarios/${SCENARIO}/`;
  const rows: Row[] = [];
  const started = performance.now();
  try {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbook.siteUrl });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    const readySelector = built.readySelector;
    const open = (editor: Editor, cold: boolean) => clickToReady(page, cdp, url, { editor, cold, readySelector });

    // Interleaved: each round measures every kind once, first visits right after an emptied cache.
    const first = { monaco: [] as number[], typed: [] as number[], base: [] as number[] };
    const repeat = { monaco: [] as number[], typed: [] as number[], base: [] as number[] };
    for (let i = 0; i < ROUNDS; i += 1) {
      for (const [figures, cold] of [
        [first, true],
        [repeat, false],
      ] as const) {
        const { ready, typed } = await open('monaco', cold);
        figures.monaco.push(ready);
        figures.typed.push(typed);
      }
      first.base.push((await open(baseline, true)).ready);
      repeat.base.push((await open(baseline, false)).ready);
    }
    for (const [label, figures, goal] of [
      ['first visit (empty cache)', first, '≤ 1 s'],
      ['repeat visit', repeat, '≤ 400 ms'],
    ] as const) {
      const b = summarize(figures.base);
      for (const [what, values] of [
        ['editor ready', figures.monaco],
        ['types loaded and the handler checked (0 diagnostics)', figures.typed],
      ] as const) {
        const m = summarize(values);
        rows.push({
          name: `click Open → ${what}, ${label}, workbench reached (p50 of ${ROUNDS}; max ${ms(Math.max(...values))})`,
          value: ms(m.p50),
          baseline: `${ms(b.p50)} ${baselineName}`,
          ratio: ratio(m.p50, b.p50),
          goal,
        });
      }
    }

    // Edit → result shown, with the workbench open (Monaco) on the lesson.
    await open('monaco', false);
    await page.locator('.wb-editor .view-lines').waitFor();
    await runChanged(page, 0); // warm-up: the first deploy and cold start
    const session = (await (await fetch(`${workbook.siteUrl}/api/session`)).json()) as SessionInfo;
    const info = (await (
      await fetch(`${workbook.siteUrl}/api/scenarios/${SCENARIO}`, {
        headers: { [TOKEN_HEADER]: session.token, origin: workbook.siteUrl },
      })
    ).json()) as ScenarioInfo;
    const functionName = info.function.name;
    if (functionName === undefined) throw new Error(`the ${SCENARIO} stack is not deployed`);
    const lambda = new LambdaClient({
      endpoint: workbook.cloudEndpoint,
      region: 'us-east-1',
      credentials: workbook.adminCredentials,
    });
    const bundles = await Promise.all(
      Array.from({ length: ROUNDS + 1 }, (_, i) =>
        bundleHandler({ root: PROJECT_ROOT, scenario: SCENARIO, source: trivialHandler(200 + i) }),
      ),
    );
    await sdkDeployInvoke(lambda, functionName, bundles[ROUNDS]!.zip); // warm-up
    const ui: number[] = [];
    const sdk: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      ui.push(await runChanged(page, 100 + i));
      sdk.push(await sdkDeployInvoke(lambda, functionName, bundles[i]!.zip));
    }
    lambda.destroy();
    const u = summarize(ui);
    const s = summarize(sdk);
    rows.push({
      name: `edit → deployed → result shown (trivial handler, p50 of ${ROUNDS})`,
      value: ms(u.p50),
      baseline: `${ms(s.p50)} SDK UpdateFunctionCode + Invoke of the bundle`,
      ratio: ratio(u.p50, s.p50),
      goal: '≤ 300 ms',
    });
    console.error(
      `(workbench bench took ${((performance.now() - started) / 1000).toFixed(0)} s; ready = ${readySelector})`,
    );
  } finally {
    await browser.close();
    await workbook.stop();
  }
  printTable('Workbench (Chromium 1280×800, web-backend lesson)', rows);
  return rows;
}

if (import.meta.main) await benchWorkbench();
