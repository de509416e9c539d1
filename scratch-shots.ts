import { launchBrowser } from './test/helpers/browser.ts';
import { openWorkbench } from './test/helpers/workbench-page.ts';
import { startWorkbook } from './test/helpers/workbook.ts';

const workbook = await startWorkbook();
const browser = await launchBrowser();
try {
  for (const scenario of ['thumbnails', 'stream-metrics']) {
    for (const width of [1280, 375]) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 740 });
      await openWorkbench(page, workbook.siteUrl, scenario);
      await page.waitForTimeout(2500);
      await page.screenshot({ path: `/work/shots/main/${scenario}-open-${width}.png` });
      if (width === 375) await page.locator('.wb-pane-tabs [role="tab"]', { hasText: 'Run' }).click();
      await page.locator('[data-wb-action="run"]').click();
      await page.waitForTimeout(1800);
      await page.screenshot({ path: `/work/shots/main/${scenario}-midflight-${width}.png` });
      await page.waitForTimeout(6000);
      await page.screenshot({ path: `/work/shots/main/${scenario}-ran-${width}.png`, fullPage: width === 375 });
      await page.close();
    }
  }
} finally {
  await browser.close();
  await workbook.stop();
}
