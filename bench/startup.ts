// `npm start` on a fresh clone (after `npm install`): time until the site is up and every stack is
// deployed, and again when nothing changed. Baseline, in the same run: what the two slow steps cost
// one after the other (`astro build`, then `cdk synth`) in another fresh copy.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from './lib.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A copy of the working tree as a clone would have it (tracked and unignored files), sharing node_modules. */
export function freshCopy(): string {
  // Beside the checkout: hard links need the same file system.
  const dir = mkdtempSync(join(ROOT, '..', '.workbook-fresh-'));
  const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (files.status !== 0) throw new Error(`git ls-files failed: ${files.stderr}`);
  for (const file of files.stdout.split('\0').filter(Boolean)) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(dir, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted, not yet committed
    }
  }
  // node_modules as hard links (fast, and tools that resolve real paths see a normal tree; a
  // symlinked node_modules breaks Astro's build), minus the caches tools write into.
  const copied = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(dir, 'node_modules')]);
  if (copied.status !== 0) throw new Error(`cp -al node_modules failed: ${copied.stderr}`);
  for (const cache of ['.vite', '.cache', '.astro'])
    rmSync(join(dir, 'node_modules', cache), { recursive: true, force: true });
  return dir;
}

/** Milliseconds from `npm start` to its banner (site served, stacks deployed). */
async function timeStart(dir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['tools/start.ts', '--port', '0', '--cloud-port', '0', '--data-dir', '.data', '--iam', 'on'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let output = '';
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not finish in 5 minutes:\n${output}`)), 300_000);
      const onData = (chunk: string) => {
        output += chunk;
        if (/Lambda Workbook\s+http:/.test(output)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

function timeSync(dir: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: dir,
    stdio: 'pipe',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    },
  });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return performance.now() - started;
}

export async function benchStartup(): Promise<Row[]> {
  const fresh = freshCopy();
  const baselineCopy = freshCopy();
  try {
    const first = await timeStart(fresh);
    const unchanged = await timeStart(fresh);
    const build = timeSync(baselineCopy, ['node_modules/astro/bin/astro.mjs', 'build']);
    const synth = timeSync(baselineCopy, ['node_modules/aws-cdk/bin/cdk', 'synth', '--quiet', '--no-notices']);
    const baseline = build + synth;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const rows: Row[] = [
      {
        name: 'fresh clone → npm start → site up, all stacks deployed (goal ≤ 15 s)',
        value: `${s(first)} vs astro build + cdk synth one after the other ${s(baseline)} (${(first / baseline).toFixed(2)}×; build ${s(build)}, synth ${s(synth)})`,
      },
      {
        name: 'npm start again, nothing changed (goal ≤ 5 s)',
        value: `${s(unchanged)} (${(unchanged / baseline).toFixed(2)}× the baseline)`,
      },
    ];
    console.log(`\n## Startup\n\n${rows.map((r) => `- ${r.name}: ${r.value}`).join('\n')}`);
    return rows;
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(baselineCopy, { recursive: true, force: true });
  }
}
