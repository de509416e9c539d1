// Extracts one deployment package off the cloud's event loop (a worker thread, see code.ts). The
// package is inflated as a stream and every byte written is counted, so a zip whose headers lie
// about their sizes stops at the limit instead of being inflated whole.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { type ExtractRequest, type ExtractResult, entryProblem, safeEntryPath } from './code.ts';

const CHUNK = 64 * 1024;

function extract({ zip, dir, maxBytes }: ExtractRequest): ExtractResult {
  let written = 0;
  let failure: ExtractResult | undefined;
  let open: number | undefined;
  const closeOpen = () => {
    if (open !== undefined) closeSync(open);
    open = undefined;
  };
  const unzipper = new Unzip();
  unzipper.register(UnzipInflate);
  unzipper.register(UnzipPassThrough);
  unzipper.onfile = (file) => {
    if (failure !== undefined) return;
    const problem = entryProblem(dir, file.name);
    if (problem !== undefined) {
      failure = { ok: false, reason: problem.reason, entries: [file.name] };
      return;
    }
    const target = safeEntryPath(dir, file.name) as string;
    if (file.name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    closeOpen();
    const fd = openSync(target, 'w');
    open = fd;
    file.ondata = (error, chunk, final) => {
      if (failure !== undefined) return;
      if (error) {
        failure = { ok: false, reason: 'corrupt' };
        return;
      }
      written += chunk.length;
      if (written > maxBytes) {
        failure = { ok: false, reason: 'tooLarge', written };
        return;
      }
      writeSync(fd, chunk);
      if (final && open === fd) closeOpen();
    };
    file.start();
  };
  try {
    for (let offset = 0; offset < zip.length && failure === undefined; offset += CHUNK) {
      const end = Math.min(zip.length, offset + CHUNK);
      unzipper.push(zip.subarray(offset, end), end === zip.length);
    }
  } catch {
    failure ??= { ok: false, reason: 'corrupt' };
  } finally {
    closeOpen();
  }
  return failure ?? { ok: true, written };
}

const request = workerData as ExtractRequest;
parentPort?.postMessage(extract(request));
