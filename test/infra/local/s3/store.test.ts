// The S3 store keeps an in-memory object as the pieces it arrived in (no join, no copy) and
// serves it, or any byte range of it, as a stream, as it does from a data directory's files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('fails at once with ENOENT for a blob that is gone', async () => {
    const store = new S3Store(dir);
    await store.createBucket(bucket('gone'));
    await expect(store.openBlob('gone', '0123456789abcdef0123456789abcdef')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('S3Store in memory', () => {
  it('keeps the bytes it was given: no second copy', async () => {
    const store = new S3Store();
    await store.createBucket(bucket('kept'));
    const body = Buffer.alloc(1024, 1);
    const blob = await store.writeBlob('kept', [body]);
    expect(await store.readBlob('kept', blob)).toBe(body);
  });
});
