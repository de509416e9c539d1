// moto (Python's AWS emulator) as a bench baseline, where this machine has it: the first Python
// found that imports `moto.server` (PATH's python3, then pyenv's versions). Where none has it,
// `startMoto` answers why, and the rows that need it say so and are skipped.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Moto {
  readonly endpoint: string;
  readonly pid: number;
  readonly version: string;
  close(): Promise<void>;
}

function pythons(): string[] {
  const found = ['python3'];
  const root = process.env.PYENV_ROOT ?? join(homedir(), '.pyenv');
  const versions = join(root, 'versions');
  if (existsSync(versions)) {
    for (const version of readdirSync(versions).sort().reverse()) found.push(join(versions, version, 'bin', 'python'));
  }
  return found;
}

/** A Python that runs moto's server, with moto's version; undefined when none does. */
export function findMoto(): { python: string; version: string } | undefined {
  for (const python of pythons()) {
    const probe = spawnSync(python, ['-c', 'import moto.server, moto; print(moto.__version__)'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return undefined;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** moto's server on 127.0.0.1 (in memory, all services), or the reason it cannot run. */
export async function startMoto(): Promise<Moto | string> {
  const found = findMoto();
  if (found === undefined) return 'moto is not installed for any Python here (pip install "moto[server]")';
  const port = await freePort();
  const child: ChildProcess = spawn(found.python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      if (waited > 30_000 || child.exitCode !== null) {
        child.kill();
        return `moto ${found.version} did not start`;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    endpoint,
    pid: child.pid!,
    version: found.version,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
