import { spawnSync } from 'node:child_process';
import { linkSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { storageUsed } from '../../../../../infra/local/lambda/runtime/tmp-storage.ts';

const MODULE = pathToFileURL(
  join(import.meta.dirname, '../../../../../infra/local/lambda/runtime/tmp-storage.ts'),
).href;
const MB = 1024 * 1024;

describe('storageUsed: what an environment’s /tmp takes on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tmp-storage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts allocated blocks: a hard link once, a sparse file for what it holds', async () => {
    // Prepare
    writeFileSync(join(dir, 'data'), Buffer.alloc(4 * MB, 1));
    linkSync(join(dir, 'data'), join(dir, 'same-data'));
    writeFileSync(join(dir, 'sparse'), '');
    truncateSync(join(dir, 'sparse'), 1024 * MB);

    // Act
    const used = await storageUsed(dir);

    // Assess
    expect(used).toBeGreaterThanOrEqual(4 * MB);
    expect(used).toBeLessThan(5 * MB);
  });

  // Root reads any folder whatever its mode: the attack is run as an unprivileged user.
  it('counts what a folder made unreadable (chmod 0) hides, and deletes it all', () => {
    // Prepare: a folder of the caller's own holding 4 MB, then made unreadable and unsearchable
    const script = `
      import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
      import { join } from 'node:path';
      const { storageUsed, removeTmp } = await import(${JSON.stringify(MODULE)});
      const dir = mkdtempSync('${tmpdir()}/tmp-storage-chmod-');
      mkdirSync(join(dir, 'hidden', 'deeper'), { recursive: true });
      writeFileSync(join(dir, 'hidden', 'deeper', 'data'), Buffer.alloc(4 * 1024 * 1024, 1));
      chmodSync(join(dir, 'hidden', 'deeper'), 0o600);
      chmodSync(join(dir, 'hidden'), 0);
      const used = await storageUsed(dir);
      chmodSync(join(dir, 'hidden'), 0);
      await removeTmp(dir);
      console.log(JSON.stringify({ used, removed: !existsSync(dir) }));`;
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

    // Act
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...asUser });

    // Assess
    expect(run.stderr).toBe('');
    const outcome = JSON.parse(run.stdout);
    expect(outcome.used).toBeGreaterThanOrEqual(4 * MB);
    expect(outcome.removed).toBe(true);
  });
});
