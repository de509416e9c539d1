// Attacks on the data directory: a second cloud started on a directory a running cloud uses used to
// garbage-collect the first one's object files before crashing on LevelDB's lock (acknowledged
// uploads lost). Now the directory is locked before anything in it is read or written.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import { DataDirInUseError, LOCK_FILE, lockDataDir, resolveDataDir } from '../../infra/local/shared/data-dir-lock.ts';
import { clientConfig, expectCloudAnswers } from './endpoint-helpers.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'endpoint-data-'));
  dirs.push(dir);
  return dir;
};
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir` with its size and mtime: what "touched nothing" compares. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(path);
        files[path.slice(dir.length)] = `${stat.size}@${stat.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return files;
}

async function putObjects(cloud: LocalCloud, count: number): Promise<S3Client> {
  const s3 = new S3Client(clientConfig(cloud));
  await s3.send(new CreateBucketCommand({ Bucket: 'acknowledged' }));
  for (let i = 0; i < count; i += 1) {
    await s3.send(new PutObjectCommand({ Bucket: 'acknowledged', Key: `object-${i}`, Body: `body ${i}` }));
  }
  return s3;
}

describe('one cloud per data directory', () => {
  it('refuses a second cloud on the same directory, naming the process, and the first loses nothing', async () => {
    const dataDir = tempDir();
    const first = await startLocalCloud({ port: 0, dataDir });
    try {
      const s3 = await putObjects(first, 60);
      const before = snapshot(dataDir);

      const second = startLocalCloud({ port: 0, dataDir });
      await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(second).rejects.toThrow(`The data directory ${dataDir} is in use by process ${process.pid}`);

      // Nothing was read, collected or rewritten by the second one; the first still serves every object.
      expect(snapshot(dataDir)).toEqual(before);
      for (let i = 0; i < 60; i += 1) {
        const object = await s3.send(new GetObjectCommand({ Bucket: 'acknowledged', Key: `object-${i}` }));
        expect(await object.Body?.transformToString()).toBe(`body ${i}`);
      }
      await expectCloudAnswers(first);
    } finally {
      await first.close();
    }
  });

  it('refuses `npm run cloud` on a directory a running cloud uses: a clear message, exit 1, objects intact', async () => {
    const dataDir = tempDir();
    const first = await startLocalCloud({ port: 0, dataDir });
    try {
      const s3 = await putObjects(first, 20);
      const before = snapshot(dataDir);
      const child = spawn(process.execPath, ['infra/local/main.ts', '--port', '0', '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(output).toContain(`The data directory ${dataDir} is in use by process ${process.pid}`);
      expect(output).not.toContain('Local cloud listening');
      expect(snapshot(dataDir)).toEqual(before);
      const object = await s3.send(new GetObjectCommand({ Bucket: 'acknowledged', Key: 'object-19' }));
      expect(await object.Body?.transformToString()).toBe('body 19');
    } finally {
      await first.close();
    }
  }, 60_000);

  it('takes over a stale lock left by a process that no longer runs', async () => {
    const dataDir = tempDir();
    // A process that has exited: its pid is free.
    const dead = spawn(process.execPath, ['-e', '0']);
    await once(dead, 'exit');
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: dead.pid, hostname: hostname() }));
    const cloud = await startLocalCloud({ port: 0, dataDir });
    try {
      expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
      await expectCloudAnswers(cloud);
    } finally {
      await cloud.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('refuses a lock held by a live process of this host (another cloud, run as a process)', () => {
    const dataDir = tempDir();
    // pid 1 always runs.
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: 1 }));
    expect(() => lockDataDir(dataDir)).toThrow(`The data directory ${dataDir} is in use by process 1`);
  });

  it('releases the lock on close, so the same directory can be opened again', async () => {
    const dataDir = tempDir();
    const one = await startLocalCloud({ port: 0, dataDir });
    await one.close();
    const two = await startLocalCloud({ port: 0, dataDir });
    await expectCloudAnswers(two);
    await two.close();
  });

  it('an in-memory cloud takes no lock (many may run at once)', async () => {
    const one = await startLocalCloud({ port: 0, inMemory: true });
    const two = await startLocalCloud({ port: 0, inMemory: true });
    await expectCloudAnswers(one);
    await expectCloudAnswers(two);
    await one.close();
    await two.close();
  });
});

describe('--data-dir', () => {
  it('takes an absolute path as given and a relative one from the project folder', () => {
    expect(resolveDataDir('/project', '/var/lib/workbook')).toBe('/var/lib/workbook');
    expect(resolveDataDir('/project', '.data')).toBe('/project/.data');
    expect(resolveDataDir('/project', 'data/../other')).toBe('/project/other');
  });
});
