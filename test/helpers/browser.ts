import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { requireTool } from '../../tools/preflight/discover.ts';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh, throw-away profile. */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'workbook-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    // The machine's Chromium or Chrome (CHROMIUM_PATH, Debian/Ubuntu, Google Chrome, Playwright's cache).
    executablePath: requireTool('chromium'),
    headless: true,
    args: FLAGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

let fileBrowser: { users: number; browser: Promise<TestBrowser> } | undefined;

/**
 * The browser of the current test file (modules are per file): the first suite to ask launches it,
 * each later one gets the same, and it closes when the last lets go. A file running two suites (the
 * workbench panels, then the workbench, in AWS mode) starts one Chromium instead of two.
 */
export async function launchFileBrowser(): Promise<TestBrowser> {
  if (fileBrowser === undefined) {
    const launched = launchBrowser();
    fileBrowser = { users: 0, browser: launched };
    launched.catch(() => {
      if (fileBrowser?.browser === launched) fileBrowser = undefined;
    });
  }
  const mine = fileBrowser;
  mine.users++;
  const browser = await mine.browser;
  let released = false;
  return {
    context: browser.context,
    async close() {
      if (released) return;
      released = true;
      mine.users--;
      if (mine.users > 0) return;
      if (fileBrowser === mine) fileBrowser = undefined;
      await browser.close();
    },
  };
}

/**
 * Headless Chromium for tests that each need a fresh profile (nothing stored, an empty cache): every
 * `newContext()` is one, in the one browser, instead of a browser launched per test.
 */
export async function launchForFreshProfiles(): Promise<{
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}> {
  const browser = await chromium.launch({ executablePath: requireTool('chromium'), headless: true, args: FLAGS });
  return {
    newContext: () => browser.newContext(),
    close: () => browser.close(),
  };
}

export type { Browser };
