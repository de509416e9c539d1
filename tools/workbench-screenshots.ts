// Screenshots of every lesson's workspace for the tour page: starts the workbook (in memory), opens
// each lesson's workspace in Chromium at 1280×800, runs the first sample event and saves the screen,
// light and dark, to site/public/screenshots/workbench-<scenario>-<theme>.webp; and the phone layout
// (375 px, the Run tab after a run) of the file-processing lesson to workbench-thumbnails-phone.webp.
// Run after `npm run build`: `node tools/workbench-screenshots.ts` (`-- phone`: the phone one only).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { SCENARIO_IDS } from '../scenarios/catalog.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startWorkbook } from '../test/helpers/workbook.ts';

const OUT = join(process.cwd(), 'site', 'public', 'screenshots');

/** Opens the scenario's workspace, runs its first sample and waits until the screen settled. */
async function openAndRun(page: Page, siteUrl: string, scenario: string, theme: 'light' | 'dark'): Promise<void> {
  await page.addInitScript((value) => {
    localStorage.clear();
    localStorage.setItem('starlight-theme', value);
  }, theme);
  await page.goto(`${siteUrl}/scenarios/${scenario}/`);
  await page.locator('[data-wb-open]').click();
  await page.locator('[data-editor-ready]').waitFor({ timeout: 60_000 });
  await page.locator('[data-wb-action="run"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-wb-root][data-wb-busy]'), undefined, {
    timeout: 60_000,
  });
  // (Attached: on a phone, Run shows the Run tab and hides the editor.)
  await page.locator('.wb-editor[data-wb-types="ready"]').waitFor({ state: 'attached', timeout: 60_000 });
  await page.waitForTimeout(1500); // the flow diagram's highlight and the live activity settle
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
try {
  mkdirSync(OUT, { recursive: true });
  const phoneOnly = process.argv.includes('phone');
  for (const theme of phoneOnly ? [] : (['light', 'dark'] as const)) {
    for (const scenario of SCENARIO_IDS) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await openAndRun(page, workbook.siteUrl, scenario, theme);
      await save(page, `workbench-${scenario}-${theme}.webp`);
      await page.close();
    }
  }
  const phone = await browser.context.newPage();
  await phone.setViewportSize({ width: 375, height: 740 });
  await openAndRun(phone, workbook.siteUrl, 'thumbnails', 'light');
  await save(phone, 'workbench-thumbnails-phone.webp');
  await phone.close();
} finally {
  await browser.close();
  await workbook.stop();
}
