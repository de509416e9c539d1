import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface RunningWorkbook {
  readonly siteUrl: string;
  readonly cloudEndpoint: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the workbook the way a learner does (`npm start`, i.e. tools/start.ts), on free ports
 * and in memory, and waits for the line announcing its URLs. The site must already be built.
 */
export async function startWorkbook(
  extraArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningWorkbook> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['tools/start.ts', '--port', '0', '--cloud-port', '0', '--in-memory', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, FORCE_COLOR: '0' } },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const started = await new Promise<{ siteUrl: string; cloudEndpoint: string }>((resolve, reject) => {
    // A busy machine (several suites at once) may need longer: WORKBOOK_START_TIMEOUT_MS.
    const limit = Number(process.env.WORKBOOK_START_TIMEOUT_MS) || 90_000;
    const timer = setTimeout(() => reject(new Error(`workbook did not start in time:\n${output}`)), limit);
    const check = () => {
      const site = /Lambda Workbook\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      // AWS mode starts no local cloud: its banner names the target instead (and any endpoint override).
      const cloud =
        /Local cloud \(AWS\)\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output) ??
        /Target\s+AWS \S+(?: via (\S+))?:/.exec(output);
      if (site?.[1] && cloud) {
        clearTimeout(timer);
        resolve({ siteUrl: site[1], cloudEndpoint: cloud[1] ?? '' });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`workbook exited with ${code}:\n${output}`));
    });
  });
  return {
    ...started,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
