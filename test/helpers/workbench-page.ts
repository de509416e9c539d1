// Driving the workspace of a lesson page in Chromium (test/e2e, bench): open it, choose a file,
// read and replace the file shown in Monaco through the clipboard, as a learner copies and pastes.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

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

/**
 * TypeScript's verdict on the file shown, once its worker checked the current text: the number of
 * diagnostics and of the markers (squiggles) Monaco shows.
 */
export async function diagnostics(page: Page, path: string): Promise<{ diagnostics: number; markers: number }> {
  await page.waitForFunction(
    (file) => {
      const editor = document.querySelector<HTMLElement>('.wb-editor');
      return editor?.dataset.wbDiagnosticsFor?.startsWith(`${file}@`) && editor.dataset.wbDiagnostics !== undefined;
    },
    path,
    { timeout: 30_000 },
  );
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
