import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildCache,
  CACHE_DIR,
  cachedJavaScript,
  PROJECT_ROOT,
  stripIntoCache,
} from '../../../../infra/local/shared/stripped-js.mjs';

const STRIPPED_JS = join(PROJECT_ROOT, 'infra/local/shared/stripped-js.mjs');
const node = process.execPath;

describe('stripped JavaScript for the local cloud', () => {
  it('keeps every line and column of the source, and is used only for the content it was stripped from', () => {
    // GIVEN a TypeScript file of the project
    const dir = mkdtempSync(join(PROJECT_ROOT, 'infra/local/shared/.stripped-test-'));
    try {
      const file = join(dir, 'sample.ts');
      const source =
        'const a: number = 1;\ninterface Shape {\n  x: number;\n}\nexport const b = (v: Shape): number => v.x + a;\n';
      writeFileSync(file, source);
      // WHEN it is stripped into the cache
      expect(stripIntoCache(file)).toBe(true);
      expect(stripIntoCache(file)).toBe(false);
      const code = cachedJavaScript(file, source);
      // THEN types are blanks: same lines, and the code after a type starts at the same column
      expect(code).toBeDefined();
      const lines = code!.split('\n');
      expect(lines[0]).toBe('const a         = 1;');
      expect(lines[4]!.indexOf('=>')).toBe(source.split('\n')[4]!.indexOf('=>'));
      // AND a changed source does not get the stale copy
      expect(cachedJavaScript(file, `${source}// changed\n`)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(CACHE_DIR, relative(PROJECT_ROOT, dir)), { recursive: true, force: true });
    }
  });

  it('covers the whole local cloud', () => {
    const { failed } = buildCache();
    expect(failed).toEqual([]);
    const cloud = join(PROJECT_ROOT, 'infra/local/cloud.ts');
    expect(cachedJavaScript(cloud, readFileSync(cloud, 'utf8'))).toContain('startLocalCloud');
    expect(CACHE_DIR.startsWith(join(PROJECT_ROOT, 'node_modules'))).toBe(true);
  });

  it('runs an idle cloud without amaro, undici or dynalite, and loads dynalite with the first table', () => {
    execFileSync(node, [STRIPPED_JS]);
    const fixture = fileURLToPath(new URL('./fixtures/idle-cloud.mjs', import.meta.url));
    const out = execFileSync(node, ['--import', STRIPPED_JS, fixture], { encoding: 'utf8', cwd: PROJECT_ROOT });
    const { idle, afterTable } = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(idle).toEqual({ amaro: false, undici: false, dynalite: false });
    expect(afterTable.dynalite).toBe(true);
  }, 60_000);
});
