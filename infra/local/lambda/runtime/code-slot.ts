/**
 * A spare execution environment's code folder: created empty when the spare starts (the wall binds
 * it read-only, the seat belt allows reading it), filled with one function's code when the spare is
 * assigned. Files are hard links to the function's code where the file system allows (no bytes
 * copied), copies elsewhere; either way the environment cannot change them.
 */

import type { Dirent } from 'node:fs';
import { mkdtempSync, realpathSync } from 'node:fs';
import { copyFile, link, mkdir, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Beyond this many entries a function's code is not worth filling in: it starts an environment of its own. */
export const MAX_SLOT_ENTRIES = 2000;

/** A fresh, empty code folder under `parent` (the real path). */
export function createCodeSlot(parent: string): string {
  return realpathSync(mkdtempSync(join(parent, 'task-')));
}

/** The files and folders of a function's code, or undefined when it holds anything else (links, devices) or too much. */
export async function codeListing(
  codeDir: string,
): Promise<{ readonly dirs: readonly string[]; readonly files: readonly string[] } | undefined> {
  let entries: Dirent[];
  try {
    entries = await readdir(codeDir, { recursive: true, withFileTypes: true });
  } catch {
    return undefined;
  }
  if (entries.length > MAX_SLOT_ENTRIES) return undefined;
  const dirs: string[] = [];
  const files: string[] = [];
  for (const entry of entries) {
    const path = relative(codeDir, join(entry.parentPath, entry.name));
    if (entry.isDirectory()) dirs.push(path);
    else if (entry.isFile()) files.push(path);
    else return undefined;
  }
  return { dirs, files };
}

/** Fills an empty slot with the listed code; false when the code changed meanwhile (the slot is then unusable). */
export async function fillCodeSlot(
  codeDir: string,
  listing: { readonly dirs: readonly string[]; readonly files: readonly string[] },
  slot: string,
): Promise<boolean> {
  try {
    // Parents first, each made once: a slot removed meanwhile fails the fill instead of coming back.
    const dirs = [...listing.dirs].sort((a, b) => a.split(sep).length - b.split(sep).length);
    for (const dir of dirs) await mkdir(join(slot, dir));
    await Promise.all(
      listing.files.map((file) =>
        link(join(codeDir, file), join(slot, file)).catch((error: NodeJS.ErrnoException) => {
          // Another file system, or one without hard links: copy.
          if (error.code === 'EEXIST' || error.code === 'ENOENT') throw error;
          return copyFile(join(codeDir, file), join(slot, file));
        }),
      ),
    );
    return true;
  } catch {
    return false;
  }
}
