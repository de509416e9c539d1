// Execution environments are started by a small launcher process, not by the cloud: a process
// started by the cloud would copy the cloud's page tables (which grow with the S3 bytes and stream
// records it holds) while every other request waits.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  directLauncher,
  LauncherProcess,
  type ProcessLauncher,
} from '../../../../../infra/local/lambda/runtime/launcher.ts';
import { type LambdaCloud, startLambdaCloud, zipOf } from '../../../../helpers/lambda-cloud.ts';
import { MODES } from '../../../../security/runtime-kit.ts';

const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

/** The chain of parents from `pid` up to (not including) this test's process. */
function ancestry(pid: number): number[] {
  const chain: number[] = [];
  for (let current = pid; current > 1 && current !== process.pid; current = parentOf(current)) chain.push(current);
  return chain;
}

describe.each(MODES)('environments under the %s isolation', (sandbox) => {
  let cloud: LambdaCloud;
  const invoke = async () => {
    const result = await cloud.client.send(new InvokeCommand({ FunctionName: 'hello', Payload: '{}' }));
    return new TextDecoder().decode(result.Payload);
  };

  beforeAll(async () => {
    cloud = await startLambdaCloud({ sandbox });
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'hello',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => process.ppid;' }) },
      }),
    );
  });
  afterAll(async () => {
    await cloud?.service.close();
    await cloud?.close();
  });

  it('are started by the launcher, a child of the cloud, never by the cloud itself', async () => {
    // Act
    expect(await invoke()).toMatch(/^\d+$/);
    const runtime = cloud.service.environments('hello')[0]?.pid as number;

    // Assess: runtime → … → launcher → cloud
    const chain = ancestry(runtime);
    const launcher = chain.at(-1) as number;
    expect(parentOf(launcher)).toBe(process.pid);
    expect(commandOf(launcher).some((arg) => arg.endsWith('launcher.mjs'))).toBe(true);
    expect(chain.slice(0, -1).every((pid) => !commandOf(pid).some((arg) => arg.endsWith('launcher.mjs')))).toBe(true);
  });

  it('takes its environments down when the launcher dies, and starts a new launcher for the next cold start', async () => {
    // Prepare
    await invoke();
    const [environment] = cloud.service.environments('hello');
    const runtime = environment?.pid as number;
    const launcher = ancestry(runtime).at(-1) as number;

    // Act
    process.kill(launcher, 'SIGKILL');
    for (let waited = 0; environment?.state !== 'dead' && waited < 10_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const answer = await invoke();

    // Assess
    expect(environment?.state).toBe('dead');
    const next = cloud.service.environments('hello')[0]?.pid as number;
    expect(next).not.toBe(runtime);
    const nextLauncher = ancestry(next).at(-1) as number;
    expect(nextLauncher).not.toBe(launcher);
    expect(parentOf(nextLauncher)).toBe(process.pid);
    expect(answer).toMatch(/^\d+$/);
  });
});

describe('the launcher', () => {
  it('keeps the cloud alive until an environment whose output has ended reports its exit', () => {
    // Prepare: a process that closes its output and channel at once and exits 300 ms later; in a
    // program with nothing else to do, awaiting that exit is all that is left (as in close())
    const launcher = pathToFileURL(join(import.meta.dirname, '../../../../../infra/local/lambda/runtime/launcher.ts'));
    const script = `
      import { LauncherProcess } from ${JSON.stringify(launcher.href)};
      const launcher = new LauncherProcess();
      const started = await launcher.launch({
        command: process.execPath,
        args: ['-e', 'const fs = require("node:fs"); for (const fd of [1, 2, 3]) fs.closeSync(fd); setTimeout(() => {}, 300);'],
        cwd: process.cwd(), env: {}, detached: true,
      });
      for (const stream of [started.stdout, started.stderr, started.channel]) stream.resume();
      const exit = await started.exited;
      launcher.close();
      console.log(JSON.stringify(exit));`;

    // Act
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });

    // Assess: the exit was awaited (not "unsettled top-level await", exit status 13)
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ code: 0, signal: null });
  });
});

/** Running (a zombie, exited and waiting to be reaped, is not). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

describe.each([
  ['the launcher process', () => new LauncherProcess()],
  ['the direct launcher', () => directLauncher],
] as [string, () => ProcessLauncher][])('an environment stopped by %s', (_name, make) => {
  it('takes what it started in its process group with it (bubblewrap’s second process while it builds the wall)', async () => {
    // Prepare: a process that starts a second one in its group, as bubblewrap does, and waits
    const launcher = make();
    const started = await launcher.launch({
      command: '/bin/sh',
      args: ['-c', 'sleep 300 & echo $!; wait'],
      cwd: process.cwd(),
      env: {},
      detached: true,
    });
    started.stderr.resume();
    started.channel.resume();
    const second = await new Promise<number>((resolve) =>
      started.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim()))),
    );
    expect(running(second)).toBe(true);

    // Act
    started.kill('SIGKILL');
    await started.exited;

    // Assess: the second process is gone too (it would wait out its 300 s otherwise)
    for (let waited = 0; running(second) && waited < 5_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(running(second)).toBe(false);
    launcher.close();
  });
});
