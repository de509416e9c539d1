import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface RunningWorkbook {
  readonly siteUrl: string;
  readonly cloudEndpoint: string;
  /** The local cloud's admin keys, from the banner's `export` line (none in AWS mode). */
  readonly adminCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly output: () => string;
  stop(): Promise<void>;
}

/** How long a workbook may take to start (a synth and a site build included, on a busy machine). */
export const WORKBOOK_START_MS = 180_000;

/** The arguments of `npm start` for a test: free ports, nothing kept on disk. */
export const START_ARGS = ['tools/start.ts', '--port', '0', '--cloud-port', '0', '--in-memory'] as const;

/** The URLs in the banner `npm start` prints once it serves, or undefined until it has. */
export function parseBanner(output: string): { siteUrl: string; cloudEndpoint: string } | undefined {
  const site = /Lambda Workbook\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
  // AWS mode starts no local cloud: its banner names the target instead (and any endpoint override).
  const cloud =
    /Local cloud \(AWS\)\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output) ?? /Target\s+AWS \S+(?: via (\S+))?:/.exec(output);
  return site?.[1] && cloud ? { siteUrl: site[1], cloudEndpoint: cloud[1] ?? '' } : undefined;
}

/**
 * Starts the workbook the way a learner does (`npm start`, i.e. tools/start.ts), on free ports
 * and in memory, and waits for the line announcing its URLs. The site must already be built.
 */
export async function startWorkbook(
  extraArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningWorkbook> {
  const child: ChildProcess = spawn(process.execPath, [...START_ARGS, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const started = await new Promise<{ siteUrl: string; cloudEndpoint: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`workbook did not start in ${WORKBOOK_START_MS / 1000} s:\n${output}`)),
      WORKBOOK_START_MS,
    );
    const check = () => {
      const banner = parseBanner(output);
      if (banner) {
        clearTimeout(timer);
        resolve(banner);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`workbook exited with ${code}:\n${output}`));
    });
  });
  const keys = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec(output);
  return {
    ...started,
    ...(keys?.[1] && keys[2] ? { adminCredentials: { accessKeyId: keys[1], secretAccessKey: keys[2] } } : {}),
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
