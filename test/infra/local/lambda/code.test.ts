import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { codeSha256, extractZip, safeEntryPath } from '../../../../infra/local/lambda/code.ts';

describe('deployment packages', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-test-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['../evil.js'],
    ['a/../../evil.js'],
    ['/etc/passwd'],
    ['C:/windows/evil.js'],
    ['a\\..\\..\\evil.js'],
    ['..'],
  ])('treats the entry %s as outside the code directory', (entry) => {
    expect(safeEntryPath('/code/root', entry)).toBeUndefined();
  });

  it.each([['index.mjs'], ['src/app.mjs'], ['a/./b.js'], ['dir/']])('accepts the entry %s', (entry) => {
    expect(safeEntryPath('/code/root', entry)).toMatch(/^\/code\/root\//);
  });

  it('extracts files and folders', async () => {
    // Prepare
    const dir = fresh();
    const zip = zipSync({ 'index.mjs': new TextEncoder().encode('x'), 'lib/util.js': new TextEncoder().encode('y') });

    // Act
    const { size } = await extractZip(zip, dir);

    // Assess
    expect(size).toBe(zip.length);
    expect(readFileSync(join(dir, 'lib', 'util.js'), 'utf8')).toBe('y');
  });

  it('writes nothing when one entry would escape (zip slip)', async () => {
    // Prepare
    const dir = fresh();
    const zip = zipSync({ 'good.js': new Uint8Array([1]), '../../bad.js': new Uint8Array([2]) });

    // Act + Assess
    await expect(extractZip(zip, join(dir, 'code'))).rejects.toThrow(/points outside the code directory/);
    expect(existsSync(join(dir, 'code', 'good.js'))).toBe(false);
    expect(existsSync(join(dir, 'bad.js'))).toBe(false);
  });

  it('computes CodeSha256 as base64 SHA-256 of the package', () => {
    expect(codeSha256(new TextEncoder().encode('abc'))).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
  });
});
