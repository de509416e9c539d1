import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEnvironment, buildSiteInBackground, siteIsStale } from '../../tools/site-build.ts';

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

  it('drops what Vitest exports to the processes it starts (DEV=1, MODE=test: a development build otherwise)', () => {
    expect(
      buildEnvironment({
        DEV: '1',
        PROD: '',
        MODE: 'test',
        SSR: '1',
        BASE_URL: '/',
        TEST: 'true',
        VITEST: 'true',
        VITEST_WORKER_ID: '1',
        HOME: '/root',
      }),
    ).toEqual({ NODE_ENV: 'production', HOME: '/root' });
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

  it('stays fresh when a dot-file comes and goes beside the sources (a check’s infra.ts variant)', () => {
    // GIVEN a built site
    const root = project();
    writeFileSync(join(root, 'dist', 'server', 'entry.mjs'), '');
    writeFileSync(join(root, 'dist', '.build-stamp'), '');
    at(join(root, 'site', 'page.mdx'), 1000);
    at(join(root, 'dist', '.build-stamp'), 2000);
    // WHEN a check writes and removes its variant next to the sources (the folder's time changes)
    const variant = join(root, 'site', '.exercise-1.infra.ts');
    writeFileSync(variant, 'export {};');
    rmSync(variant);
    at(join(root, 'site'), 3000);
    // THEN the site is not stale: only the sources' own times count
    expect(siteIsStale(root)).toBe(false);
  });

  it('reports a failed background build with its output, and stamps nothing', async () => {
    const root = project();
    const astro = join(root, 'node_modules', 'astro', 'bin');
    mkdirSync(astro, { recursive: true });
    writeFileSync(join(astro, 'astro.mjs'), "console.error('[ERROR] broken page: site/page.mdx'); process.exit(3);");
    await expect(buildSiteInBackground(root)).rejects.toThrow(
      /astro build failed \(exit 3\):\n.*broken page: site\/page\.mdx/,
    );
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(false);
  });

  it('stamps a successful background build with NODE_ENV=production', async () => {
    const root = project();
    const astro = join(root, 'node_modules', 'astro', 'bin');
    mkdirSync(astro, { recursive: true });
    writeFileSync(join(astro, 'astro.mjs'), "if (process.env.NODE_ENV !== 'production') process.exit(4);");
    await expect(buildSiteInBackground(root)).resolves.toBeGreaterThan(0);
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(true);
  });
});
