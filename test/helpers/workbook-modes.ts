// The workbook in either of its modes, for suites that run twice: `local` is `npm start` with its
// own local cloud; `aws` is `npm start -- --target aws` driving a "sandbox" — a local cloud started
// here with every scenario stack deployed, standing in for AWS: the outputs file as `cdk deploy
// --outputs-file` writes it, the learner's credentials from the environment, the endpoint
// overridden. Nothing of this machine's AWS setup is used.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DeployedCloud, startDeployedCloud } from '../site/server/checks/cloud.ts';
import { type RunningWorkbook, startWorkbook } from './workbook.ts';

export type WorkbookMode = 'local' | 'aws';

export interface ModeWorkbook extends RunningWorkbook {
  readonly mode: WorkbookMode;
  /** The cloud standing in for AWS (aws mode only). */
  readonly sandbox?: DeployedCloud;
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

/**
 * This process's environment without anything of the machine's AWS setup (credentials, profiles,
 * endpoint, instance metadata), plus `extra`; `dir` holds the (absent) config and credentials files.
 */
export function cleanAwsEnv(dir: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return {
    ...env,
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** The environment of a learner with their own credentials, and nothing of this machine's AWS setup. */
export function learnerEnv(
  endpoint: string,
  dir: string,
  keys: { readonly accessKeyId: string; readonly secretAccessKey: string },
): NodeJS.ProcessEnv {
  return cleanAwsEnv(dir, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_REGION: 'us-east-1',
  });
}

let useShared = false;

/**
 * Makes this test file's `startWorkbookIn('local')` return the e2e run's shared workbook
 * (test/helpers/shared-workbook.ts) instead of starting one: for files that deploy nothing.
 */
export function shareWorkbook(): void {
  useShared = true;
}

let perFile: Map<WorkbookMode, Promise<ModeWorkbook>> | undefined;

/**
 * Makes the suites of this test file share one workbook per mode: the first `startWorkbookIn(mode)`
 * starts it, later ones get the same, and it stops once. For a file that runs several suites in
 * one mode one after another (test/e2e/workbench-aws-mode.test.ts).
 */
export function oneWorkbookPerFile(): void {
  perFile = new Map();
}

/**
 * Starts the workbook in `mode`. In aws mode `stacks` limits what the stand-in sandbox deploys
 * (default every scenario stack).
 */
export function startWorkbookIn(mode: WorkbookMode, stacks?: readonly string[]): Promise<ModeWorkbook> {
  if (perFile === undefined || stacks !== undefined) return startNewWorkbookIn(mode, stacks);
  let started = perFile.get(mode);
  if (started === undefined) {
    started = startNewWorkbookIn(mode).then((workbook) => {
      let stopped: Promise<void> | undefined;
      return { ...workbook, stop: () => (stopped ??= workbook.stop()) };
    });
    perFile.set(mode, started);
  }
  return started;
}

async function startNewWorkbookIn(mode: WorkbookMode, stacks?: readonly string[]): Promise<ModeWorkbook> {
  if (mode === 'local' && useShared) {
    // Imported here: the shared workbook needs Vitest's `inject`, and the benchmarks use this module too.
    const { sharedWorkbook } = await import('./shared-workbook.ts');
    return { ...(await sharedWorkbook()), mode };
  }
  if (mode === 'local') return { ...(await startWorkbook()), mode };
  const dir = mkdtempSync(join(tmpdir(), 'workbook-aws-mode-'));
  // The site's port is chosen first: the stand-in lets the page's origin call it (the phone does).
  const port = await freePort();
  let sandbox: DeployedCloud | undefined;
  try {
    sandbox = await startDeployedCloud(stacks, [`http://127.0.0.1:${port}`]);
    const outputs = join(dir, 'sandbox-outputs.json');
    writeFileSync(outputs, JSON.stringify(sandbox.outputsFile.stacks));
    const workbook = await startWorkbook(
      ['--target', 'aws', '--stack-outputs', outputs, '--port', String(port)],
      learnerEnv(sandbox.cloud.endpoint, dir, sandbox.cloud.adminCredentials),
    );
    const cloud = sandbox;
    return {
      ...workbook,
      mode,
      sandbox: cloud,
      async stop() {
        await workbook.stop();
        await cloud.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
