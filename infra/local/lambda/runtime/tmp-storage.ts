/**
 * The seat belt's `/tmp` limit. Inside the wall `/tmp` is a tmpfs of EphemeralStorage's size: a
 * write past it fails with ENOSPC, as on AWS. Without the wall the environment's `/tmp` is a folder
 * of the host's disk that nothing caps, so the cloud measures it while handler code runs and stops
 * the environment once it holds more than EphemeralStorage. It cannot make the write itself fail.
 *
 * What is measured is what the disk gives the folder (allocated blocks, as `du`; each inode once,
 * so hard links count once and sparse files count what they hold), plus, on Linux, files of the
 * folder that the runtime deleted but still holds open (their blocks stay in use until closed).
 * A folder the handler made unreadable (`chmod 0`) is made readable again: it is the cloud's user's
 * own folder, and what it hides counts all the same.
 */
import { type Dirent, statfsSync } from 'node:fs';
import { chmod, lstat, readdir, readlink, rm, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { HAS_PROC } from './process-info.ts';

/** Entries stat'ed at once while walking a folder. */
const STAT_BATCH = 64;

function allocated(info: { readonly blocks?: number; readonly size: number }): number {
  // st_blocks counts 512-byte units on every Unix; Windows has none: the logical size stands in.
  return typeof info.blocks === 'number' && process.platform !== 'win32' ? info.blocks * 512 : info.size;
}

/** The entries of a folder of the environment's /tmp, making it readable and searchable if it is not. */
async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    // Entries are stat'ed through the folder: it must be searchable too.
    if (entries.length > 0) await lstat(join(dir, entries[0]?.name ?? ''));
    return entries;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EACCES') return []; // Removed meanwhile.
    await chmod(dir, 0o700).catch(() => undefined);
    return readdir(dir, { withFileTypes: true }).catch(() => []);
  }
}

async function walk(dir: string, seen: Set<string>): Promise<number> {
  const entries = await entriesOf(dir);
  let total = 0;
  for (let start = 0; start < entries.length; start += STAT_BATCH) {
    const sizes = await Promise.all(
      entries.slice(start, start + STAT_BATCH).map(async (entry) => {
        const path = join(dir, entry.name);
        try {
          const info = await lstat(path);
          const id = `${info.dev}:${info.ino}`;
          if (seen.has(id)) return 0;
          seen.add(id);
          return allocated(info) + (info.isDirectory() ? await walk(path, seen) : 0);
        } catch {
          return 0;
        }
      }),
    );
    for (const size of sizes) total += size;
  }
  return total;
}

/** Files under `dir` that process `pid` deleted but keeps open (Linux), not already counted. */
async function deletedButOpen(pid: number, dir: string, seen: Set<string>): Promise<number> {
  const fdDir = `/proc/${pid}/fd`;
  let fds: string[];
  try {
    fds = await readdir(fdDir);
  } catch {
    return 0;
  }
  const sizes = await Promise.all(
    fds.map(async (fd) => {
      try {
        const target = await readlink(join(fdDir, fd));
        if (!target.startsWith(dir + sep) || !target.endsWith(' (deleted)')) return 0;
        const info = await stat(join(fdDir, fd));
        const id = `${info.dev}:${info.ino}`;
        if (seen.has(id)) return 0;
        seen.add(id);
        return allocated(info);
      } catch {
        return 0;
      }
    }),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/** Bytes the folder `dir` takes on disk, counting files that process `pid` deleted but holds open. */
export async function storageUsed(dir: string, pid?: number): Promise<number> {
  const seen = new Set<string>();
  const files = await walk(dir, seen);
  return files + (HAS_PROC && pid !== undefined ? await deletedButOpen(pid, dir, seen) : 0);
}

/** Deletes an environment's /tmp, folders its handler made unreadable included. */
export async function removeTmp(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    await walk(dir, new Set());
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

/** Bytes in use on the whole file system that holds `dir` (everyone's), or undefined. */
function fileSystemUsed(dir: string): number | undefined {
  try {
    const fs = statfsSync(dir);
    return (fs.blocks - fs.bfree) * fs.bsize;
  } catch {
    return undefined;
  }
}

/** How often a running environment's `/tmp` is checked. */
export const TMP_SAMPLE_MS = 25;
/** A check walks the folder at least this often (else the file system's growth tells). */
const FULL_WALK_MS = 250;

/**
 * Measures an environment's host `/tmp` while it runs (between {@link start} and {@link stop}) and
 * calls `onExceeded` once it holds more than `limitBytes`.
 *
 * Walking the folder costs a fraction of a millisecond, more with many files; a check at the end of
 * every invocation must cost next to nothing. So a check first asks the file system how much it has
 * grown since the last walk (statfs, microseconds): the folder cannot have grown more than that.
 * Only when that growth could take it past the limit, or the last walk is older than
 * {@link FULL_WALK_MS}, is the folder walked. Walks never overlap; a long one spaces the next out.
 */
export class TmpStorageWatch {
  readonly dir: string;
  readonly limitBytes: number;
  readonly #pid: () => number | undefined;
  readonly #onExceeded: (usedBytes: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #walk: Promise<number> | undefined;
  #lastWalkMs = 0;
  /** The last walk: what the folder held, what the file system held just before, and when. */
  #base: { readonly used: number; readonly fileSystemUsed: number; readonly at: number } | undefined;
  #exceeded = false;

  /** `dir` is the environment's new, empty /tmp. */
  constructor(dir: string, limitBytes: number, pid: () => number | undefined, onExceeded: (usedBytes: number) => void) {
    this.dir = dir;
    this.limitBytes = limitBytes;
    this.#pid = pid;
    this.#onExceeded = onExceeded;
    // Empty now: the check at the end of a cold start needs no walk.
    const fileSystem = fileSystemUsed(dir);
    if (fileSystem !== undefined) this.#base = { used: 0, fileSystemUsed: fileSystem, at: performance.now() };
  }

  /** Handler code runs: measure every {@link TMP_SAMPLE_MS} (or so). */
  start(): void {
    this.#running = true;
    this.#schedule();
  }

  /** Handler code is stopped or frozen: nothing can grow. */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** True when the folder is within the limit now (false once it was found over it). */
  async check(): Promise<boolean> {
    if (this.#exceeded) return false;
    const base = this.#base;
    const fileSystem = fileSystemUsed(this.dir);
    if (
      base !== undefined &&
      fileSystem !== undefined &&
      performance.now() - base.at < FULL_WALK_MS &&
      base.used + Math.max(0, fileSystem - base.fileSystemUsed) <= this.limitBytes
    ) {
      return true;
    }
    this.#walk ??= this.#measure().finally(() => {
      this.#walk = undefined;
    });
    return (await this.#walk) <= this.limitBytes;
  }

  async #measure(): Promise<number> {
    const started = performance.now();
    // Before the walk: what is written during it counts as growth at the next check.
    const fileSystem = fileSystemUsed(this.dir);
    const used = await storageUsed(this.dir, this.#pid());
    this.#lastWalkMs = performance.now() - started;
    if (fileSystem !== undefined) this.#base = { used, fileSystemUsed: fileSystem, at: started };
    if (used > this.limitBytes && !this.#exceeded) {
      this.#exceeded = true;
      this.stop();
      this.#onExceeded(used);
    }
    return used;
  }

  #schedule(): void {
    if (!this.#running || this.#timer !== undefined) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.check().then(() => this.#schedule());
      },
      Math.max(TMP_SAMPLE_MS, 2 * this.#lastWalkMs),
    );
    this.#timer.unref();
  }
}
