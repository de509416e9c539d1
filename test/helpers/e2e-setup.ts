// Global setup of the e2e project: the one workbook files share (test/helpers/shared-workbook.ts).
// When the site or the CDK assembly needs building, the shared workbook builds them (npm start
// does) before any file starts a workbook of its own, so no two builds or synths race on dist/ or
// cdk.out/; otherwise it starts in the background while the first files run.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { assemblyIsStale } from '../../infra/local/deploy/synth.ts';
import { siteIsStale } from '../../tools/site-build.ts';
import { EXIT_MARK, waitForWorkbookLog } from './shared-workbook.ts';
import { START_ARGS } from './workbook.ts';

const root = process.cwd();
const BUILD_AND_START_MS = 600_000;

/** Whether `npm start` would build the site or synthesize cdk.out before serving. */
function needsBuild(): boolean {
  const cdkOut = join(root, 'cdk.out');
  // npm start re-synthesizes after a synth with other CDK context (class mode): infra/local/deploy/project.ts.
  const stamp = join(cdkOut, 'local-synth-context.json');
  const otherContext = existsSync(stamp) && readFileSync(stamp, 'utf8') !== '{}';
  return siteIsStale(root) || assemblyIsStale(root, cdkOut) || otherContext;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-shared-'));
  const log = join(dir, 'output.log');
  const fd = openSync(log, 'a');
  const child: ChildProcess = spawn(process.execPath, [...START_ARGS], {
    cwd: root,
    stdio: ['ignore', fd, fd],
    // In the run's process group, so Ctrl+C or a killed run ends it too.
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  closeSync(fd);
  child.once('exit', (code, signal) => appendFileSync(log, `\n${EXIT_MARK} ${code ?? signal}]\n`));
  project.provide('sharedWorkbookLog', log);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (needsBuild()) {
    try {
      // A site build and a synth take minutes on a busy 2-core machine.
      await waitForWorkbookLog(log, BUILD_AND_START_MS);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return stop;
}
