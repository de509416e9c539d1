// The suites run once per mode (test/e2e/workbench*.test.ts). A test of what the page settles on its
// own — a restore after a reload, a compile error found before anything is sent, a layout, axe —
// would only repeat itself in AWS mode: it is defined against the local cloud alone.
import { it } from 'vitest';
import type { WorkbookMode } from '../../helpers/workbook-modes.ts';

/** `it` for a suite running in `mode`, defining the test only when the mode is `local`. */
export function itInLocalMode(mode: WorkbookMode): typeof it {
  return ((...args: Parameters<typeof it>) => {
    if (mode === 'local') it(...args);
  }) as typeof it;
}
