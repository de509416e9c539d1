import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaCloud, localCode, ROLE, startLambdaCloud, zipOf } from '../../../../helpers/lambda-cloud.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..', '..', '..', '..');

/** The sandbox and the faults: what a misbehaving handler gets, and that nothing else suffers. */
describe('Lambda execution environment: sandbox and faults', () => {
  let cloud: LambdaCloud;
  const deploy = (name: string, handler: string, extra: Record<string, unknown> = {}) =>
    cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: handler,
        Code: localCode(),
        ...extra,
      }),
    );
  const run = async (name: string, payload: unknown = {}) => {
    const result = await cloud.service.invoke(name, payload, { logType: 'Tail' });
    return {
      ...result,
      body: JSON.parse(result.payload ?? 'null'),
      log: Buffer.from(result.logResult ?? '', 'base64').toString('utf8'),
    };
  };
  // A host folder anyone may write to, outside any /tmp the environment is given (the project
  // itself may lie under /tmp, which inside the wall is the environment's own private /tmp).
  const outside = join('/var/tmp', `escaped-by-lambda-${process.pid}.txt`);

  beforeAll(async () => {
    cloud = await startLambdaCloud();
    await deploy('escape', 'escape.handler');
    await deploy('echo', 'echo.handler');
  });
  afterAll(async () => {
    rmSync(outside, { force: true });
    await cloud?.close();
  });

  it.each([
    ['the developer’s ~/.aws/credentials', { attempt: 'readAwsCredentials' }, /--allow-fs-read/],
    // The permission model refuses the read; or, when the project lies under /tmp (a clone in a
    // temporary folder) and the wall is on, the permission model lets the wall's own private /tmp
    // through and the file is simply not there (the wall binds only the runtime's files).
    [
      'the project’s package.json',
      { attempt: 'readFile', path: join(PROJECT_ROOT, 'package.json') },
      /--allow-fs-read|ENOENT/,
    ],
    [
      'the local cloud’s own source',
      { attempt: 'readFile', path: join(PROJECT_ROOT, 'infra', 'local', 'lambda', 'service.ts') },
      /--allow-fs-read|ENOENT/,
    ],
    ['a write outside its /tmp', { attempt: 'writeFile', path: outside }, /--allow-fs-write/],
    ['a child process', { attempt: 'spawn' }, /--allow-child-process/],
  ])('denies %s (ERR_ACCESS_DENIED surfaces as the handler’s error)', async (_case, event, flag) => {
    // Act
    const { body, functionError } = await run('escape', event);

    // Assess
    expect(functionError).toBe('Unhandled');
    expect(body.errorMessage).toMatch(flag);
    expect(existsSync(outside)).toBe(false);
  });

  it('lets the handler write and read its own /tmp', async () => {
    const { body, functionError } = await run('escape', { attempt: 'writeTmp' });
    expect(functionError).toBeUndefined();
    expect(body).toBe('fine');
  });

  it('kills a handler that never returns at its timeout (recorded: lambda-invoke-timeout.json)', async () => {
    // Prepare
    await deploy('loop', 'loop.handler', { Timeout: 1 });

    // Act
    const started = Date.now();
    const { body, functionError, requestId, log } = await run('loop');

    // Assess
    expect(Date.now() - started).toBeLessThan(5000);
    expect(functionError).toBe('Unhandled');
    expect(body).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(log).toContain(`${requestId} Task timed out after 1.00 seconds`);
    expect(log).toMatch(/Status: timeout/);
    expect((await run('echo', { after: 'timeout' })).body).toEqual({ after: 'timeout' });
  });

  it('times each invocation of a warm environment from its own start', async () => {
    // Prepare: a quick invocation first, on the environment the next ones reuse
    await deploy('sleeper', 'counter.handler', { Timeout: 1 });
    const first = await run('sleeper');
    await new Promise((resolve) => setTimeout(resolve, 600));

    // Act: 0.6 s after the first, one that runs 0.7 s: within its own second, not the first's
    const second = await run('sleeper', { sleepMs: 700 });
    const third = await run('sleeper', { sleepMs: 1500 });

    // Assess
    expect(second.functionError).toBeUndefined();
    expect(second.body).toMatchObject({ invocations: 2, environment: first.body.environment });
    expect(third.functionError).toBe('Unhandled');
    expect(third.body.errorMessage).toMatch(/Task timed out after 1.00 seconds/);
  });

  it('answers a handler that exhausts its memory with Runtime.OutOfMemory', async () => {
    // Prepare
    await deploy('oom', 'oom.handler', { Timeout: 30 });

    // Act
    const { body, functionError, log } = await run('oom');

    // Assess
    expect(functionError).toBe('Unhandled');
    expect(body.errorType).toBe('Runtime.OutOfMemory');
    expect(log).toMatch(/Max Memory Used: 128 MB/);
    expect((await run('echo', { after: 'oom' })).body).toEqual({ after: 'oom' });
  });

  it('answers process.exit during an invocation with Runtime.ExitError and the exit status', async () => {
    // Prepare
    await deploy('exit', 'exit.handler');

    // Act
    const { body, requestId, log } = await run('exit', { code: 3 });
    const next = await run('exit', { code: 4 });

    // Assess
    expect(body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status 3`,
    });
    expect(log).toContain('\tINFO\tabout to exit');
    expect(next.body.errorMessage).toMatch(/exit status 4$/);
  });

  it('survives a 100 MB log flood: bounded memory, a 4 KB tail, the server responsive', async () => {
    // Prepare
    await deploy('flood', 'flood.handler', { Timeout: 60 });
    const rssBefore = process.memoryUsage().rss;
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 20);

    // Act
    const { body, logResult, requestId } = await run('flood', { mb: 100 });
    const meanwhile = await run('echo', { still: 'here' });
    clearInterval(ticker);

    // Assess
    expect(body).toEqual({ printed: 102400 });
    expect(Buffer.from(logResult ?? '', 'base64').length).toBeLessThanOrEqual(4096);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    expect(ticks).toBeGreaterThan(5);
    expect(cloud.events('lambda.log', requestId).length).toBeLessThan(3000);
    const end = cloud.events('lambda.invoke.end', requestId)[0];
    expect(end?.detail.droppedLogLines).toBeGreaterThan(90_000);
    expect(meanwhile.body).toEqual({ still: 'here' });
  }, 120_000);

  it('keeps other functions unaffected while one is stuck', async () => {
    // Prepare
    await deploy('stuck', 'loop.handler', { Timeout: 2 });

    // Act
    const stuck = run('stuck');
    const others = await Promise.all([run('echo', { n: 1 }), run('echo', { n: 2 })]);

    // Assess
    expect(others.map((r) => r.body)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await stuck).body.errorType).toBe('Sandbox.Timedout');
  });

  it('puts every line written before the handler returned in its invocation, a last one without a newline too', async () => {
    // Prepare: 300 lines, then output without a newline, written just before returning
    await deploy('chatty', 'index.handler', {
      Code: {
        ZipFile: zipOf({
          'index.mjs': `let calls = 0;
            export const handler = async () => {
              calls += 1;
              for (let i = 0; i < 300; i += 1) console.log('call ' + calls + ' line ' + i + ' ' + 'x'.repeat(200));
              process.stdout.write('unterminated ' + calls);
              return calls;
            };`,
        }),
      },
    });
    const lines: { line: string; requestId?: string }[] = [];
    const stop = cloud.trace.subscribe((event) => {
      if (event.type === 'lambda.log' && event.detail.functionName === 'chatty')
        lines.push({ line: String(event.detail.line), requestId: event.requestId });
    });

    // Act
    const first = await run('chatty');
    const second = await run('chatty');
    stop();

    // Assess: each invocation's lines, in order, between its START and END; none outside
    for (const [call, result] of [first, second].entries()) {
      const own = lines.filter((l) => l.requestId === result.requestId).map((l) => l.line);
      const start = own.findIndex((l) => l.startsWith('START '));
      const end = own.findIndex((l) => l.startsWith('END '));
      const logged = own.slice(start + 1, end);
      expect(logged).toHaveLength(301);
      expect(logged[0]).toContain(`call ${call + 1} line 0 `);
      expect(logged[299]).toContain(`call ${call + 1} line 299 `);
      expect(logged[300]).toBe(`unterminated ${call + 1}`);
    }
    expect(lines.filter((l) => l.requestId !== first.requestId && l.requestId !== second.requestId)).toEqual([]);
  });

  it('kills every environment on close()', async () => {
    // Prepare
    const own = await startLambdaCloud();
    await own.client.send(
      new CreateFunctionCommand({
        FunctionName: 'c',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'echo.handler',
        Code: localCode(),
      }),
    );
    await own.service.invoke('c', {});
    const pids = own.service.environments('c').map((e) => e.pid ?? 0);

    // Act
    await own.close();

    // Assess
    expect(pids).toHaveLength(1);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
