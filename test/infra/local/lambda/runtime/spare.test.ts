import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type LambdaCloud, localCode, ROLE, startLambdaCloud, zipOf } from '../../../../helpers/lambda-cloud.ts';
import { projectScratchDir } from '../../../../helpers/project-scratch.ts';
import { MODES } from '../../../../security/runtime-kit.ts';

type Spare = NonNullable<ReturnType<LambdaCloud['service']['spareEnvironment']>>;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 20) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} did not happen in time`);
}

/** The spare, once its runtime process is running. */
const runningSpare = (cloud: LambdaCloud, other?: number): Promise<Spare & { pid: number }> =>
  until(() => {
    const spare = cloud.service.spareEnvironment();
    return spare?.pid !== undefined && spare.pid !== other ? (spare as Spare & { pid: number }) : undefined;
  }, 'a running spare');

/** Each function answers with its own name and what its task root holds. */
const handlerOf = (name: string) => `
import { readdirSync } from 'node:fs';
export const handler = async () => ({ name: ${JSON.stringify(name)}, root: process.env.LAMBDA_TASK_ROOT, cwd: process.cwd(), files: readdirSync(process.env.LAMBDA_TASK_ROOT).sort(), key: process.env.AWS_ACCESS_KEY_ID });
`;

describe.each(MODES)('the spare execution environment under the %s isolation', (sandbox) => {
  let cloud: LambdaCloud | undefined;
  /** LAMBDA_TASK_ROOT and the working directory: /var/task inside the wall (as on AWS), the host folder under the seat belt. */
  const rootOf = (hostFolder: string) => (sandbox === 'bwrap' ? '/var/task' : hostFolder);
  const start = async (options: Parameters<typeof startLambdaCloud>[0] = {}) => {
    cloud = await startLambdaCloud({
      sandbox,
      credentialsFor: (_role, functionName) => ({ accessKeyId: `AKID-${functionName}`, secretAccessKey: 'secret' }),
      ...options,
    });
    return cloud;
  };
  const deploy = (name: string, extra: Record<string, unknown> = {}) =>
    cloud?.client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.mjs': handlerOf(name), [`only-${name}.txt`]: name }) },
        ...extra,
      }),
    );
  const run = async (name: string) => {
    const result = await (cloud as LambdaCloud).service.invoke(name, {});
    return JSON.parse(result.payload ?? 'null');
  };
  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
  });

  it('holds no function until assigned, serves the first cold start, and is never handed to a second function', async () => {
    // Prepare: creating a function starts one spare, holding no code and no credentials
    const lambda = await start();
    await deploy('first');
    await deploy('second');
    const spare = await runningSpare(lambda);
    expect(readdirSync(spare.taskRoot)).toEqual([]);
    const startEnvironment = readFileSync(`/proc/${spare.pid}/environ`, 'utf8').split('\0');
    expect(
      startEnvironment.some((entry) => /^(AWS_ACCESS_KEY_ID|AWS_LAMBDA_FUNCTION_NAME|_HANDLER)=/.test(entry)),
    ).toBe(false);

    // Act
    const first = await run('first');
    const next = await runningSpare(lambda, spare.pid);
    const second = await run('second');

    // Assess: the spare became the first function's environment, with its code and its credentials only
    const [firstEnvironment] = lambda.service.environments('first');
    expect(firstEnvironment?.pid).toBe(spare.pid);
    expect(first).toEqual({
      name: 'first',
      root: rootOf(spare.taskRoot),
      cwd: rootOf(spare.taskRoot),
      files: ['index.mjs', 'only-first.txt'],
      key: 'AKID-first',
    });
    // … and a fresh spare (another process, another empty slot) served the second one
    const [secondEnvironment] = lambda.service.environments('second');
    expect(secondEnvironment?.pid).toBe(next.pid);
    expect(next.taskRoot).not.toBe(spare.taskRoot);
    expect(second).toEqual({
      name: 'second',
      root: rootOf(next.taskRoot),
      cwd: rootOf(next.taskRoot),
      files: ['index.mjs', 'only-second.txt'],
      key: 'AKID-second',
    });
    // The first function's environment still serves only the first function
    expect(await run('first')).toMatchObject({ name: 'first', key: 'AKID-first' });
    expect(lambda.service.environments('first').map((environment) => environment.pid)).toEqual([spare.pid]);
  });

  it('is replaced as soon as a cold start takes it, while that cold start still runs', async () => {
    // Prepare: a function whose init takes a while
    const lambda = await start();
    await lambda.client.send(
      new CreateFunctionCommand({
        FunctionName: 'slow-init',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: {
          ZipFile: zipOf({
            'index.mjs':
              'await new Promise((resolve) => setTimeout(resolve, 1500));\nexport const handler = async () => "ok";\n',
          }),
        },
      }),
    );
    const spare = await until(() => {
      const candidate = lambda.service.spareEnvironment();
      return candidate?.ready ? candidate : undefined;
    }, 'a ready spare');

    // Act
    let served = false;
    const invocation = run('slow-init').then((body) => {
      served = true;
      return body;
    });
    const next = await runningSpare(lambda, spare.pid);

    // Assess: the next spare was there (and became ready) before the cold start that took the first was served
    await until(() => (lambda.service.spareEnvironment()?.ready ? true : undefined), 'the next spare to be ready');
    expect(served).toBe(false);
    expect(await invocation).toBe('ok');
    expect(lambda.service.environments('slow-init').map((environment) => environment.pid)).toEqual([spare.pid]);
    expect(lambda.service.spareEnvironment()?.pid).toBe(next.pid);
  });

  it('stays a spare, untouched, when a function’s code cannot go in its slot (a symbolic link), and that function starts its own', async () => {
    // Prepare: project code holding a link, deployed in place
    const dir = projectScratchDir('spare-link-');
    try {
      writeFileSync(join(dir, 'index.mjs'), handlerOf('linked'));
      symlinkSync('index.mjs', join(dir, 'alias.mjs'));
      const lambda = await start();
      await lambda.client.send(
        new CreateFunctionCommand({
          FunctionName: 'linked',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: localCode(dir),
        }),
      );
      const spare = await runningSpare(lambda);

      // Act
      const body = await run('linked');

      // Assess
      const [environment] = lambda.service.environments('linked');
      expect(body).toMatchObject({
        name: 'linked',
        root: rootOf(dir),
        cwd: rootOf(dir),
        files: ['alias.mjs', 'index.mjs'],
      });
      expect(environment?.pid).not.toBe(spare.pid);
      expect(lambda.service.spareEnvironment()?.pid).toBe(spare.pid);
      expect(readdirSync(spare.taskRoot)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is stopped, and its code slot removed, when the cloud closes', async () => {
    // Prepare
    const lambda = await start();
    await deploy('used');
    await run('used');
    const [used] = lambda.service.environments('used');
    const spare = await runningSpare(lambda, used?.pid);

    // Act
    await lambda.close();
    cloud = undefined;

    // Assess
    expect(alive(spare.pid)).toBe(false);
    expect(existsSync(spare.taskRoot)).toBe(false);
    expect(existsSync(used?.taskRoot ?? '')).toBe(false);
  });

  it('is not kept where it would pass the cap on environments, and counts against it', async () => {
    // Prepare: room for one environment in all
    const lambda = await start({ maxEnvironments: 1 });
    await deploy('only');
    const spare = await runningSpare(lambda);

    // Act: the cold start takes the spare; no other is started while it is warm
    await run('only');
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assess
    expect(lambda.service.environments('only').map((environment) => environment.pid)).toEqual([spare.pid]);
    expect(lambda.service.spareEnvironment()).toBeUndefined();
  });

  describe('during a burst of cold starts', () => {
    const deployAll = async (names: readonly string[]) => {
      for (const name of names) await deploy(name);
    };
    /** All spares, once there are at least `count` and each has its runtime up. */
    const readySpares = (lambda: LambdaCloud, count: number, timeoutMs = 15_000) =>
      until(
        () => {
          const spares = lambda.service.spareEnvironments();
          return spares.length >= count && spares.every((spare) => spare.ready) ? spares : undefined;
        },
        `${count} ready spares`,
        timeoutMs,
      );
    const pidOf = (lambda: LambdaCloud, name: string) => lambda.service.environments(name)[0]?.pid;

    it('keeps more spares while cold starts come back to back, so that the next burst finds each one ready', async () => {
      // Prepare: a ready spare, and functions whose first invocations are all cold
      const lambda = await start({ maxSpares: 3 });
      const names = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'];
      await deployAll(names);
      await readySpares(lambda, 1);

      // Act: a first burst of cold starts back to back (each awaited, none waiting for a spare),
      // a pause shorter than the quiet spell, and a second burst
      for (const name of names.slice(0, 4)) await run(name);
      const ready = await readySpares(lambda, 2);
      const readyPids = new Set(ready.map((spare) => spare.pid));
      const second = names.slice(4, 4 + ready.length);
      for (const name of second) await run(name);

      // Assess: each cold start of the second burst took a spare that was ready before the burst began
      const served = second.map((name) => pidOf(lambda, name));
      expect(new Set(served).size).toBe(second.length);
      for (const pid of served) expect(readyPids.has(pid)).toBe(true);
    });

    it('falls back to one spare after a quiet spell without cold starts, stopping the others', async () => {
      // Prepare: four cold starts at once find one spare ready at most
      const lambda = await start({ maxSpares: 3, spareQuietMs: 2000 });
      const names = ['q1', 'q2', 'q3', 'q4'];
      await deployAll(names);
      await readySpares(lambda, 1);
      await Promise.all(names.map((name) => run(name)));
      const grown = await until(() => {
        const spares = lambda.service.spareEnvironments();
        return spares.length === 3 && spares.every((spare) => spare.pid !== undefined) ? spares : undefined;
      }, 'three running spares');

      // Act: no cold start for longer than the quiet spell
      const kept = await until(() => {
        const spares = lambda.service.spareEnvironments();
        return spares.length === 1 ? spares[0] : undefined;
      }, 'the spares to fall back to one');

      // Assess: one of them is kept, running; the others' processes and code slots are gone
      expect(grown.map((spare) => spare.pid)).toContain(kept?.pid);
      expect(alive(kept?.pid as number)).toBe(true);
      for (const spare of grown) {
        if (spare.pid === kept?.pid) continue;
        await until(() => (alive(spare.pid as number) ? undefined : true), `spare ${spare.pid} to stop`);
        await until(() => (existsSync(spare.taskRoot) ? undefined : true), `spare ${spare.pid}'s code slot to go`);
      }
    });

    it('keeps no more spares than the cap on environments leaves room for, and never holds a cold start back', async () => {
      // Prepare: room for six environments in all
      const lambda = await start({ maxEnvironments: 6, maxSpares: 3 });
      const names = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
      await deployAll(names);
      await readySpares(lambda, 1);
      let most = 0;
      const count = () => {
        const live = names.reduce((sum, name) => sum + lambda.service.environments(name).length, 0);
        most = Math.max(most, live + lambda.service.spareEnvironments().length);
      };
      const sampler = setInterval(count, 2);
      let sparesBeside4 = 0;

      // Act: four cold starts at once (the spare count rises to three), then three more back to back
      try {
        await Promise.all(names.slice(0, 4).map((name) => run(name)));
        const spares = await readySpares(lambda, 2);
        count();
        sparesBeside4 = spares.length;
        for (const name of names.slice(4)) expect(await run(name)).toMatchObject({ name });
        count();
      } finally {
        clearInterval(sampler);
      }

      // Assess: two spares beside four environments (three wanted), never more than six processes, and every cold start served
      expect(sparesBeside4).toBe(2);
      expect(most).toBeLessThanOrEqual(6);
    });

    it('are all stopped, and their code slots removed, when the cloud closes', async () => {
      // Prepare: three cold starts at once leave several spares
      const lambda = await start({ maxSpares: 3 });
      const names = ['k1', 'k2', 'k3'];
      await deployAll(names);
      await readySpares(lambda, 1);
      await Promise.all(names.map((name) => run(name)));
      const spares = await until(() => {
        const all = lambda.service.spareEnvironments();
        return all.length >= 2 && all.every((spare) => spare.pid !== undefined) ? all : undefined;
      }, 'several running spares');

      // Act
      await lambda.close();
      cloud = undefined;

      // Assess
      for (const spare of spares) {
        expect(alive(spare.pid as number)).toBe(false);
        expect(existsSync(spare.taskRoot)).toBe(false);
      }
    });
  });

  it('is not given a function of another memory size (the heap limit is set at start), and is replaced by one of that size', async () => {
    // Prepare
    const lambda = await start();
    await deploy('bigger', { MemorySize: 256 });
    const spare = await runningSpare(lambda);

    // Act
    await run('bigger');
    const next = await runningSpare(lambda, spare.pid);

    // Assess: the 128 MB spare did not serve it and is gone; one spare is left, for the next 256 MB cold start
    const [environment] = lambda.service.environments('bigger');
    expect(environment?.pid).not.toBe(spare.pid);
    await until(() => (alive(spare.pid) ? undefined : true), 'the old spare to stop');
    expect(next.pid).not.toBe(environment?.pid);
    const heap = readFileSync(`/proc/${next.pid}/cmdline`, 'utf8').split('\0');
    expect(heap).toContain(`--max-old-space-size=${Math.floor(256 * 0.9)}`);
  });
});
