// Screenshots of every lesson's workbench for the docs: starts the workbook (in memory), opens
// each lesson's workbench in Chromium, runs the first sample event and saves the workbench, light
// and dark, to site/public/screenshots/workbench-<scenario>-<theme>.webp.
// Run after `npm run build`: `node tools/workbench-screenshots.ts`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { SCENARIO_IDS } from '../scenarios/catalog.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startWorkbook } from '../test/helpers/workbook.ts';

const OUT = join(process.cwd(), 'site', 'public', 'screenshots');

const workbook = await startWorkbook();
const browser = await launchBrowser();
try {
  mkdirSync(OUT, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    for (const scenario of SCENARIO_IDS) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.addInitScript((value) => {
        localStorage.clear();
        localStorage.setItem('starlight-theme', value);
      }, theme);
      await page.goto(`${workbook.siteUrl}/scenarios/${scenario}/`);
      await page.evaluate(() => document.querySelector<HTMLButtonElement>('[data-wb-open]')?.click());
      await page.locator('[data-wb-root][data-wb-ready]').waitFor({ timeout: 60_000 });
      await page.locator('[data-workbench]').scrollIntoViewIfNeeded();
      await page.locator('[data-wb-action="run"]').click();
      await page.waitForFunction(() => !document.querySelector('[data-wb-root][data-wb-busy]'), undefined, {
        timeout: 60_000,
      });
      await page.locator('.wb-editor[data-wb-types="ready"]').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(1500); // the flow diagram's highlight and the live activity settle
      const file = join(OUT, `workbench-${scenario}-${theme}.webp`);
      const png = await page.locator('[data-workbench]').screenshot({ animations: 'disabled' });
      await sharp(png).webp({ quality: 80 }).toFile(file);
      console.log(`wrote ${file}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await workbook.stop();
}
