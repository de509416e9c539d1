import { createHash } from 'node:crypto';
import { type Dirent, mkdirSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
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
 * Native code: Node addons and shared libraries. The local runtime loads native addons only from
 * its runtime-provided modules (sharp), so a package carrying its own is refused by name.
 */
const NATIVE_CODE = /\.(node|so|dylib|dll)$|\.so\.\d+(\.\d+)*$/i;

/** What is wrong with one entry of a package, if anything. */
export function entryProblem(root: string, entryName: string): { readonly reason: 'outside' | 'native' } | undefined {
  if (safeEntryPath(root, entryName) === undefined) return { reason: 'outside' };
  if (!entryName.endsWith('/') && NATIVE_CODE.test(entryName)) return { reason: 'native' };
  return undefined;
}

/** One extraction, as handed to the worker (code-worker.ts). */
export interface ExtractRequest {
  readonly zip: Uint8Array;
  readonly dir: string;
  /** Bytes that may be written at most (the 250 MB limit or what the storage quota leaves). */
  readonly maxBytes: number;
}

export type ExtractResult =
  | { readonly ok: true; readonly written: number }
  | {
      readonly ok: false;
      readonly reason: 'outside' | 'native' | 'tooLarge' | 'corrupt';
      readonly entries?: readonly string[];
      readonly written?: number;
    };

export interface ExtractOptions {
  /** Unzipped bytes still free under the code storage quota. @default unlimited */
  readonly storageLeftBytes?: number;
  /** The quota itself, for the error message. */
  readonly storageQuotaBytes?: number;
}

function runWorker(request: ExtractRequest): Promise<ExtractResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./code-worker.ts', import.meta.url), { workerData: request });
    worker.once('message', (result: ExtractResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The unzip worker exited with ${code}`));
    });
  });
}

const listNatives = (names: readonly string[]) =>
  names.slice(0, 10).join(', ') + (names.length > 10 ? ` and ${names.length - 10} more` : '');

/**
 * Extracts a deployment package into `dir`, streamed and off the event loop (a worker thread).
 * Entries are checked by name first (from the central directory: nothing outside the directory,
 * no native code); then the real inflated bytes are counted against Lambda's 250 MB limit and the
 * local code storage quota, whatever the headers claim.
 */
export async function extractZip(
  zip: Uint8Array,
  dir: string,
  { storageLeftBytes = Number.POSITIVE_INFINITY, storageQuotaBytes }: ExtractOptions = {},
): Promise<{ readonly size: number; readonly unzippedBytes: number }> {
  if (zip.length > MAX_ZIP_BYTES) {
    throw new LambdaError('RequestEntityTooLargeException', `Zipped size must be smaller than ${MAX_ZIP_BYTES} bytes`);
  }
  const root = resolve(dir);
  const outside: string[] = [];
  const natives: string[] = [];
  // Loaded on first use: fflate's tables cost ~10 MiB of an idle cloud's memory.
  const { unzipSync } = await import('fflate');
  try {
    // Names only: the filter refuses every entry, so nothing is inflated here.
    unzipSync(zip, {
      filter: (file) => {
        const problem = entryProblem(root, file.name);
        if (problem?.reason === 'outside') outside.push(file.name);
        if (problem?.reason === 'native') natives.push(file.name);
        return false;
      },
    });
  } catch (error) {
    throw new LambdaError('InvalidParameterValueException', UNZIP_FAILED, { cause: error });
  }
  if (outside.length > 0) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `${UNZIP_FAILED} Entry '${outside[0]}' points outside the code directory.`,
    );
  }
  if (natives.length > 0) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `The local cloud does not run native code shipped in a deployment package: ${listNatives(natives)}. ` +
        'Native addons load only from the runtime-provided modules (sharp), as from a layer.',
    );
  }
  mkdirSync(root, { recursive: true });
  const maxBytes = Math.min(MAX_UNZIPPED_BYTES, storageLeftBytes);
  const result = await runWorker({ zip, dir: root, maxBytes });
  if (result.ok) return { size: zip.length, unzippedBytes: result.written };
  switch (result.reason) {
    case 'outside':
      throw new LambdaError(
        'InvalidParameterValueException',
        `${UNZIP_FAILED} Entry '${result.entries?.[0]}' points outside the code directory.`,
      );
    case 'native':
      throw new LambdaError(
        'InvalidParameterValueException',
        `The local cloud does not run native code shipped in a deployment package: ${listNatives(result.entries ?? [])}. ` +
          'Native addons load only from the runtime-provided modules (sharp), as from a layer.',
      );
    case 'tooLarge':
      if (maxBytes < MAX_UNZIPPED_BYTES) {
        throw new LambdaError(
          'CodeStorageExceededException',
          `Code storage limit exceeded. The local cloud keeps at most ${storageQuotaBytes ?? maxBytes} bytes of unzipped code ` +
            '(LOCAL_CLOUD_CODE_STORAGE_BYTES); delete functions or raise the limit.',
        );
      }
      throw new LambdaError(
        'InvalidParameterValueException',
        `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`,
      );
    default:
      throw new LambdaError('InvalidParameterValueException', UNZIP_FAILED);
  }
}

/** Bytes of the regular files under `dir` (what an extracted package takes on disk). */
export function directorySize(dir: string): number {
  let size = 0;
  const walk = (current: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) size += statSync(path).size;
    }
  };
  walk(dir);
  return size;
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
