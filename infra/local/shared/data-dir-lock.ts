// One local cloud per data directory. Two clouds on one directory would each believe they own the
// files: the second one's start-up clean-up (orphaned object data, temp files) deletes what the
// first has just acknowledged. So the directory is locked before anything in it is read or written.
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** `--data-dir`: an absolute path as given, a relative one from `base` (the project folder). */
export function resolveDataDir(base: string, value: string): string {
  return resolve(base, value);
}

/** The lock file in a data directory: `{ pid, hostname, startedAt }` of the cloud that holds it. */
export const LOCK_FILE = 'cloud.lock';

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  readonly pid: number;
  readonly dataDir: string;

  constructor(dataDir: string, pid: number, options?: ErrorOptions) {
    super(
      `The data directory ${dataDir} is in use by process ${pid} (another local cloud). Stop that process, or start this one with another --data-dir (or --in-memory).`,
      options,
    );
    this.pid = pid;
    this.dataDir = dataDir;
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Locks held by this process, so a second cloud in the same process is refused too. */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LockRecord {
  readonly pid: number;
  readonly hostname?: string;
}

function readLock(file: string): LockRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockRecord>;
    return typeof value.pid === 'number' ? { pid: value.pid, hostname: value.hostname } : undefined;
  } catch {
    return undefined; // missing, or half-written by a process that died at that moment
  }
}

/**
 * Takes the data directory's lock or throws {@link DataDirInUseError} naming the process that holds
 * it. A lock left by a process that no longer runs (on this host) is stale and taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  if (heldHere.has(file)) throw new DataDirInUseError(dataDir, process.pid);
  // Written aside and hard-linked into place: the lock appears with its content, atomically, or not at all.
  const pending = `${file}.${process.pid}.tmp`;
  writeFileSync(
    pending,
    JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() }),
    { mode: 0o600 },
  );
  let locked = false;
  try {
    for (let attempt = 0; attempt < 3 && !locked; attempt += 1) {
      try {
        linkSync(pending, file);
        locked = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readLock(file);
        const sameHost = holder?.hostname === undefined || holder.hostname === hostname();
        if (holder !== undefined && (!sameHost || (holder.pid !== process.pid && alive(holder.pid)))) {
          throw new DataDirInUseError(dataDir, holder.pid);
        }
        // Stale (its process is gone) or unreadable: remove it and try again.
        try {
          unlinkSync(file);
        } catch {}
      }
    }
  } finally {
    unlinkSync(pending);
  }
  if (!locked)
    throw new Error(`Could not lock the data directory ${dataDir}: its lock file ${file} keeps reappearing.`);
  heldHere.add(file);
  const onExit = () => release();
  process.once('exit', onExit);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', onExit);
    heldHere.delete(file);
    if (readLock(file)?.pid === process.pid) {
      try {
        unlinkSync(file);
      } catch {}
    }
  };
  return { file, release };
}
