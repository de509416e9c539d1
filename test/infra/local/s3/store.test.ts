// The S3 store keeps an object's bytes in a file (in a data directory, or in memory mode in a
// private temporary folder that nothing outlives) and serves them, or any byte range, as a stream.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { S3Store } from '../../../../infra/local/s3/store.ts';

const dataDir = mkdtempSync(join(tmpdir(), 's3-store-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const bucket = (name: string) => ({
  name,
  region: 'us-east-1',
  creationDate: new Date().toISOString(),
  notification: {} as never,
});

describe.each([
  ['in memory', undefined],
  ['in a data directory', dataDir],
])('S3Store %s', (_label, dir) => {
  const pieces = [Buffer.from('hello '), Buffer.from('wide '), Buffer.from('world')];
  const whole = Buffer.concat(pieces);

  it.each([
    ['the whole object', undefined, whole],
    ['a range inside one piece', { start: 1, end: 3 }, whole.subarray(1, 4)],
    ['a range across three pieces', { start: 4, end: 12 }, whole.subarray(4, 13)],
    ['the last byte', { start: whole.length - 1, end: whole.length - 1 }, whole.subarray(-1)],
  ])('streams %s', async (_case, range, expected) => {
    // Prepare
    const store = new S3Store(dir);
    const name = `b${Math.random().toString(36).slice(2, 8)}`;
    await store.createBucket(bucket(name));
    const blob = await store.writeBlob(name, pieces);

    // Act
    const got = await buffer(await store.openBlob(name, blob, range));

    // Assess
    expect(got.equals(expected)).toBe(true);
  });

  it.each([
    ['the whole object', undefined],
    ['a range across several read buffers', { start: 1000, end: 700_000 }],
  ])('writes %s to a slow socket without reusing a buffer it still holds', async (_case, range) => {
    // Prepare: 1.2 MiB of distinct bytes; a writer that reads each piece only when it calls back,
    // as a socket holding a pending write does.
    const store = new S3Store(dir);
    const name = `w${Math.random().toString(36).slice(2, 8)}`;
    await store.createBucket(bucket(name));
    const data = randomBytes(1_200_000);
    const blob = await store.writeBlob(name, [data]);
    const received: Buffer[] = [];
    const slowSocket = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        setTimeout(() => {
          received.push(Buffer.from(chunk));
          callback();
        }, 2);
      },
    });

    // Act
    await (await store.openBlob(name, blob, range)).writeTo(slowSocket);

    // Assess
    const expected = range === undefined ? data : data.subarray(range.start, range.end + 1);
    expect(Buffer.concat(received).equals(expected)).toBe(true);
  });

  it('fails at once with ENOENT for a blob that is gone', async () => {
    const store = new S3Store(dir);
    await store.createBucket(bucket('gone'));
    await expect(store.openBlob('gone', '0123456789abcdef0123456789abcdef')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('S3Store in memory', () => {
  it('keeps the bytes in a private folder (mode 0700) that close() removes', async () => {
    // Prepare
    const store = new S3Store();
    await store.createBucket(bucket('kept'));

    // Act
    const blob = await store.writeBlob('kept', [Buffer.from('off the heap')]);
    const folder = store.tempDir;

    // Assess
    expect(folder).toBeDefined();
    expect(statSync(folder!).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(folder!, 'kept', 'data'))).toEqual([blob]);
    expect((await buffer(await store.openBlob('kept', blob))).toString()).toBe('off the heap');
    await store.close();
    expect(existsSync(folder!)).toBe(false);
  });

  it('removes its folder when the process exits without closing', async () => {
    const { folder } = await runStoreProcess('exit');
    expect(folder).toMatch(/lambda-workbook-s3-/);
    expect(existsSync(folder)).toBe(false);
  });

  it("removes a killed process's folder when the next process makes one", async () => {
    // Prepare: a process that dies by SIGKILL leaves its folder behind.
    const killed = await runStoreProcess('kill');
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(killed.folder)).toBe(true);

    // Act
    const next = await runStoreProcess('exit');

    // Assess
    expect(existsSync(killed.folder)).toBe(false);
    expect(existsSync(next.folder)).toBe(false);
  });
});

/** Runs a Node process that stores an object in memory, prints the folder, then exits or kills itself. */
function runStoreProcess(end: 'exit' | 'kill'): Promise<{ folder: string; signal: NodeJS.Signals | null }> {
  const code = `
    const { S3Store } = await import(${JSON.stringify(new URL('../../../../infra/local/s3/store.ts', import.meta.url).href)});
    const store = new S3Store();
    await store.createBucket({ name: 'b', region: 'us-east-1', creationDate: '', notification: {} });
    await store.writeBlob('b', [Buffer.alloc(1024, 1)]);
    console.log(store.tempDir);
    if (${JSON.stringify(end)} === 'kill') process.kill(process.pid, 'SIGKILL');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) =>
      status === 0 || signal === 'SIGKILL'
        ? resolve({ folder: out.trim(), signal })
        : reject(new Error(`store process exited with ${status}`)),
    );
  });
}
