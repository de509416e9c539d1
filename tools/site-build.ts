import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { precompressSite } from './static-site.ts';

/** What the built site depends on: when any of it is newer than the last build, rebuild. */
const INPUTS = ['site', 'scenarios', 'astro.config.mjs', 'package-lock.json', 'tsconfig.json'];
const STAMP = join('dist', '.build-stamp');

/**
 * The newest modification time of the files under `path` (dot-files and node_modules left out).
 * Folders' own times are not counted: a check writing a dot-file beside a scenario's sources (an
 * infra.ts exercise's variant) changes its folder's time, and must not make every workbook started
 * after it rebuild the site under the pages other workbooks serve.
 */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

export function siteIsStale(root: string): boolean {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'server', 'entry.mjs'))) return true;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

/**
 * The environment `astro build` runs in. A test runner's `NODE_ENV=test` would otherwise make
 * Astro build a development site, whose search box says "only available in production builds".
 */
export function buildEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    // What a test runner (Vitest) puts in the environment of the processes it starts, which Astro's
    // build would read as its own import.meta.env (a development build: "search only in production").
    if (/^(VITEST|VITE_|TEST$|SSR$|DEV$|PROD$|MODE$|BASE_URL$)/.test(key)) continue;
    clean[key] = value;
  }
  return { ...clean, NODE_ENV: 'production' };
}

/** Runs `astro build` (inheriting output so the learner sees progress), precompresses it and stamps the result. */
export async function buildSite(root: string): Promise<void> {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: buildEnvironment(process.env),
  });
  if (result.status !== 0) throw new Error(`astro build failed (exit ${result.status ?? result.signal}).`);
  const started = performance.now();
  const { files, bytes, compressedBytes } = await precompressSite(join(root, 'dist', 'client'));
  console.log(
    `Precompressed ${files} files (brotli, gzip): ${Math.round(bytes / 1024)} KB → ${Math.round(compressedBytes / 1024)} KB in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
  writeFileSync(join(root, STAMP), new Date().toISOString());
}

/**
 * Runs `astro build` in the background, collecting its output (printed only when it fails), so
 * `npm start` can synthesize and deploy the stacks meanwhile. Resolves with the build time in ms.
 */
export async function buildSiteInBackground(root: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: buildEnvironment(process.env),
  });
  let output = '';
  const collect = (chunk: string) => {
    output += chunk;
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const status = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  if (status !== 0) throw new Error(`astro build failed (exit ${String(status)}):\n${output}`);
  await precompressSite(join(root, 'dist', 'client'));
  writeFileSync(join(root, STAMP), new Date().toISOString());
  return performance.now() - started;
}
