// Attacks on the Lambda runtime by handler code deployed through the public API, run under each
// isolation: the seat belt alone (Node's permission model and the bootstrap's lock-down, what
// every platform gets) and, where bubblewrap works, the wall around it. Every attack is performed;
// each test asserts the defence that was observed.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { url as inspectorUrl } from 'node:inspector';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, zipOf } from '../helpers/lambda-cloud.ts';
import {
  type AttackCloud,
  cloudStillAnswers,
  deployHandler,
  invokeHandler,
  MODES,
  markerDir,
  startAttackCloud,
} from './runtime-kit.ts';

// sharp's own addon: a real native module, from the runtime-provided modules.
const SHARP_LIB = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '@img',
  `sharp-${process.platform}-${process.arch}`,
  'lib',
);
const SHARP_ADDON = join(SHARP_LIB, readdirSync(SHARP_LIB).find((file) => file.endsWith('.node')) ?? 'missing.node');

describe.each(MODES)('runtime attacks under the %s isolation', (mode) => {
  let cloud: AttackCloud;
  let markers: string;

  beforeAll(async () => {
    cloud = await startAttackCloud(mode);
    markers = markerDir();
  });
  afterAll(async () => {
    await cloud?.close();
    rmSync(markers, { recursive: true, force: true });
  });

  describe('native code', () => {
    it.each([
      ['lib/evil.node', 'CreateFunction'],
      ['native/libevil.so', 'CreateFunction'],
      ['native/libevil.so.1', 'CreateFunction'],
      ['evil.dylib', 'CreateFunction'],
    ])('refuses a package carrying %s at %s, naming it', async (entry) => {
      // Act
      const attempt = cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: `native-${entry.replace(/[^a-z0-9]/gi, '-')}`,
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => 1;', [entry]: '\x7fELF' }) },
        }),
      );

      // Assess
      await expect(attempt).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message: expect.stringContaining(entry),
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('refuses native code brought in by UpdateFunctionCode, keeping the old code', async () => {
      // Prepare
      await deployHandler(cloud, 'native-update', 'export const handler = async () => "old";');

      // Act
      const attempt = cloud.client.send(
        new UpdateFunctionCodeCommand({
          FunctionName: 'native-update',
          ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "new";', 'x/a.node': 'bin' }),
        }),
      );

      // Assess
      await expect(attempt).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message: expect.stringContaining('x/a.node'),
      });
      expect((await invokeHandler(cloud, 'native-update')).body).toBe('old');
    });

    it.each([
      ['process.dlopen', 'process.dlopen({ exports: {} }, copy)'],
      ['require()', "(await import('node:module')).createRequire(import.meta.url)(copy)"],
    ])('refuses %s of an addon copied to /tmp (only the runtime-provided modules load)', async (_how, load) => {
      // Prepare: a real addon (sharp's) copied where the function may write
      await deployHandler(
        cloud,
        `dlopen-${_how.replace(/\W/g, '')}`,
        `import { copyFileSync } from 'node:fs';
         export const handler = async (event) => {
           const copy = '/tmp/copy.node'.replace('/tmp', process.env.TMPDIR);
           copyFileSync(event.addon, copy);
           try { ${load}; return 'loaded'; } catch (error) { return { code: error.code, message: error.message }; }
         };`,
      );

      // Act
      const { body } = await invokeHandler(cloud, `dlopen-${_how.replace(/\W/g, '')}`, { addon: SHARP_ADDON });

      // Assess
      expect(body.code).toBe('EPERM');
      expect(body.message).toMatch(/native addons load only from the runtime-provided modules/);
    });

    it('still loads sharp, the runtime-provided addon', async () => {
      await deployHandler(
        cloud,
        'sharp-ok',
        `import sharp from 'sharp';
         export const handler = async () => (await sharp({ create: { width: 4, height: 3, channels: 3, background: '#f00' } }).png().toBuffer()).length > 0;`,
      );
      expect((await invokeHandler(cloud, 'sharp-ok')).body).toBe(true);
    });
  });

  describe('node:sqlite', () => {
    it('has no node:sqlite: import fails and getBuiltinModule answers undefined; no database file appears', async () => {
      // Prepare
      const database = join(markers, 'stolen.db');
      await deployHandler(
        cloud,
        'sqlite',
        `export const handler = async (event) => {
           const viaGet = process.getBuiltinModule('node:sqlite');
           let viaImport;
           try { const { DatabaseSync } = await import('node:sqlite'); new DatabaseSync(event.path).exec('create table t(x)'); viaImport = 'opened'; }
           catch (error) { viaImport = error.code; }
           return { viaGet: viaGet === undefined ? 'undefined' : 'module', viaImport };
         };`,
      );

      // Act
      const { body } = await invokeHandler(cloud, 'sqlite', { path: database });

      // Assess
      expect(body).toEqual({ viaGet: 'undefined', viaImport: 'ERR_UNKNOWN_BUILTIN_MODULE' });
      expect(existsSync(database)).toBe(false);
    });
  });

  describe('environment variables', () => {
    const envProbe = `import { readFileSync } from 'node:fs';
      export const handler = async (event) => {
        let read;
        try { read = readFileSync(event.path, 'utf8').length; } catch (error) { read = error.code; }
        return { read, NODE_OPTIONS: process.env.NODE_OPTIONS, LD_PRELOAD: process.env.LD_PRELOAD };
      };`;

    it('does not let NODE_OPTIONS switch the permission model off (the variable still reaches process.env)', async () => {
      // Prepare
      const options = '--allow-fs-read=* --allow-child-process';
      await deployHandler(cloud, 'node-options', envProbe, { Environment: { Variables: { NODE_OPTIONS: options } } });

      // Act
      const { body } = await invokeHandler(cloud, 'node-options', {
        path: join(import.meta.dirname, 'runtime-kit.ts'),
      });

      // Assess: refused by the permission model, or (the wall on and this project under /tmp) not
      // there at all; never read.
      expect(body).toEqual({ read: expect.stringMatching(/^(ERR_ACCESS_DENIED|ENOENT)$/), NODE_OPTIONS: options });
    });

    it('does not run NODE_OPTIONS=--import=data:… (no marker file)', async () => {
      // Prepare
      const marker = join(markers, 'node-options-import');
      const code = `import('node:fs').then((fs) => fs.writeFileSync(${JSON.stringify(marker)}, 'ran'))`;
      await deployHandler(cloud, 'node-options-import', 'export const handler = async () => "ran handler";', {
        Environment: { Variables: { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(code)}` } },
      });

      // Act
      const { body } = await invokeHandler(cloud, 'node-options-import');

      // Assess
      expect(body).toBe('ran handler');
      expect(existsSync(marker)).toBe(false);
    });

    it('starts the runtime without LD_PRELOAD or NODE_OPTIONS in its process environment', async () => {
      // Prepare
      await deployHandler(cloud, 'ld-preload', envProbe, {
        Environment: { Variables: { LD_PRELOAD: '/var/task/evil.so', NODE_OPTIONS: '--inspect' } },
      });

      // Act
      const { body } = await invokeHandler(cloud, 'ld-preload', { path: '/nonexistent' });
      const [environment] = cloud.service.environments('ld-preload');
      const pid = environment?.pid;

      // Assess: the handler sees its variables, as on AWS; the process was started without them
      expect(body.LD_PRELOAD).toBe('/var/task/evil.so');
      expect(pid).toBeDefined();
      const startEnvironment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(startEnvironment.some((entry) => entry.startsWith('LD_PRELOAD='))).toBe(false);
      expect(startEnvironment.some((entry) => entry.startsWith('NODE_OPTIONS='))).toBe(false);
      // The runtime's own process: it starts knowing nothing of its function, credentials included
      // (a spare starts before it has one); those come with the init message.
      expect(startEnvironment).toContain(`LAMBDA_TASK_ROOT=${mode === 'bwrap' ? '/var/task' : environment?.taskRoot}`);
      expect(startEnvironment.some((entry) => entry.startsWith('AWS_ACCESS_KEY_ID='))).toBe(false);
    });

    it.each([['AWS_ACCESS_KEY_ID'], ['_HANDLER'], ['LAMBDA_RUNTIME_DIR'], ['AWS_LAMBDA_RUNTIME_API']])(
      'refuses the reserved variable %s with AWS’s error',
      async (key) => {
        // Prepare
        await deployHandler(
          cloud,
          `reserved-${key.toLowerCase().replace(/_/g, '-')}`,
          'export const handler = async () => 1;',
        );

        // Act
        const attempt = cloud.client.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: `reserved-${key.toLowerCase().replace(/_/g, '-')}`,
            Environment: { Variables: { [key]: 'x' } },
          }),
        );

        // Assess
        await expect(attempt).rejects.toMatchObject({
          name: 'InvalidParameterValueException',
          message: `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${key}`,
        });
      },
    );
  });

  describe('signals and other processes', () => {
    const signaller = `import os from 'node:os';
      export const handler = async (event) => {
        const tries = {
          kill: () => process.kill(event.pid, 'SIGKILL'),
          killGroup: () => process.kill(0, 'SIGKILL'),
          rawKill: () => { const code = process._kill(event.pid, 9); if (code) { const e = new Error('raw kill ' + code); e.code = 'EPERM'; throw e; } },
          debugProcess: () => process._debugProcess(event.pid),
          setPriority: () => os.setPriority(event.pid, 19),
          overwriteKill: () => { process._kill = () => 0; },
        };
        try { tries[event.attempt](); return 'done'; } catch (error) { return error.code ?? error.name; }
      };`;

    beforeAll(async () => {
      await deployHandler(cloud, 'signaller', signaller);
    });

    it.each([
      ['process.kill of the cloud’s pid', 'kill', 'EPERM'],
      ['process.kill(0): the process group', 'killGroup', 'EPERM'],
      ['process._kill (the raw binding) of the cloud’s pid', 'rawKill', 'EPERM'],
      ['process._debugProcess of the cloud (opens its inspector)', 'debugProcess', 'EPERM'],
      ['os.setPriority of the cloud', 'setPriority', 'EPERM'],
      ['replacing the guard (process._kill is locked)', 'overwriteKill', 'TypeError'],
    ])('refuses %s; the cloud lives on, untouched', async (_case, attempt, expected) => {
      // Prepare
      const priority = getPriority(process.pid);

      // Act
      const { body } = await invokeHandler(cloud, 'signaller', { attempt, pid: process.pid });

      // Assess
      expect(body).toBe(expected);
      expect(inspectorUrl()).toBeUndefined();
      expect(getPriority(process.pid)).toBe(priority);
      expect(await cloudStillAnswers(cloud)).toBe(true);
    });

    it('lets the environment signal itself (process.kill(process.pid, 0))', async () => {
      await deployHandler(cloud, 'self-signal', 'export const handler = async () => process.kill(process.pid, 0);');
      expect((await invokeHandler(cloud, 'self-signal')).body).toBe(true);
    });
  });

  describe('the runtime channel (fd 3)', () => {
    it.each([
      ['a line that is not JSON', "writeSync(3, 'this is not json\\n')"],
      ['a JSON line that is not an object', "writeSync(3, '[1,2,3]\\n')"],
      [
        'a 200 MB line without a newline',
        'const mb = Buffer.alloc(1024 * 1024, 120); for (let i = 0; i < 200; i++) writeSync(3, mb)',
      ],
    ])('ends the environment that writes %s (Runtime.ExitError), never the cloud', async (_case, write) => {
      // Prepare
      const name = `channel-${_case.length}`;
      await deployHandler(
        cloud,
        name,
        `import { writeSync } from 'node:fs';
         export const handler = async () => { ${write}; await new Promise((r) => setTimeout(r, 2000)); return 'survived'; };`,
        { MemorySize: 512 },
      );

      // Act
      const { body, functionError, log } = await invokeHandler(cloud, name);

      // Assess
      expect(functionError).toBe('Unhandled');
      expect(body.errorType).toBe('Runtime.ExitError');
      expect(body.errorMessage).toMatch(/Runtime exited with error: signal: killed$/);
      expect(log).toMatch(/runtime channel/);
      expect(await cloudStillAnswers(cloud)).toBe(true);
    });

    it('ignores a forged result for another request id', async () => {
      await deployHandler(
        cloud,
        'forger',
        `import { writeSync } from 'node:fs';
         export const handler = async () => { writeSync(3, JSON.stringify({ type: 'result', requestId: 'someone-else', ok: true, payload: '"forged"' }) + '\\n'); return 'genuine'; };`,
      );
      expect((await invokeHandler(cloud, 'forger')).body).toBe('genuine');
    });
  });

  describe('memory', () => {
    it.each([
      ['Buffers', 'const b = Buffer.alloc(16 * 1024 * 1024, 1); held.push(b);'],
      [
        'WebAssembly memory',
        'memory.grow(256); new Uint8Array(memory.buffer).fill(1, memory.buffer.byteLength - 16 * 1024 * 1024);',
      ],
    ])(
      'stops a 128 MB function holding 1.5 GB of %s: Runtime.OutOfMemory, Max Memory Used honest',
      async (what, grow) => {
        // Prepare
        const name = `oom-${what.split(' ')[0]}`;
        await deployHandler(
          cloud,
          name,
          `const held = []; const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
         export const handler = async () => {
           for (let i = 0; i < 96; i++) { ${grow} await new Promise((r) => setImmediate(r)); }
           return 'held 1.5 GB';
         };`,
          { MemorySize: 128, Timeout: 30 },
        );

        // Act
        const { body, functionError, log } = await invokeHandler(cloud, name);

        // Assess
        expect(functionError).toBe('Unhandled');
        expect(body.errorType).toBe('Runtime.OutOfMemory');
        expect(body.errorMessage).toMatch(/Runtime exited with error: signal: killed$/);
        expect(log).toMatch(/Memory Size: 128 MB\tMax Memory Used: 128 MB/);
        expect(await cloudStillAnswers(cloud)).toBe(true);
      },
    );

    it('reports Max Memory Used from the whole process (Buffers count)', async () => {
      // Prepare
      await deployHandler(
        cloud,
        'buffers-held',
        `const held = [];
         export const handler = async () => { for (let i = 0; i < 8; i++) held.push(Buffer.alloc(16 * 1024 * 1024, 1)); return held.length; };`,
        { MemorySize: 512 },
      );

      // Act
      const { log } = await invokeHandler(cloud, 'buffers-held');

      // Assess: 128 MB of Buffers outside the JS heap are in the figure
      const used = Number(/Max Memory Used: (\d+) MB/.exec(log)?.[1]);
      expect(used).toBeGreaterThan(128);
      expect(used).toBeLessThan(512);
    });
  });

  describe('between invocations', () => {
    it('freezes an environment whose handler left code running, and thaws it for the next invocation', async () => {
      // Prepare: the handler returns but leaves a CPU-burning loop behind
      await deployHandler(
        cloud,
        'left-running',
        `let spins = 0;
         export const handler = async () => {
           const before = spins;
           const spin = () => { const end = Date.now() + 5; while (Date.now() < end); spins += 1; setImmediate(spin); };
           if (before === 0) setImmediate(spin);
           return before;
         };`,
      );
      await invokeHandler(cloud, 'left-running');
      const pid = cloud.service.environments('left-running')[0]?.pid as number;
      const cpu = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];

      // Act: SIGSTOP is sent as the invocation ends, but the kernel stops a thread that is running
      // on another core a moment later (seen on a busy machine), so the count starts once it has.
      await expect.poll(() => cpu()[0], { timeout: 5000, interval: 10 }).toBe('T');
      const first = cpu();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const second = cpu();
      const next = await invokeHandler(cloud, 'left-running');

      // Assess: stopped (state T), no CPU time spent while frozen; the next invocation runs
      expect(second[0]).toBe('T');
      expect(Number(second[11]) + Number(second[12])).toBe(Number(first[11]) + Number(first[12]));
      expect(next.functionError).toBeUndefined();
      expect(typeof next.body).toBe('number');
    });
  });
});
