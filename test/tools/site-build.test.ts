import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEnvironment, siteIsStale } from '../../tools/site-build.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'workbook-build-'));
  dirs.push(root);
  mkdirSync(join(root, 'site'), { recursive: true });
  mkdirSync(join(root, 'dist', 'server'), { recursive: true });
  writeFileSync(join(root, 'site', 'page.mdx'), '# page');
  return root;
}

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe('site build', () => {
  it('builds for production even when started from a test runner (NODE_ENV=test)', () => {
    expect(buildEnvironment({ NODE_ENV: 'test', PATH: '/bin' })).toEqual({ NODE_ENV: 'production', PATH: '/bin' });
  });

  it('is stale when never built', () => {
    expect(siteIsStale(project())).toBe(true);
  });

  it('is fresh after a build, and stale again when a source changes', () => {
    const root = project();
    writeFileSync(join(root, 'dist', 'server', 'entry.mjs'), '');
    writeFileSync(join(root, 'dist', '.build-stamp'), '');
    at(join(root, 'site', 'page.mdx'), 1000);
    at(join(root, 'site'), 1000);
    at(join(root, 'dist', '.build-stamp'), 2000);
    expect(siteIsStale(root)).toBe(false);
    at(join(root, 'site', 'page.mdx'), 3000);
    expect(siteIsStale(root)).toBe(true);
  });
});
