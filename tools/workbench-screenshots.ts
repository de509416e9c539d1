// Screenshots for the tour page (site/content/docs/workbench-tour.mdx), taken from the current UI:
// starts the workbook (in memory), opens each lesson's workspace in Chromium at 1280×800, runs its
// first sample event and saves the screen to site/public/screenshots/workbench-<scenario>.webp; then, in the file-processing lesson,
// the flow diagram mid-flight (workbench-flow.webp), the timeline after three runs
// (workbench-timeline.webp), the function's configuration (workbench-configuration.webp), and the
// phone layout at 375 px (the Run tab after a run: workbench-thumbnails-phone.webp).
// `npm run screenshots` after `npm run build`; `-- phone flow` retakes only the shots named (a
// scenario id, flow, timeline, configuration, phone).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { SCENARIO_IDS } from '../scenarios/catalog.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startWorkbook } from '../test/helpers/workbook.ts';

const OUT = join(process.cwd(), 'site', 'public', 'screenshots');

/** Opens the scenario's workspace with TypeScript ready (light or dark), fresh: no edits, no saved layout. */
async function open(page: Page, siteUrl: string, scenario: string, theme: 'light' | 'dark'): Promise<void> {
  await page.addInitScript((value) => {
    if (sessionStorage.getItem('screenshots-cleared')) return;
    localStorage.clear();
    localStorage.setItem('starlight-theme', value);
    sessionStorage.setItem('screenshots-cleared', '1');
  }, theme);
  await page.goto(`${siteUrl}/scenarios/${scenario}/`);
  await page.locator('[data-wb-open]').click();
  await page.locator('[data-editor-ready]').waitFor({ timeout: 60_000 });
  // (Attached: on a phone the Code tab is hidden.) TypeScript's first verdict can take a while on a
  // busy machine; until it comes the editor shows no squiggles, so the shot is true either way.
  await page.locator('.wb-editor[data-wb-types="ready"]').waitFor({ state: 'attached', timeout: 120_000 });
  await page
    .locator('.wb-editor[data-wb-diagnostics]')
    .waitFor({ state: 'attached', timeout: 30_000 })
    .catch(() => undefined);
  const diagnostics = await page.locator('.wb-editor').getAttribute('data-wb-diagnostics');
  if (diagnostics !== null && diagnostics !== '0') throw new Error(`${scenario}: TypeScript flags the shipped handler`);
  await page.locator('.wb-flow-box svg').first().waitFor({ state: 'attached', timeout: 60_000 });
}

/** Clicks Run and waits until the workspace is no longer busy. */
async function run(page: Page): Promise<void> {
  await page.locator('[data-wb-action="run"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-wb-root][data-wb-busy]'), undefined, {
    timeout: 60_000,
  });
}

async function save(page: Page, name: string): Promise<void> {
  const file = join(OUT, name);
  await sharp(await page.screenshot({ animations: 'disabled' }))
    .webp({ quality: 80 })
    .toFile(file);
  console.log(`wrote ${file}`);
}

const workbook = await startWorkbook();
const browser = await launchBrowser();
const newPage = async (width: number, height: number) => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  return page;
};
try {
  mkdirSync(OUT, { recursive: true });
  const only = process.argv.slice(2);
  const want = (name: string) => only.length === 0 || only.includes(name);
  for (const scenario of SCENARIO_IDS.filter(want)) {
    const page = await newPage(1280, 800);
    await open(page, workbook.siteUrl, scenario, 'light');
    await run(page);
    await page.waitForTimeout(1500); // the flow diagram's highlight and the live activity settle
    await save(page, `workbench-${scenario}.webp`);
    await page.close();
  }
  if (want('flow') || want('timeline') || want('configuration')) {
    const page = await newPage(1280, 800);
    await open(page, workbook.siteUrl, 'thumbnails', 'light');
    // Mid-flight: the diagram lights one step after the other; shot while an arrow is lit.
    await page.locator('[data-wb-action="run"]').click();
    await page.locator('.wb-flow-box [data-lit*=">"]').waitFor({ state: 'attached', timeout: 60_000 });
    if (want('flow')) await save(page, 'workbench-flow.webp');
    await page.waitForFunction(() => !document.querySelector('[data-wb-root][data-wb-busy]'), undefined, {
      timeout: 60_000,
    });
    await run(page);
    await run(page);
    await page.waitForTimeout(2500);
    if (want('timeline')) await save(page, 'workbench-timeline.webp');
    await page.locator('.wb-outputs [role="tab"]', { hasText: 'Configuration' }).click();
    await page.locator('.wb-config-panel [data-wb-config-save]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    if (want('configuration')) await save(page, 'workbench-configuration.webp');
    await page.close();
  }
  if (want('phone')) {
    const phone = await newPage(375, 740);
    await open(phone, workbook.siteUrl, 'thumbnails', 'light');
    await run(phone);
    await phone.waitForTimeout(1500);
    await save(phone, 'workbench-thumbnails-phone.webp');
    await phone.close();
  }
} finally {
  await browser.close();
  await workbook.stop();
}
