// The workbench in Chromium, each figure beside a baseline measured in the same run:
// - click "Open the workbench" → Monaco ready (handler shown, editable), against the same workbench
//   with the plain textarea editor (`?editor=plain`): what Monaco costs;
// - the same click once the workbench was reached (scrolled near: the loader prefetches);
// - edit → deployed → result shown (Run with a changed trivial handler: deploy, invoke, render),
//   against the same two API calls made by fetch from the same page: what the UI adds.
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startWorkbook } from '../test/helpers/workbook.ts';
import { ms, printTable, type Row, ratio, summarize } from './lib.ts';

const SCENARIO = 'web-backend';
const ROUNDS = 7;
const TOKEN_HEADER = 'x-workbook-token';

/** A trivial handler; `n` makes every version different, so Run has to deploy it. */
const trivialHandler = (n: number) =>
  `export const handler = async (event: unknown) => ({ statusCode: 200, body: JSON.stringify({ version: ${n}, event }) });\n`;

/** Opens the lesson and clicks Open (without scrolling); returns the in-page time from click to editor ready. */
async function clickToReady(page: Page, url: string, prefetched: boolean): Promise<number> {
  // A workbench the learner opened before opens by itself when reached; that would not be a click.
  if (page.url().startsWith(new URL(url).origin)) await page.evaluate(() => localStorage.clear());
  await page.goto(url, { waitUntil: 'load' });
  if (prefetched) {
    await page.evaluate(() => document.querySelector('[data-workbench]')?.scrollIntoView());
    // The loader imports the shell and Monaco when the workbench comes near; wait until both are in.
    await page.waitForFunction(
      () => performance.getEntriesByType('resource').some((entry) => /\/editor\.api\.[\w-]+\.js$/.test(entry.name)),
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForLoadState('networkidle');
  }
  return page.evaluate(async (scenario) => {
    const section = document.querySelector<HTMLElement>(`[data-workbench="${scenario}"]`);
    const button = section?.querySelector<HTMLButtonElement>('[data-wb-open]');
    if (!section || !button) throw new Error('no workbench on the page');
    const start = performance.now();
    button.click();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the editor did not get ready in 30 s')), 30_000);
      const check = () => {
        if (section.querySelector('[data-wb-root][data-wb-ready]')) {
          clearTimeout(timer);
          resolve();
        } else requestAnimationFrame(check);
      };
      check();
    });
    return performance.now() - start;
  }, SCENARIO);
}

/** Replaces the editor's code by pasting, as a learner does. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.locator('.wb-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.locator('[data-wb-deploy-state]', { hasText: 'Changes not deployed' }).waitFor();
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

/** The baseline: the same deploy and invoke, as two fetches from the page, nothing rendered. */
async function apiDeployInvoke(page: Page, n: number): Promise<number> {
  return page.evaluate(
    async ({ scenario, source, header }) => {
      const session = (await (await fetch('/api/session')).json()) as { token: string };
      const post = async (path: string, body: unknown) => {
        const response = await fetch(`/api/scenarios/${scenario}/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [header]: session.token },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      const start = performance.now();
      await post('deploy', { source });
      await post('invoke', { event: { rawPath: '/' }, invocationType: 'RequestResponse' });
      return performance.now() - start;
    },
    { scenario: SCENARIO, source: trivialHandler(n), header: TOKEN_HEADER },
  );
}

export async function benchWorkbench(): Promise<Row[]> {
  const workbook = await startWorkbook();
  const browser = await launchBrowser();
  const url = `${workbook.siteUrl}/scenarios/${SCENARIO}/`;
  const rows: Row[] = [];
  try {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbook.siteUrl });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });

    // The very first open downloads everything (empty HTTP cache): reported on its own.
    const started = performance.now();
    const firstEver = await clickToReady(page, url, false);
    const plainFirst = await clickToReady(page, `${url}?editor=plain`, false);
    const monaco: number[] = [];
    const plain: number[] = [];
    const prefetched: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      monaco.push(await clickToReady(page, url, false));
      plain.push(await clickToReady(page, `${url}?editor=plain`, false));
      prefetched.push(await clickToReady(page, url, true));
    }
    const m = summarize(monaco);
    const p = summarize(plain);
    const pre = summarize(prefetched);
    rows.push(
      {
        name: 'click → editor ready, first visit (empty cache)',
        value: ms(firstEver),
        baseline: `${ms(plainFirst)} plain editor (its first visit)`,
        ratio: ratio(firstEver, plainFirst),
        goal: '≤ 400 ms',
      },
      {
        name: `click → editor ready (p50 of ${ROUNDS}, cached)`,
        value: ms(m.p50),
        baseline: `${ms(p.p50)} plain editor`,
        ratio: ratio(m.p50, p.p50),
        goal: '≤ 400 ms',
      },
      {
        name: `click → editor ready after the workbench was reached (prefetched, p50 of ${ROUNDS})`,
        value: ms(pre.p50),
        baseline: `${ms(p.p50)} plain editor`,
        ratio: ratio(pre.p50, p.p50),
        goal: '≤ 400 ms',
      },
    );

    // Edit → deployed → result shown, with the workbench open (Monaco) on the lesson.
    await clickToReady(page, url, false);
    await page.locator('.wb-editor .view-lines').waitFor();
    await runChanged(page, 0); // warm-up: the first deploy and cold start
    await apiDeployInvoke(page, 1);
    const ui: number[] = [];
    const api: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      ui.push(await runChanged(page, 100 + i));
      api.push(await apiDeployInvoke(page, 200 + i));
    }
    const u = summarize(ui);
    const a = summarize(api);
    rows.push({
      name: `edit → deployed → result shown (trivial handler, p50 of ${ROUNDS})`,
      value: ms(u.p50),
      baseline: `${ms(a.p50)} deploy + invoke by fetch`,
      ratio: ratio(u.p50, a.p50),
      goal: '≤ 300 ms',
    });
    console.error(`(workbench bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await browser.close();
    await workbook.stop();
  }
  printTable('Workbench (Chromium, web-backend lesson)', rows);
  return rows;
}

if (import.meta.main) await benchWorkbench();
