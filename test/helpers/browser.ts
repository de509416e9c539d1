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
