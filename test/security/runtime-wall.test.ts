// What handler code can reach of the machine: files of other functions, the network, host Unix
// sockets, /tmp. Under the seat belt alone some of it stays reachable (the Security model page
// names it); inside the wall only the local cloud's endpoint is.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HAS_PROC } from '../../infra/local/lambda/runtime/process-info.ts';
import { describeIsolation, resolveIsolation } from '../../infra/local/lambda/runtime/sandbox.ts';
import {
  type AttackCloud,
  cloudStillAnswers,
  deployHandler,
  invokeHandler,
  MODES,
  startAttackCloud,
  WALL_AVAILABLE,
} from './runtime-kit.ts';

const reach = `import { connect } from 'node:net';
  import { readFileSync, writeFileSync } from 'node:fs';
  import { join } from 'node:path';
  const attempt = (options) => new Promise((resolve) => {
    const socket = connect(options);
    socket.setTimeout(2000, () => { socket.destroy(); resolve('timeout'); });
    socket.on('connect', () => { socket.end(); resolve('connected'); });
    socket.on('error', (error) => resolve(error.code));
  });
  const tries = {
    tcp: (event) => attempt({ host: '127.0.0.1', port: event.port }),
    unix: (event) => attempt({ path: event.path }),
    endpoint: async () => (await fetch(process.env.AWS_ENDPOINT_URL)).status,
    readOther: (event) => readFileSync(event.path, 'utf8'),
    writeOwnCode: () => writeFileSync(join(process.env.LAMBDA_TASK_ROOT, 'index.mjs'), 'export const handler = () => "replaced";'),
    tmpPath: () => process.env.TMPDIR,
    writeSecret: () => writeFileSync(join(process.env.TMPDIR, 'secret.txt'), 'secret'),
    pid: () => process.pid,
  };
  export const handler = async (event) => {
    try { return { result: await tries[event.attempt](event) }; } catch (error) { return { error: error.code ?? error.name }; }
  };`;

describe.each(MODES)('reach of handler code under the %s isolation', (mode) => {
  let cloud: AttackCloud;
  let http: Server;
  let httpHits = 0;
  let unix: NetServer;
  let unixHits = 0;
  let socketDir: string;

  beforeAll(async () => {
    cloud = await startAttackCloud(mode);
    await deployHandler(cloud, 'reach', reach);
    await deployHandler(cloud, 'neighbour', reach);
    http = createHttpServer((_req, res) => {
      httpHits += 1;
      res.end('secret');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    socketDir = mkdtempSync(join(tmpdir(), 'host-socket-'));
    unix = createNetServer((socket) => {
      unixHits += 1;
      socket.end();
    });
    await new Promise<void>((resolve) => unix.listen(join(socketDir, 'service.sock'), resolve));
  });
  afterAll(async () => {
    await cloud?.close();
    await new Promise((resolve) => http?.close(resolve));
    await new Promise((resolve) => unix?.close(resolve));
    rmSync(socketDir, { recursive: true, force: true });
  });

  it('reaches the local cloud’s endpoint (AWS_ENDPOINT_URL)', async () => {
    const { body } = await invokeHandler(cloud, 'reach', { attempt: 'endpoint' });
    expect(typeof body.result).toBe('number');
  });

  it(
    mode === 'bwrap'
      ? 'cannot reach another port of this machine (own network namespace)'
      : 'reaches another port of this machine: the seat belt does not wall the network (named in the docs)',
    async () => {
      // Prepare
      const port = (http.address() as { port: number }).port;
      const before = httpHits;

      // Act
      const { body } = await invokeHandler(cloud, 'reach', { attempt: 'tcp', port });

      // Assess
      if (mode === 'bwrap') {
        expect(body.result).toBe('ECONNREFUSED');
        expect(httpHits).toBe(before);
      } else {
        expect(body.result).toBe('connected');
      }
    },
  );

  it(
    mode === 'bwrap'
      ? 'cannot reach a Unix socket of the host (own mount namespace)'
      : 'reaches a Unix socket of the host: the seat belt does not check socket paths (named in the docs)',
    async () => {
      // Prepare
      const before = unixHits;

      // Act
      const { body } = await invokeHandler(cloud, 'reach', { attempt: 'unix', path: join(socketDir, 'service.sock') });
      await new Promise((resolve) => setTimeout(resolve, 100));

      // Assess
      if (mode === 'bwrap') {
        expect(body.result).toBe('ENOENT');
        expect(unixHits).toBe(before);
      } else {
        expect(body.result).toBe('connected');
      }
    },
  );

  it('cannot read another function’s /tmp', async () => {
    // Prepare: the neighbour's /tmp path, as the neighbour sees it
    const { body: neighbour } = await invokeHandler(cloud, 'neighbour', { attempt: 'tmpPath' });
    await invokeHandler(cloud, 'neighbour', { attempt: 'writeSecret' });

    // Act
    const { body } = await invokeHandler(cloud, 'reach', {
      attempt: 'readOther',
      path: join(neighbour.result, 'secret.txt'),
    });

    // Assess
    expect(body.error).toMatch(mode === 'bwrap' ? /^(ENOENT|ERR_ACCESS_DENIED)$/ : /^ERR_ACCESS_DENIED$/);
  });

  it('cannot rewrite its own code', async () => {
    const { body } = await invokeHandler(cloud, 'reach', { attempt: 'writeOwnCode' });
    // The permission model refuses it in both isolations (only /tmp is writable); inside the wall the
    // code is also a read-only bind mount at /var/task (see sandbox.test.ts), refused there as EROFS.
    expect(body.error).toBe('ERR_ACCESS_DENIED');
    expect((await invokeHandler(cloud, 'reach', { attempt: 'pid' })).body.result).toBeTypeOf('number');
  });

  it(
    mode === 'bwrap'
      ? 'runs in its own PID namespace (the cloud’s processes are not there)'
      : 'shares the PID space with the cloud: signals are refused by the bootstrap alone',
    async () => {
      const { body } = await invokeHandler(cloud, 'reach', { attempt: 'pid' });
      const pid = cloud.service.environments('reach')[0]?.pid;
      if (mode === 'bwrap') expect(body.result).not.toBe(pid);
      else expect(body.result).toBe(pid);
    },
  );
});

describe('the isolation in force', () => {
  it('is the wall where bubblewrap works, and the banner says which', () => {
    const isolation = resolveIsolation('auto');
    expect(isolation.mode).toBe(WALL_AVAILABLE ? 'bwrap' : 'node');
    expect(describeIsolation(isolation)).toMatch(WALL_AVAILABLE ? /bubblewrap wall/ : /Node permission model only/);
  });

  it('can be turned off for comparison (--sandbox node) and refuses an unknown mode', () => {
    expect(resolveIsolation('node').mode).toBe('node');
    expect(() => resolveIsolation('docker')).toThrow(/'auto', 'bwrap' or 'node'/);
  });
});

if (WALL_AVAILABLE) {
  describe('the wall’s /tmp', () => {
    let cloud: AttackCloud;

    beforeAll(async () => {
      cloud = await startAttackCloud('bwrap');
    });
    afterAll(async () => {
      await cloud?.close();
    });

    it('is limited to EphemeralStorage (512 MB): filling it ends in ENOSPC, and it is gone with the environment', async () => {
      // Prepare
      await deployHandler(
        cloud,
        'fill-tmp',
        `import { openSync, writeSync, closeSync, rmSync } from 'node:fs';
         export const handler = async () => {
           const chunk = Buffer.alloc(8 * 1024 * 1024, 1);
           const fd = openSync('/tmp/fill', 'w');
           let written = 0;
           try { for (;;) { writeSync(fd, chunk); written += chunk.length; if (written > 2048 * 1024 * 1024) break; } }
           catch (error) { closeSync(fd); rmSync('/tmp/fill'); return { code: error.code, mb: written / 1024 / 1024 }; }
           return { code: 'none', mb: written / 1024 / 1024 };
         };`,
        { EphemeralStorage: { Size: 512 }, Timeout: 60 },
      );

      // Act
      const { body } = await invokeHandler(cloud, 'fill-tmp');

      // Assess
      expect(body.code).toBe('ENOSPC');
      expect(body.mb).toBeLessThanOrEqual(512);
      expect(body.mb).toBeGreaterThan(400);
      expect(existsSync('/tmp/fill')).toBe(false);
    }, 60_000);
  });
}

// Without the wall, /tmp is a folder of the host's disk: the cloud measures it and stops an
// environment that holds more than EphemeralStorage (the write itself cannot be failed there).
describe('the seat belt’s /tmp', () => {
  let cloud: AttackCloud;

  /** Writes event.mb MB (8 MB at a time) to a file of /tmp, logging its folder and its progress. */
  const fill = `import { openSync, writeSync, closeSync, unlinkSync } from 'node:fs';
    import { join } from 'node:path';
    export const handler = async (event) => {
      console.log('tmp', process.env.TMPDIR);
      const path = join(process.env.TMPDIR, event.name ?? 'fill');
      const fd = openSync(path, 'w');
      if (event.unlink) unlinkSync(path);
      const chunk = Buffer.alloc(8 * 1024 * 1024, 1);
      for (let mb = 8; mb <= event.mb; mb += 8) {
        writeSync(fd, chunk);
        if (mb % 64 === 0) console.log('wrote', mb, 'MB');
      }
      if (!event.keepOpen) closeSync(fd);
      return 'done';
    };`;
  const tmpOf = (log: string) => /\ttmp (\S+)/.exec(log)?.[1];
  const heldMb = (message: string) => Number(/\/tmp held (\d+) MB/.exec(message)?.[1]);

  beforeAll(async () => {
    cloud = await startAttackCloud('node');
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('stops a handler writing 600 MB into 512 MB of EphemeralStorage, deletes its /tmp, and the next invoke runs', async () => {
    // Prepare
    await deployHandler(cloud, 'fill-host-tmp', fill, { EphemeralStorage: { Size: 512 }, Timeout: 60 });

    // Act
    const filled = await invokeHandler(cloud, 'fill-host-tmp', { mb: 600 });

    // Assess: stopped, with an error naming the limit, shortly past it
    expect(filled.functionError).toBe('Unhandled');
    expect(filled.body.errorType).toBe('Runtime.ExitError');
    expect(filled.body.errorMessage).toMatch(/ephemeral storage \(EphemeralStorage: 512 MB\)/);
    expect(heldMb(filled.body.errorMessage)).toBeGreaterThan(512);
    expect(heldMb(filled.body.errorMessage)).toBeLessThanOrEqual(601);
    expect(filled.log).toContain('[local cloud] /tmp held');
    const hostTmp = tmpOf(filled.log);
    expect(hostTmp).toBeDefined();
    await vi.waitFor(() => expect(existsSync(hostTmp as string)).toBe(false), { timeout: 10_000 });

    // The next invocation gets a fresh environment and its own empty /tmp
    const next = await invokeHandler(cloud, 'fill-host-tmp', { mb: 8 });
    expect(next.functionError).toBeUndefined();
    expect(next.body).toBe('done');
    expect(tmpOf(next.log)).not.toBe(hostTmp);
    expect(await cloudStillAnswers(cloud)).toBe(true);
  }, 60_000);

  it('counts /tmp across invocations: the one that leaves it past the limit fails', async () => {
    // Prepare: 96 MB per invocation, each in its own file
    await deployHandler(cloud, 'fill-by-steps', fill, { EphemeralStorage: { Size: 512 }, Timeout: 60 });

    // Act
    const outcomes: (string | undefined)[] = [];
    for (let step = 1; step <= 6; step += 1) {
      outcomes.push((await invokeHandler(cloud, 'fill-by-steps', { mb: 96, name: `part-${step}` })).functionError);
    }

    // Assess: 5 × 96 MB fit in 512 MB, the sixth does not
    expect(outcomes).toEqual([undefined, undefined, undefined, undefined, undefined, 'Unhandled']);
  }, 60_000);

  if (HAS_PROC) {
    it('counts a file the handler deleted but keeps open (its blocks stay in use)', async () => {
      // Prepare
      await deployHandler(cloud, 'fill-unlinked', fill, { EphemeralStorage: { Size: 512 }, Timeout: 60 });

      // Act
      const filled = await invokeHandler(cloud, 'fill-unlinked', { mb: 600, unlink: true, keepOpen: true });

      // Assess
      expect(filled.functionError).toBe('Unhandled');
      expect(filled.body.errorMessage).toMatch(/ephemeral storage \(EphemeralStorage: 512 MB\)/);
      expect(await cloudStillAnswers(cloud)).toBe(true);
    }, 60_000);
  }
});
