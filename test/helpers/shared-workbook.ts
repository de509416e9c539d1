// One workbook (`npm start`, local cloud, in memory) for the whole e2e run, started by the e2e
// project's global setup while the first files run. Files whose tests only read the site or fire
// the shipped handlers' triggers share it; a file that deploys edits starts its own (startWorkbook)
// so its changes cannot reach another file. To opt a file in: `await sharedWorkbook()` in its
// beforeAll (or `shareWorkbook()` before a suite that calls startWorkbookIn('local')).
import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { parseBanner, type RunningWorkbook, WORKBOOK_START_MS } from './workbook.ts';

/** The line the global setup appends to the log when the shared workbook's process ends. */
export const EXIT_MARK = '[shared workbook exited with code';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The output file of the shared workbook (test/helpers/e2e-setup.ts). */
    sharedWorkbookLog: string;
  }
}

/** Waits until the workbook writing to `log` serves (its banner is in the log), and returns it. */
export async function waitForWorkbookLog(log: string, timeoutMs = WORKBOOK_START_MS): Promise<RunningWorkbook> {
  const output = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = output();
    const banner = parseBanner(text);
    // Its `stop` does nothing: whoever started the process stops it.
    if (banner) return { ...banner, output, stop: async () => {} };
    if (text.includes(EXIT_MARK)) throw new Error(`The shared workbook did not start:\n${text}`);
    if (Date.now() > deadline) {
      throw new Error(`The shared workbook did not start in ${timeoutMs / 1000} s:\n${text}`);
    }
    // The log is a file another process writes: read it again shortly.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The run's shared workbook, once it serves (the global setup stops it after the run). */
export async function sharedWorkbook(): Promise<RunningWorkbook> {
  const log = inject('sharedWorkbookLog');
  if (!log) throw new Error('No shared workbook: run this file in the e2e project (vitest.config.ts globalSetup).');
  return waitForWorkbookLog(log);
}
