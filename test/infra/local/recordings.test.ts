// Every payload recorded on real AWS (test/recordings/aws) is either compared with the local cloud
// by some test, or listed as not modelled, with the reason (test/helpers/recordings-not-modelled.ts). A new recording nobody reads fails this.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RECORDINGS_DIR } from '../../helpers/recordings.ts';
import { NOT_MODELLED } from '../../helpers/recordings-not-modelled.ts';

const TEST_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
/** The list names recordings without reading them. */
const LIST_FILE = fileURLToPath(new URL('../../helpers/recordings-not-modelled.ts', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === RECORDINGS_DIR.replace(/\/$/, '') ? [] : testFiles(path);
    return /\.(ts|mts|js|mjs|py)$/.test(entry.name) && path !== THIS_FILE && path !== LIST_FILE ? [path] : [];
  });
}

describe('recordings of real AWS', () => {
  const recordings = readdirSync(RECORDINGS_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.replace(/\.json$/, ''));
  const sources = testFiles(TEST_ROOT).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

  it.each(recordings)('%s is read by a test or listed as not modelled', (name) => {
    const readers = sources.filter((source) => source.text.includes(name)).map((s) => relative(TEST_ROOT, s.path));
    expect(
      readers.length > 0 || NOT_MODELLED[name] !== undefined,
      `${name}: no test reads it and it is not listed`,
    ).toBe(true);
  });

  it('lists only recordings that exist, each with a reason', () => {
    for (const [name, reason] of Object.entries(NOT_MODELLED)) {
      expect(recordings, name).toContain(name);
      expect(reason.length).toBeGreaterThan(20);
    }
  });
});
