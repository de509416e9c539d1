import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Private temporary folders for what an in-memory cloud holds outside its JS heap (S3 object
 * bytes): readable by this user only, removed on close, at exit, and — for a process that could
 * not remove its own (SIGKILL, a crash) — by the next one that starts. In-memory mode's promise
 * holds: nothing outlives the cloud.
 */
const PREFIX = 'lambda-workbook-s3-';
const open = new Set<string>();
let started = false;

function removeOpenFolders(): void {
  for (const dir of open) rmSync(dir, { recursive: true, force: true });
  open.clear();
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes this user's folders left by processes that are no longer running. */
function removeOrphans(parent: string): void {
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    const dir = join(parent, name);
    try {
      if (uid !== undefined && statSync(dir).uid !== uid) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process removed it first, or it is not ours to remove.
    }
  }
}

/** Creates a folder (mode 0700, named after this process) under the OS temp dir. */
export function createPrivateTempDir(): string {
  const parent = tmpdir();
  if (!started) {
    started = true;
    removeOrphans(parent);
    process.once('exit', removeOpenFolders);
  }
  // mkdtemp creates the folder with mode 0700.
  const dir = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
  open.add(dir);
  return dir;
}

export function removePrivateTempDir(dir: string): void {
  open.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}
