// `node tools/run-parallel.ts <script>…`: runs npm scripts at the same time (npm test runs the
// linter beside the build, then the type checker beside the tests: each pair shares no files).
// The last script's output streams; the others' is printed, with its time, when each ends.
// Exits with the first failure's code once all have ended.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ScriptResult {
  readonly script: string;
  readonly code: number;
  readonly ms: number;
}

/** Runs `npm run <script>` for each script concurrently; resolves when all have ended. */
export async function runParallel(scripts: readonly string[], cwd = process.cwd()): Promise<ScriptResult[]> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return Promise.all(
    scripts.map(
      (script, index) =>
        new Promise<ScriptResult>((resolve) => {
          const started = performance.now();
          const live = index === scripts.length - 1;
          const child = spawn(npm, ['run', '--silent', script], {
            cwd,
            stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'],
          });
          let output = '';
          child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
            output += chunk;
          });
          child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
            output += chunk;
          });
          const finish = (code: number) => {
            const ms = performance.now() - started;
            const mark = code === 0 ? 'passed' : `FAILED (exit ${code})`;
            if (!live)
              process.stdout.write(`\n── npm run ${script}: ${mark} in ${(ms / 1000).toFixed(1)} s\n${output}`);
            else console.log(`\n── npm run ${script}: ${mark} in ${(ms / 1000).toFixed(1)} s`);
            resolve({ script, code, ms });
          };
          child.once('error', (error) => {
            output += `${error.message}\n`;
            finish(1);
          });
          child.once('exit', (code, signal) => finish(code ?? (signal ? 1 : 0)));
        }),
    ),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const scripts = process.argv.slice(2);
  if (scripts.length === 0) {
    console.error('Usage: node tools/run-parallel.ts <npm script>…');
    process.exit(2);
  }
  const results = await runParallel(scripts);
  process.exitCode = results.find((result) => result.code !== 0)?.code ?? 0;
}
