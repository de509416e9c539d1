// Driving the workbench of a lesson page in Chromium (test/e2e, bench): open it, read and
// replace the handler in Monaco through the clipboard, as a learner copies and pastes.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Opens the lesson and its workbench (without scrolling to it), and waits for Monaco. */
export async function openWorkbench(page: Page, siteUrl: string, scenario: string): Promise<void> {
  await page.goto(`${siteUrl}/scenarios/${scenario}/`);
  await page.evaluate(() => document.querySelector<HTMLButtonElement>('[data-wb-open]')?.click());
  await page.locator(`[data-workbench="${scenario}"] [data-wb-root][data-wb-ready]`).waitFor({ timeout: 30_000 });
  await expect(page.locator('[data-wb-editor]').getAttribute('data-wb-editor')).resolves.toBe('monaco');
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
