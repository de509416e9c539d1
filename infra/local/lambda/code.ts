import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { LambdaError } from './errors.ts';

/** Lambda's limit on a function's unzipped code (250 MB). */
export const MAX_UNZIPPED_BYTES = 262_144_000;
/** Lambda's limit on a zip uploaded in the request (50 MB). */
export const MAX_ZIP_BYTES = 52_428_800;

const UNZIP_FAILED = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

/** `CodeSha256` as Lambda reports it: base64 of the SHA-256 of the deployment package. */
export const codeSha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

/** A zip entry's path inside the code directory, or undefined when it would land outside (zip slip). */
export function safeEntryPath(root: string, entryName: string): string | undefined {
  if (entryName.includes('\0') || entryName.includes('\\') || isAbsolute(entryName) || /^[a-zA-Z]:/.test(entryName))
    return undefined;
  const normalized = normalize(entryName);
  if (normalized === '..' || normalized.startsWith(`..${sep}`)) return undefined;
  const target = resolve(root, normalized);
  return target === root || target.startsWith(root + sep) ? target : undefined;
}

/**
 * Extracts a deployment package into `dir`. Rejects entries that would escape the directory
 * and packages whose unzipped size passes Lambda's limit before anything is written.
 */
export function extractZip(zip: Uint8Array, dir: string): { readonly size: number } {
  if (zip.length > MAX_ZIP_BYTES) {
    throw new LambdaError('RequestEntityTooLargeException', `Zipped size must be smaller than ${MAX_ZIP_BYTES} bytes`);
  }
  const root = resolve(dir);
  let unzippedBytes = 0;
  let badEntry: string | undefined;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (file) => {
        if (safeEntryPath(root, file.name) === undefined) badEntry ??= file.name;
        unzippedBytes += file.originalSize;
        return badEntry === undefined && unzippedBytes <= MAX_UNZIPPED_BYTES;
      },
    });
  } catch (error) {
    throw new LambdaError('InvalidParameterValueException', UNZIP_FAILED, { cause: error });
  }
  if (badEntry !== undefined) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `${UNZIP_FAILED} Entry '${badEntry}' points outside the code directory.`,
    );
  }
  if (unzippedBytes > MAX_UNZIPPED_BYTES) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`,
    );
  }
  mkdirSync(root, { recursive: true });
  for (const [name, content] of Object.entries(entries)) {
    const target = safeEntryPath(root, name);
    if (target === undefined) continue;
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
    } else {
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, content);
    }
  }
  return { size: zip.length };
}

/**
 * Size and a content fingerprint of a local code directory (code deployed in place, see
 * `LOCAL_CODE_BUCKET`). Fingerprints paths, sizes and modification times, skipping node_modules.
 */
export function describeDirectory(dir: string): { readonly size: number; readonly sha256: string } {
  const hash = createHash('sha256');
  let size = 0;
  let files = 0;
  const walk = (current: string, rel: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name === '.git' || files > 20_000) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path, `${rel}${entry.name}/`);
      else if (entry.isFile()) {
        const stat = statSync(path);
        files += 1;
        size += stat.size;
        hash.update(`${rel}${entry.name}\0${stat.size}\0${stat.mtimeMs}\n`);
      }
    }
  };
  walk(dir, '');
  return { size, sha256: hash.digest('base64') };
}
