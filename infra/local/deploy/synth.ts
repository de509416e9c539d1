// Synthesizes the CDK app (cdk.out) when its sources changed since the last synth.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';

/** What the cloud assembly is made from: the CDK app, the scenarios' infra and handlers, cdk.json. */
export function cdkSources(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, include: (name: string) => boolean, skipDirs: readonly string[] = []) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipDirs.includes(entry.name)) walk(path, include, skipDirs);
      } else if (include(entry.name)) files.push(path);
    }
  };
  walk(join(root, 'infra', 'cdk'), () => true);
  // Exercises (starters, solutions, checks) are not part of the app: editing them needs no synth.
  walk(join(root, 'scenarios'), (name) => /\.(ts|json)$/.test(name), ['exercises']);
  for (const file of ['cdk.json', 'package-lock.json']) {
    if (existsSync(join(root, file))) files.push(join(root, file));
  }
  return files.sort();
}

/** Newest modification time of the sources, in ms. */
export function newestSourceMtime(root: string): number {
  return Math.max(0, ...cdkSources(root).map((file) => statSync(file).mtimeMs));
}

/** True when `outDir` has no assembly or one older than a source file. */
export function assemblyIsStale(root: string, outDir: string): boolean {
  const manifest = join(outDir, 'manifest.json');
  if (!existsSync(manifest)) return true;
  return newestSourceMtime(root) > statSync(manifest).mtimeMs;
}

/** A hash of the sources' paths and contents (for caches keyed by what the assembly is made from). */
export function sourcesHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of cdkSources(root)) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export interface SynthOptions {
  /** Extra CDK context, e.g. `{ learners: 'ada,grace' }`. */
  readonly context?: Readonly<Record<string, string>>;
  /** Where the output of `cdk synth` goes. @default 'inherit' */
  readonly stdio?: 'inherit' | 'pipe';
}

export class SynthError extends Error {
  override name = 'SynthError';
}

/** Runs `cdk synth --quiet` into `outDir` with the project's own CDK CLI (without blocking the event loop). */
export async function synthesize(
  root: string,
  outDir: string,
  { context = {}, stdio = 'inherit' }: SynthOptions = {},
): Promise<void> {
  const cli = join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  const args = [cli, 'synth', '--quiet', '--no-notices', '-o', outDir];
  for (const [key, value] of Object.entries(context)) args.push('-c', `${key}=${value}`);
  // cdk.json runs the app with `node`: make it this (pinned) Node, not an older one on the PATH.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', stdio, stdio], env });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const status = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  if (status !== 0) {
    throw new SynthError(`cdk synth failed (exit ${String(status)}).${stdio === 'pipe' ? `\n${output}` : ''}`);
  }
}
