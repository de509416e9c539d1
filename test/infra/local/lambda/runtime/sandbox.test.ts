import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../../../../infra/local/cloud.ts';
import { ChannelReader } from '../../../../../infra/local/lambda/runtime/channel.ts';
import { launchPlan, probeWall } from '../../../../../infra/local/lambda/runtime/sandbox.ts';
import { zipOf } from '../../../../helpers/lambda-cloud.ts';

const runtimeDir = mkdtempSync(join(tmpdir(), 'sandbox-plan-'));
afterAll(() => rmSync(runtimeDir, { recursive: true, force: true }));

const input = {
  bootstrap: '/rt/bootstrap.mjs',
  codeDir: '/code',
  nodeModules: '/nm',
  hostTmpDir: '/host-tmp',
  tmpBytes: 512 * 1024 * 1024,
  heapMb: 115,
  runtimeDir,
};

describe('launch plans', () => {
  it('starts the seat belt as node under the permission model, sqlite off, nothing of the function’s variables', () => {
    // Act
    const plan = launchPlan({ ...input, isolation: { mode: 'node', reason: 'test' } });

    // Assess
    expect(plan.command).toBe(process.execPath);
    expect(plan.args).toEqual(
      expect.arrayContaining([
        '--permission',
        '--allow-fs-read=/code',
        '--allow-fs-write=/host-tmp',
        '--no-experimental-sqlite',
        '--max-old-space-size=115',
      ]),
    );
    expect(plan.args.some((arg) => /child-process|allow-worker|allow-wasi|allow-inspector/.test(arg))).toBe(false);
    expect(plan.tmpDir).toBe('/host-tmp');
    // No /var/task without the wall: the task root is the code folder itself
    expect(plan.taskRoot).toBe('/code');
  });

  it('walls the runtime: namespaces, read-only binds, a sized private /tmp, the endpoint socket', () => {
    // Act
    const plan = launchPlan({
      ...input,
      isolation: { mode: 'bwrap', reason: 'test', bwrap: '/usr/bin/bwrap' },
      endpointSocket: '/host/endpoint.sock',
    });
    const args = plan.args.join(' ');

    // Assess
    expect(plan.command).toBe('/usr/bin/bwrap');
    for (const flag of ['--unshare-user', '--unshare-pid', '--unshare-net', '--die-with-parent', '--new-session']) {
      expect(plan.args).toContain(flag);
    }
    expect(args).toContain(`--size ${512 * 1024 * 1024} --tmpfs /tmp`);
    // The code where AWS has it: /var/task, the working directory, the only code the permission model reads
    expect(args).toContain('--ro-bind /code /var/task');
    expect(args).toContain('--chdir /var/task');
    expect(args).not.toContain('/code /code');
    expect(plan.args).toContain('--allow-fs-read=/var/task');
    expect(plan.args).not.toContain('--allow-fs-read=/code');
    expect(plan.taskRoot).toBe('/var/task');
    expect(args).toContain('--ro-bind /nm /nm');
    // /etc is one folder of two files (the sandbox user, localhost), nothing of the host's
    expect(args).toContain(`--ro-bind ${join(runtimeDir, 'etc')} /etc`);
    expect(readdirSync(join(runtimeDir, 'etc')).sort()).toEqual(['hosts', 'passwd']);
    expect(args).toContain('--bind /host/endpoint.sock /run/local-cloud/endpoint.sock');
    expect(args).toContain('--allow-fs-write=/tmp');
    // A /dev of five devices, not bubblewrap's whole --dev (no pseudo-terminals, no /dev/shm)
    expect(plan.args).not.toContain('--dev');
    const devices = plan.args.flatMap((arg, i) => (arg === '--dev-bind' ? [plan.args[i + 1]] : []));
    expect(devices).toEqual(['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom']);
    expect(plan.runtimeDepth).toBe(2);
  });
});

describe('the runtime channel reader', () => {
  const read = (chunks: readonly string[], max?: number) => {
    const messages: unknown[] = [];
    const violations: string[] = [];
    const reader = new ChannelReader(
      { onMessage: (m) => messages.push(m), onViolation: (r) => violations.push(r) },
      max,
    );
    for (const chunk of chunks) reader.push(Buffer.from(chunk));
    return { messages, violations };
  };

  it('joins a message split across chunks and reads several in one chunk', () => {
    expect(read(['{"a":', '1}\n{"b":2}\n{"c"', ':3}\n']).messages).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('decodes UTF-8 in a line that arrived whole and in one whose character was cut between chunks', () => {
    // Prepare: 'é' is two bytes; the second line is cut between them.
    const bytes = Buffer.from('{"whole":"é"}\n{"cut":"é"}\n');
    const cut = bytes.indexOf('é', 14) + 1;
    const messages: unknown[] = [];
    const reader = new ChannelReader({ onMessage: (m) => messages.push(m), onViolation: () => {} });

    // Act
    reader.push(bytes.subarray(0, cut));
    reader.push(bytes.subarray(cut));

    // Assess
    expect(messages).toEqual([{ whole: 'é' }, { cut: 'é' }]);
  });

  it.each([
    ['a line that is not JSON', ['nope\n'], /not JSON/],
    ['an array', ['[1]\n'], /not a JSON object/],
    ['a line over the limit without a newline', ['x'.repeat(60), 'x'.repeat(60)], /longer than 100 bytes/],
    ['a line over the limit with its newline', [`${'x'.repeat(150)}\n`], /longer than 100 bytes/],
  ])('reports %s once, and reads nothing after it', (_case, chunks, reason) => {
    const { messages, violations } = read([...chunks, '{"after":1}\n'], 100);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(reason);
    expect(messages).toEqual([]);
  });
});

if (probeWall().bwrap !== undefined) {
  describe('inside the wall', () => {
    it('reaches an endpoint named localhost', async () => {
      // Prepare
      const cloud = await startLocalCloud({
        port: 0,
        host: 'localhost',
        inMemory: true,
        enforceIam: false,
        sandbox: 'bwrap',
      });
      const lambda = new LambdaClient({
        endpoint: cloud.endpoint,
        region: 'us-east-1',
        credentials: cloud.adminCredentials,
      });
      try {
        await lambda.send(
          new CreateFunctionCommand({
            FunctionName: 'reach-localhost',
            Runtime: 'nodejs22.x',
            Role: 'arn:aws:iam::000000000000:role/r',
            Handler: 'index.handler',
            Code: {
              ZipFile: zipOf({
                'index.mjs': 'export const handler = async () => (await fetch(process.env.AWS_ENDPOINT_URL)).status;',
              }),
            },
          }),
        );

        // Act
        const result = await lambda.send(new InvokeCommand({ FunctionName: 'reach-localhost' }));

        // Assess: an HTTP answer from the cloud (its status for an unsigned GET)
        expect(result.FunctionError).toBeUndefined();
        expect(Number(new TextDecoder().decode(result.Payload))).toBeGreaterThanOrEqual(200);
      } finally {
        lambda.destroy();
        await cloud.close();
      }
    });

    it('opens node:http connections to the endpoint on its Unix socket (no copy through the runtime), and only those', async () => {
      // Prepare
      const cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false, sandbox: 'bwrap' });
      const lambda = new LambdaClient({
        endpoint: cloud.endpoint,
        region: 'us-east-1',
        credentials: cloud.adminCredentials,
      });
      const handler = `import { get } from 'node:http';
        import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
        const peer = (url) => new Promise((resolve) => {
          const request = get(url, (response) => { response.resume(); resolve({ status: response.statusCode, remote: request.socket.remoteAddress ?? 'unix socket' }); });
          request.on('error', (error) => resolve({ error: error.code }));
        });
        export const handler = async () => {
          const other = new URL(process.env.AWS_ENDPOINT_URL);
          other.port = String(Number(other.port) + 1);
          return {
            endpoint: await peer(process.env.AWS_ENDPOINT_URL),
            otherPort: await peer(other.href),
            sdk: (await new S3Client({}).send(new ListBucketsCommand({}))).$metadata.httpStatusCode,
            fetch: (await fetch(process.env.AWS_ENDPOINT_URL)).status,
          };
        };`;
      try {
        await lambda.send(
          new CreateFunctionCommand({
            FunctionName: 'endpoint-socket',
            Runtime: 'nodejs22.x',
            Role: 'arn:aws:iam::000000000000:role/r',
            Handler: 'index.handler',
            Code: { ZipFile: zipOf({ 'index.mjs': handler }) },
          }),
        );

        // Act
        const result = await lambda.send(new InvokeCommand({ FunctionName: 'endpoint-socket' }));

        // Assess: the endpoint answered over the Unix socket, another port of the address is not redirected
        const body = JSON.parse(new TextDecoder().decode(result.Payload));
        expect(result.FunctionError).toBeUndefined();
        expect(body.endpoint).toEqual({ status: expect.any(Number), remote: 'unix socket' });
        expect(body.otherPort).toEqual({ error: 'ECONNREFUSED' });
        expect(body.sdk).toBe(200);
        // fetch (undici) does not use node:http's agents: it goes through the runtime's relay, and works
        expect(body.fetch).toBeGreaterThanOrEqual(200);
      } finally {
        lambda.destroy();
        await cloud.close();
      }
    });
  });
}
