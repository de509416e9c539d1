// One browser page per key (a scenario, a lesson) shared by the tests that follow in its file or
// describe block: loading a lesson (its editor warm-up) and opening its workbench (Monaco, its
// TypeScript worker) cost Chromium seconds of CPU each, an idle page nothing. A later test takes the
// page as the earlier left it, resized to its own viewport (the workbench's panels and the diagrams
// follow their column's size). A failed test leaves its page in an unknown state (and its trace
// stream open, one of the browser's six connections to the site): every kept page closes then, and
// the next test opens its own.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach } from 'vitest';

export interface Viewport {
  width: number;
  height: number;
}

export interface ReusedPages {
  /**
   * The page kept for `key`, resized to `viewport`; when none is kept (or it was closed), a new page
   * of `context` at `viewport` that `open` prepares (and that closes if `open` throws).
   */
  at(key: string, viewport: Viewport, open: (page: Page) => Promise<void>): Promise<Page>;
  /** Closes the page kept for `key`: no later test uses it. */
  close(key: string): Promise<void>;
}

/**
 * Pages reused across the tests of the current file or describe block (call it there: it registers
 * that block's afterEach, closing every kept page when a test fails, and afterAll).
 */
export function reusePages(context: () => BrowserContext): ReusedPages {
  const kept = new Map<string, Promise<Page>>();
  const settled = (pending: Promise<Page> | undefined) => pending?.catch(() => undefined);

  async function closeAll(): Promise<void> {
    const pages = [...kept.values()];
    kept.clear();
    for (const pending of pages) await (await settled(pending))?.close();
  }
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await closeAll();
  });
  afterAll(closeAll);

  return {
    async at(key, viewport, open) {
      const current = await settled(kept.get(key));
      if (current !== undefined && !current.isClosed()) {
        await current.setViewportSize(viewport);
        return current;
      }
      const pending = (async () => {
        const page = await context().newPage();
        try {
          await page.setViewportSize(viewport);
          await open(page);
          return page;
        } catch (error) {
          await page.close();
          throw error;
        }
      })();
      kept.set(key, pending);
      return pending;
    },
    async close(key) {
      const pending = kept.get(key);
      kept.delete(key);
      await (await settled(pending))?.close();
    },
  };
}
