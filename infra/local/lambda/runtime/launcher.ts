/**
 * Where execution environments' processes come from: a small launcher process (launcher.mjs),
 * started once, spawns them and hands their stdout, stderr and runtime channel (fd 3) to the
 * cloud. Spawning from the cloud itself would copy its page tables on every cold start (time that
 * grows with the S3 bytes and stream records it holds, with every other request waiting); the
 * launcher's stay small. Where the launcher cannot run, environments are spawned directly.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const LAUNCHER_PATH = fileURLToPath(new URL('./launcher.mjs', import.meta.url));

export interface LaunchRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Its own process group: a signal to "the group" from inside never reaches the cloud. */
  readonly detached: boolean;
}

/** A started environment process, as the cloud sees it. */
export interface RuntimeProcess {
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** fd 3: the runtime channel. */
  readonly channel: Duplex;
  /** Resolves once with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

export interface ProcessLauncher {
  launch(request: LaunchRequest): Promise<RuntimeProcess>;
  close(): void;
}

/** SIGKILLs the process group led by `pid` (a detached child and what it started); false when there is none. */
function killGroup(pid: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** Spawns from this process (the fallback, and Windows). */
export const directLauncher: ProcessLauncher = {
  launch(request) {
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      env: request.env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: request.detached,
      windowsHide: true,
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    if (child.pid === undefined) {
      return exited.then(() => Promise.reject(new Error(`Could not start ${request.command}`)));
    }
    return Promise.resolve({
      pid: child.pid,
      stdout: child.stdout as Readable,
      stderr: child.stderr as Readable,
      channel: child.stdio[3] as Duplex,
      exited,
      kill: (signal) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        // A detached child's whole process group (see launcher.mjs, signalChild).
        if (signal === 'SIGKILL' && request.detached && killGroup(child.pid as number)) return;
        child.kill(signal);
      },
    });
  },
  close() {},
};

interface Launching {
  readonly resolve: (process: RuntimeProcess) => void;
  readonly reject: (error: Error) => void;
  pid?: number;
  readonly sockets: (Socket | undefined)[];
  exit?: (outcome: { code: number | null; signal: NodeJS.Signals | null }) => void;
  ended: boolean;
}

/** The launcher process, started on first use (or by {@link warm}); one per environment pool. */
export class LauncherProcess implements ProcessLauncher {
  #child: ChildProcess | undefined;
  #nextId = 0;
  readonly #launching = new Map<number, Launching>();
  #closed = false;

  /** Starts the launcher ahead of the first cold start (a function was created). */
  warm(): void {
    this.#process();
  }

  #process(): ChildProcess {
    if (this.#child?.connected) return this.#child;
    const child = fork(LAUNCHER_PATH, [], {
      // Nothing of the cloud's own Node options (loaders, profilers, inspectors).
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    child.on('message', (message: LauncherMessage, handle?: unknown) => this.#message(message, handle));
    child.on('exit', () => {
      if (this.#child === child) this.#child = undefined;
      // Its environments go with it: walled ones die with their parent (bwrap --die-with-parent),
      // the others are stopped here (they are orphans now, still alive: their pids are theirs).
      for (const [id, launching] of this.#launching) {
        this.#launching.delete(id);
        if (launching.pid !== undefined && !killGroup(launching.pid)) {
          try {
            process.kill(launching.pid, 'SIGKILL');
          } catch {
            // Gone already.
          }
        }
        if (launching.exit) launching.exit({ code: null, signal: 'SIGKILL' });
        else launching.reject(new Error('The environment launcher exited'));
      }
    });
    child.on('error', () => {
      // Reported through 'exit'.
    });
    // The launcher never keeps the cloud running on its own (see #holdWhileRunning).
    child.unref();
    (child.channel as unknown as { unref(): void } | undefined)?.unref();
    this.#child = child;
    return child;
  }

  /**
   * The channel keeps the cloud's event loop alive while an environment it started has not
   * reported its exit: an environment's output can end before its exit message arrives, and a
   * cloud awaiting that exit (close()) must not see its event loop end first.
   */
  #holdWhileRunning(): void {
    const channel = this.#child?.channel as unknown as { ref(): void; unref(): void } | undefined;
    if (this.#launching.size > 0) channel?.ref();
    else channel?.unref();
  }

  launch(request: LaunchRequest): Promise<RuntimeProcess> {
    if (this.#closed) return Promise.reject(new Error('The environment launcher is closed'));
    const id = this.#nextId++;
    const child = this.#process();
    return new Promise((resolve, reject) => {
      this.#launching.set(id, { resolve, reject, sockets: [], ended: false });
      this.#holdWhileRunning();
      child.send({ type: 'spawn', id, ...request });
    });
  }

  #message(message: LauncherMessage, handle: unknown): void {
    const launching = this.#launching.get(message.id);
    if (launching === undefined) {
      if (handle instanceof Socket) handle.destroy();
      return;
    }
    switch (message.type) {
      case 'error':
        this.#launching.delete(message.id);
        this.#holdWhileRunning();
        launching.reject(new Error(message.message));
        return;
      case 'spawned':
        launching.pid = message.pid;
        return;
      case 'stdio':
        if (handle instanceof Socket) launching.sockets[message.fd - 1] = handle;
        if ([0, 1, 2].every((i) => launching.sockets[i] !== undefined)) this.#ready(message.id, launching);
        return;
      case 'exit':
        this.#launching.delete(message.id);
        this.#holdWhileRunning();
        launching.ended = true;
        launching.exit?.({ code: message.code, signal: message.signal });
        return;
    }
  }

  #ready(id: number, launching: Launching): void {
    const [stdout, stderr, channel] = launching.sockets as [Socket, Socket, Socket];
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      launching.exit = resolve;
    });
    const pid = launching.pid ?? -1;
    launching.resolve({
      pid,
      stdout,
      stderr,
      channel,
      exited,
      kill: (signal) => {
        if (!this.#launching.has(id)) return; // exited already: its pid may be another's now
        this.#child?.send({ type: 'kill', id, signal });
      },
    });
  }

  close(): void {
    this.#closed = true;
    const child = this.#child;
    this.#child = undefined;
    if (child?.connected) child.disconnect();
  }
}

type LauncherMessage =
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'stdio'; id: number; fd: 1 | 2 | 3 }
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'error'; id: number; message: string };
