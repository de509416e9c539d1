// Scratch folders inside the project. The local cloud deploys `__local__` code (what the template
// deployer and the checks use) only from the project's own folders, so code a test writes and
// deploys that way must live under the project, not in the system's temporary folder.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRATCH_ROOT = fileURLToPath(new URL('../../node_modules/.cache/workbook-tests/', import.meta.url));

/** A fresh folder under `node_modules/.cache/workbook-tests/` (remove it when done). */
export function projectScratchDir(prefix: string): string {
  mkdirSync(SCRATCH_ROOT, { recursive: true });
  return mkdtempSync(join(SCRATCH_ROOT, prefix));
}
