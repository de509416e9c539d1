/**
 * What the local cloud learns about an execution environment's process from the operating system
 * rather than from the process itself (handler code runs there and could lie): its memory and,
 * under bubblewrap, which host process is the Node.js runtime. Linux reads /proc; elsewhere these
 * answer undefined and the runtime's own report is used.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** Whether the OS tells the cloud about its environments' processes (Linux /proc). */
export const HAS_PROC = process.platform === 'linux';

export interface ProcessMemory {
  /** Resident set size now (heap, Buffers, WebAssembly memory, native allocations: everything). */
  readonly rssBytes: number;
  /** Peak resident set size since the process started (VmHWM). */
  readonly peakBytes: number;
}

const VM_RSS = /^VmRSS:\s+(\d+) kB/m;
const VM_HWM = /^VmHWM:\s+(\d+) kB/m;

function parseStatus(status: string): ProcessMemory | undefined {
  const kb = (pattern: RegExp) => {
    const match = pattern.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rssBytes = kb(VM_RSS);
  if (rssBytes === undefined) return undefined;
  return { rssBytes, peakBytes: Math.max(rssBytes, kb(VM_HWM) ?? 0) };
}

/** Resident memory of a process from /proc/<pid>/status, or undefined when unknown or gone. */
export function processMemory(pid: number): ProcessMemory | undefined {
  if (!HAS_PROC) return undefined;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined;
  }
  return parseStatus(status);
}

const VM_RSS_FIELD = Buffer.from('\nVmRSS:');
const VM_HWM_FIELD = Buffer.from('\nVmHWM:');

/** `<field> <spaces> <digits> kB` read straight from the status bytes, in bytes (no string made). */
function kilobytesField(status: Buffer, length: number, field: Buffer): number | undefined {
  const at = status.indexOf(field);
  if (at === -1 || at + field.length >= length) return undefined;
  let index = at + field.length;
  while (index < length && (status[index] === 0x20 || status[index] === 0x09)) index += 1;
  let kb = 0;
  let digits = 0;
  for (; index < length && status[index]! >= 0x30 && status[index]! <= 0x39; index += 1, digits += 1)
    kb = kb * 10 + status[index]! - 0x30;
  return digits === 0 ? undefined : kb * 1024;
}

/** /proc/<pid>/status is a few KB; a read at offset 0 renders it anew. */
const STATUS_BYTES = 16 * 1024;

/**
 * The memory of one process, read again and again (at the end of every invocation and every
 * 20 ms during one): its /proc status file stays open, so each reading is one pread rather than
 * open + fstat + two reads + close. The descriptor names that process, not its pid: once it has
 * exited the read fails (ESRCH) and a later process given the same pid is never read instead.
 */
export class ProcessMemoryReader {
  readonly #pid: number;
  #fd: number | undefined;
  #buffer: Buffer | undefined;
  #closed = false;

  constructor(pid: number) {
    this.#pid = pid;
  }

  read(): ProcessMemory | undefined {
    if (!HAS_PROC || this.#closed) return undefined;
    try {
      this.#fd ??= openSync(`/proc/${this.#pid}/status`, 'r');
      this.#buffer ??= Buffer.allocUnsafe(STATUS_BYTES);
      const length = readSync(this.#fd, this.#buffer, 0, STATUS_BYTES, 0);
      const rssBytes = kilobytesField(this.#buffer, length, VM_RSS_FIELD);
      if (rssBytes === undefined) return undefined;
      return { rssBytes, peakBytes: Math.max(rssBytes, kilobytesField(this.#buffer, length, VM_HWM_FIELD) ?? 0) };
    } catch {
      this.close();
      return undefined;
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * The descendant of `pid` exactly `depth` generations down (bubblewrap → its PID-namespace init →
 * node is depth 2), or undefined while the tree is still being built or without /proc.
 */
export function descendant(pid: number, depth: number): number | undefined {
  if (!HAS_PROC) return undefined;
  let current = pid;
  for (let level = 0; level < depth; level += 1) {
    const next = children(current)[0];
    if (next === undefined) return undefined;
    current = next;
  }
  return current;
}
