// Servers the bench measures, each in a process of its own (see servers/): its CPU time and memory
// are read from it, apart from the clients that drive it.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export interface Usage {
  /** User + system CPU time of the server process so far. */
  readonly cpuMicros: number;
  readonly rss: number;
  /** Init Durations of the cold starts since the last call (cloud only). */
  readonly initDurations?: readonly number[];
}

export interface ServerProcess {
  readonly endpoint: string;
  readonly pid: number;
  usage(): Promise<Usage>;
  close(): Promise<void>;
}

function start(script: string, args: readonly string[], execArgv: readonly string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...execArgv],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.once('message', (message: { type: string; endpoint: string }) => {
      child.removeAllListeners('exit');
      resolve({
        endpoint: message.endpoint,
        pid: child.pid!,
        usage: () =>
          new Promise((answer) => {
            child.once('message', (reply: Usage) => answer(reply));
            child.send({ type: 'usage' });
          }),
        close: () =>
          new Promise((closed) => {
            child.once('exit', () => closed());
            child.send({ type: 'close' });
          }),
      });
    });
  });
}

const STRIPPED_JS = fileURLToPath(new URL('../infra/local/shared/stripped-js.mjs', import.meta.url));

/**
 * A local cloud (in memory, tutorial keys) in its own process; `options` go to startLocalCloud.
 * It runs as `npm start` runs it: from the project's TypeScript stripped ahead of time.
 */
export function startCloudProcess(options: Record<string, unknown> = {}, execArgv: readonly string[] = []) {
  execFileSync(process.execPath, [STRIPPED_JS], { stdio: 'inherit' });
  return start('./servers/cloud.ts', [JSON.stringify(options)], ['--import', STRIPPED_JS, ...execArgv]);
}

/**
 * The warm-invoke floor: bare HTTP server + forked child over IPC (servers/floor.ts); with
 * `children` > 1, a pool of children taking one request each at a time.
 */
export const startFloorProcess = (children = 1) => start('./servers/floor.ts', [String(children)]);

/** Time to fork a Node process that imports `modules` and says it is ready: the floor of a cold start. */
export async function forkReady(modules: readonly string[]): Promise<number> {
  const code = `${modules.map((m) => `await import(${JSON.stringify(m)});`).join('')}process.send('ready');`;
  const start = performance.now();
  const child = fork('--input-type=module', [], {
    execArgv: ['--input-type=module', '-e', code],
    stdio: 'ignore',
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (exitCode) => reject(new Error(`baseline process exited ${exitCode}`)));
  });
  const elapsed = performance.now() - start;
  child.kill();
  return elapsed;
}
