// One synthesized cloud assembly shared by every deploy test (and every test run while the CDK
// sources stay the same), cached under a hash of the sources in node_modules/.cache: inside the
// project, so the bundles resolve native modules (sharp) from its node_modules, as in cdk.out
// (the local runtime drops Layers).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourcesHash, synthesize } from '../../../../infra/local/deploy/synth.ts';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

async function waitForFile(path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** The directory of a cloud assembly synthesized from the current sources (synthesized at most once). */
export async function synthesizedAssembly(context: Readonly<Record<string, string>> = {}): Promise<string> {
  const contextKey = Object.entries(context)
    .map(([name, value]) => `-${name}=${value}`)
    .join('')
    .replace(/[^A-Za-z0-9=-]/g, '_');
  const cache = join(PROJECT_ROOT, 'node_modules', '.cache', 'lambda-workbook-cdk');
  const dir = join(cache, `${sourcesHash(PROJECT_ROOT)}${contextKey}`);
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  try {
    mkdirSync(lock); // atomic: one test file synthesizes, the others wait for it
  } catch {
    // A lock left by a run that was killed mid-synth is taken over.
    const held = statSync(lock, { throwIfNoEntry: false });
    const stale = held === undefined || Date.now() - held.mtimeMs > 180_000;
    if (!stale && (await waitForFile(manifest, 120_000))) return dir;
    rmSync(lock, { recursive: true, force: true });
    return synthesizedAssembly(context);
  }
  try {
    const staging = `${dir}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    await synthesize(PROJECT_ROOT, staging, { context, stdio: 'pipe' });
    renameSync(staging, dir);
    // Older assemblies of the same context (each holds a copy of the sharp layer) are removed.
    for (const entry of readdirSync(cache)) {
      const old = join(cache, entry);
      if (
        old !== dir &&
        entry.endsWith(contextKey) &&
        !entry.slice(0, 16).includes('-') &&
        entry.length === 16 + contextKey.length
      ) {
        rmSync(old, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return dir;
}
