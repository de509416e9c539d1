import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CognitoIdentityContext } from '../../edge/types.ts';
import { ChannelReader, channelLine } from './channel.ts';
import { codeListing, createCodeSlot, fillCodeSlot } from './code-slot.ts';
import { directLauncher, type ProcessLauncher, type RuntimeProcess } from './launcher.ts';
import { LineSplitter, type LogCapture } from './logs.ts';
import { descendant, HAS_PROC, ProcessMemoryReader } from './process-info.ts';
import { type Isolation, launchPlan, SANDBOX_ENDPOINT_SOCKET } from './sandbox.ts';
import { removeTmp, TmpStorageWatch } from './tmp-storage.ts';

/** The bootstrap every execution environment runs (plain JavaScript, see its header). */
export const BOOTSTRAP_PATH = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));

/** Everything an execution environment is built from. Environments are never changed, only replaced. */
export interface EnvironmentSpec {
  readonly functionName: string;
  /** Unqualified function ARN. */
  readonly functionArn: string;
  /** The version that runs: `$LATEST` or a published version's number. @default '$LATEST' */
  readonly version?: string;
  /** Directory holding the function's code (LAMBDA_TASK_ROOT). */
  readonly codeDir: string;
  readonly handler: string;
  readonly runtime: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** The function's `Environment.Variables`. */
  readonly variables: Readonly<Record<string, string>>;
  /** `LoggingConfig.LogGroup` (AWS_LAMBDA_LOG_GROUP_NAME). @default `/aws/lambda/<functionName>` */
  readonly logGroupName?: string;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  readonly region: string;
  /** The local cloud's URL, given to the function as `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** node_modules that provides the AWS SDK (and, for code inside the project, sharp). */
  readonly nodeModules: string;
  /** Parent directory of the environments' private `/tmp` directories. */
  readonly tmpParent: string;
  /** Changes whenever code or configuration changes; environments of an old revision are retired. */
  readonly revision: string;
  /** The wall (bubblewrap) or the seat belt alone (Node's permission model). */
  readonly isolation: Isolation;
  /** `EphemeralStorage.Size`: the size of /tmp (the wall's tmpfs; measured under the seat belt). @default 512 */
  readonly ephemeralStorageMb?: number;
  /** Wall only: the host Unix socket that reaches the endpoint (see forwarder.ts). */
  readonly endpointSocket?: string;
}

/**
 * What an environment's process is started with before it knows its function: a spare of the same
 * shape can serve any function of that shape (the heap limit and the wall's /tmp size are fixed
 * when the process starts).
 */
export interface RuntimeShape {
  readonly isolation: Isolation;
  readonly nodeModules: string;
  readonly tmpParent: string;
  readonly memorySizeMb: number;
  readonly ephemeralStorageMb: number;
  readonly endpointSocket?: string;
  /** The local cloud's URL (the wall serves it inside from the start, see bootstrap.mjs). */
  readonly endpoint: string;
}

export const shapeOf = (spec: EnvironmentSpec): RuntimeShape => ({
  isolation: spec.isolation,
  nodeModules: spec.nodeModules,
  tmpParent: spec.tmpParent,
  memorySizeMb: spec.memorySizeMb,
  ephemeralStorageMb: spec.ephemeralStorageMb ?? 512,
  endpointSocket: spec.endpointSocket,
  endpoint: spec.endpoint,
});

export const sameShape = (a: RuntimeShape, b: RuntimeShape): boolean =>
  a.isolation.mode === b.isolation.mode &&
  a.isolation.bwrap === b.isolation.bwrap &&
  a.nodeModules === b.nodeModules &&
  a.tmpParent === b.tmpParent &&
  a.memorySizeMb === b.memorySizeMb &&
  a.ephemeralStorageMb === b.ephemeralStorageMb &&
  a.endpointSocket === b.endpointSocket &&
  a.endpoint === b.endpoint;

/** An error in Lambda's payload shape. */
export interface LambdaErrorPayload {
  readonly errorType?: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export interface InitOutcome {
  readonly ok: boolean;
  readonly initDurationMs: number;
  readonly error?: LambdaErrorPayload;
}

export interface InvokeOutcome {
  /** JSON text of the handler's result, on success. */
  readonly payload?: string;
  readonly error?: LambdaErrorPayload;
  readonly timedOut: boolean;
  /** True when the environment cannot be reused (exit, crash, timeout). */
  readonly fatal: boolean;
  readonly durationMs: number;
}

export type EnvironmentState = 'initializing' | 'idle' | 'busy' | 'dead';

/** Lambda's init phase is limited to 10 seconds. */
const INIT_TIMEOUT_MS = 10_000;
/** How often a running environment's resident memory is checked against its MemorySize. */
const MEMORY_SAMPLE_MS = 20;
const MB = 1024 * 1024;

interface Pending {
  readonly requestId: string;
  readonly started: number;
  result?: { ok: boolean; payload?: string; error?: LambdaErrorPayload; fatal?: boolean };
  readonly resolve: (outcome: InvokeOutcome) => void;
}

/**
 * What the runtime process starts with: nothing of any function (no name, no credentials), so that
 * a spare started ahead of demand holds nothing until it is assigned.
 */
function launchEnvironment(tmpDir: string, taskRoot: string): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    TMPDIR: tmpDir,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: join(BOOTSTRAP_PATH, '..'),
  };
}

/**
 * The standard environment of a Node.js function — and nothing from the server's own environment.
 * Sent with the init message; the function's own variables are not part of it: they reach
 * `process.env` after the runtime has started (see {@link functionVariables}), so none of them
 * (NODE_OPTIONS, LD_PRELOAD …) can change how the runtime starts.
 */
export function runtimeEnvironment(
  spec: EnvironmentSpec,
  tmpDir: string,
  logStreamName: string,
  taskRoot: string,
): Record<string, string> {
  return {
    ...launchEnvironment(tmpDir, taskRoot),
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version ?? '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroupName ?? `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    _HANDLER: spec.handler,
    AWS_ENDPOINT_URL: spec.endpoint,
    AWS_ACCESS_KEY_ID: spec.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: spec.credentials.secretAccessKey,
    ...(spec.credentials.sessionToken ? { AWS_SESSION_TOKEN: spec.credentials.sessionToken } : {}),
  };
}

/** The function's variables the bootstrap puts into `process.env` before loading the handler (the runtime's own win). */
export function functionVariables(
  spec: EnvironmentSpec,
  runtime: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(spec.variables).filter(([key]) => !(key in runtime)));
}

/** `2024/01/31/[$LATEST]0123…` (or `[1]` for version 1): Lambda's log stream name for an execution environment. */
function logStreamName(version = '$LATEST'): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** bubblewrap reports a runtime killed by signal N as exit status 128 + N. */
function signalOf(code: number | null): NodeJS.Signals | null {
  if (code === null || code <= 128) return null;
  const entry = Object.entries(constants.signals).find(([, number]) => number === code - 128);
  return (entry?.[0] as NodeJS.Signals | undefined) ?? null;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'Runtime exited with error: signal: killed';
  if (signal === 'SIGABRT') return 'Runtime exited with error: signal: aborted (core dumped)';
  if (signal) return `Runtime exited with error: signal: ${signal}`;
  if (code === 0 || code === null) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: exit status ${code}`;
}

/**
 * One execution environment: a child process running the bootstrap under Node's permission model,
 * inside the wall where there is one, serving one invocation at a time and frozen (SIGSTOP)
 * between invocations, as Lambda freezes its environments.
 */
export class ExecutionEnvironment {
  /** The function it serves: set once, at start or when a spare is assigned, never changed. */
  #spec: EnvironmentSpec | undefined;
  /** `2024/01/31/[$LATEST]0123…`: set when it gets its function. */
  logStreamName = '';
  state: EnvironmentState = 'initializing';
  /** Peak resident memory of the runtime process (measured from outside where the OS allows). */
  maxMemoryBytes = 0;
  lastUsed = Date.now();
  /** True while the process is stopped between invocations. */
  frozen = false;
  /** How many times it was stopped between invocations (none between one and a queued next). */
  freezes = 0;

  readonly shape: RuntimeShape;
  /**
   * The host folder holding the code: the function's own code folder, or a spare's code slot. It
   * is LAMBDA_TASK_ROOT under the seat belt; inside the wall it is bound read-only at /var/task.
   */
  readonly taskRoot: string;
  /** LAMBDA_TASK_ROOT as the runtime sees it. */
  readonly #runtimeTaskRoot: string;
  /** True for a spare: its task root is a slot of its own, filled when it is assigned. */
  readonly #ownsTaskRoot: boolean;
  #process: RuntimeProcess | undefined;
  /** Messages written before the process was started. */
  readonly #outbox: unknown[] = [];
  #killRequested = false;
  readonly #reader: ChannelReader;
  readonly #runtimeDepth: number;
  readonly #tmpDir: string;
  readonly #hostTmpDir: string | undefined;
  /** Seat belt only: measures the host folder that is /tmp against EphemeralStorage. */
  readonly #tmpWatch: TmpStorageWatch | undefined;
  /** What /tmp held when the environment was stopped for exceeding EphemeralStorage. */
  #tmpExceededBytes: number | undefined;
  #tmpRemoved: Promise<void> = Promise.resolve();
  #onStrayLine: (line: string) => void = () => {};
  readonly #messageListeners = new Set<(message: Record<string, unknown>) => void>();
  #runtimePid: number | undefined;
  #memoryReader: ProcessMemoryReader | undefined;
  /** Samples memory every MEMORY_SAMPLE_MS while {@link #sampling}: one timer, re-armed, per environment. */
  #memoryTimer: NodeJS.Timeout | undefined;
  #sampling = false;
  /** Ends an invocation at the function's timeout: one timer, re-armed for each invocation. */
  #timeoutTimer: NodeJS.Timeout | undefined;
  #capture: LogCapture | undefined;
  #pending: Pending | undefined;
  readonly #stdout = new LineSplitter((line) => this.#logLine(line));
  #stderrTail = '';
  #closed = false;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly #closeWaiters: (() => void)[] = [];
  #killedForTimeout = false;
  #killedForMemory = false;
  #violation: string | undefined;
  #initMessage: Record<string, unknown> | undefined;
  /** A spare being assigned (its slot being filled): it is taken. */
  #assigning = false;
  /** The process has exited (its output may still be being read). */
  #exited = false;
  /** SIGKILL was sent to it. */
  #killed = false;
  /** Its stdout and stderr have closed (all of its output is read). */
  readonly #outputClosed = { stdout: false, stderr: false };
  /** The runtime has started (its bootstrap loaded and listening on its channel). */
  #runtimeStarted = false;
  /** Inside the wall: the endpoint is served in its network namespace (see bootstrap.mjs). */
  #endpointServed: boolean;

  /** Starts an environment for `spec` (its process starts at once and learns its function with the init message). */
  constructor(spec: EnvironmentSpec, onStrayLine?: (line: string) => void, launcher?: ProcessLauncher);
  /** Starts a spare of `shape`: the runtime, ready for any function of that shape, holding none. */
  constructor(spare: { readonly spare: RuntimeShape }, onStrayLine?: undefined, launcher?: ProcessLauncher);
  constructor(
    target: EnvironmentSpec | { readonly spare: RuntimeShape },
    onStrayLine: ((line: string) => void) | undefined = undefined,
    launcher: ProcessLauncher = directLauncher,
  ) {
    const spec = 'spare' in target ? undefined : target;
    const shape = 'spare' in target ? target.spare : shapeOf(target);
    this.shape = shape;
    this.#ownsTaskRoot = spec === undefined;
    this.taskRoot = spec === undefined ? createCodeSlot(shape.tmpParent) : realpathSync(spec.codeDir);
    const walled = shape.isolation.mode === 'bwrap';
    this.#hostTmpDir = walled ? undefined : realpathSync(mkdtempSync(join(shape.tmpParent, 'tmp-')));
    const tmpBytes = shape.ephemeralStorageMb * MB;
    this.#tmpWatch =
      this.#hostTmpDir === undefined
        ? undefined
        : new TmpStorageWatch(
            this.#hostTmpDir,
            tmpBytes,
            () => this.#runtimeProcess(),
            (used) => {
              this.#tmpExceededBytes = used;
              this.kill();
            },
          );
    const nodeModules = realpathSync(shape.nodeModules);
    const plan = launchPlan({
      isolation: shape.isolation,
      bootstrap: BOOTSTRAP_PATH,
      codeDir: this.taskRoot,
      nodeModules,
      hostTmpDir: this.#hostTmpDir,
      tmpBytes,
      // Most of MemorySize for V8's heap; what is enforced is the whole process's resident memory.
      heapMb: Math.max(32, Math.floor(shape.memorySizeMb * 0.9)),
      endpointSocket: shape.endpointSocket,
      runtimeDir: shape.tmpParent,
    });
    this.#runtimeDepth = plan.runtimeDepth;
    this.#tmpDir = plan.tmpDir;
    this.#runtimeTaskRoot = plan.taskRoot;
    this.#reader = new ChannelReader({
      onMessage: (message) => this.#message(message),
      onViolation: (reason) => {
        this.#violation = reason;
        this.kill();
      },
    });
    // Inside the wall the endpoint is served from the start (listening in a new network namespace
    // takes tens of ms): ahead of demand for a spare, off the function's Init Duration.
    this.#endpointServed = !(walled && shape.endpointSocket !== undefined);
    if (!this.#endpointServed) this.#send({ type: 'endpoint', url: shape.endpoint, socket: SANDBOX_ENDPOINT_SOCKET });
    if (spec !== undefined) this.#assign(spec, onStrayLine);
    launcher
      .launch({
        command: plan.command,
        args: plan.args,
        cwd: this.taskRoot,
        env: launchEnvironment(plan.tmpDir, plan.taskRoot),
        detached: process.platform !== 'win32',
      })
      .then(
        (started) => this.#attach(started, walled),
        () => this.#onClose({ code: null, signal: null }),
      );
  }

  /** The function it serves. */
  get spec(): EnvironmentSpec {
    if (this.#spec === undefined) throw new Error('A spare execution environment serves no function yet');
    return this.#spec;
  }

  /** A spare not yet assigned to a function. */
  get unassigned(): boolean {
    return this.#spec === undefined && !this.#assigning;
  }

  /**
   * Its runtime is up (and, inside the wall, serving the endpoint): a spare that is ready when a
   * cold start takes it adds nothing but the function's own init.
   */
  get ready(): boolean {
    return this.#runtimeStarted && this.#endpointServed && this.alive;
  }

  /** Neither stopped nor exited (nor asked to stop). */
  get alive(): boolean {
    return !this.#closed && !this.#exited && !this.#killRequested && this.state !== 'dead';
  }

  #assign(spec: EnvironmentSpec, onStrayLine: ((line: string) => void) | undefined): void {
    this.#spec = spec;
    this.logStreamName = logStreamName(spec.version);
    if (onStrayLine !== undefined) this.#onStrayLine = onStrayLine;
    const environment = runtimeEnvironment(spec, this.#tmpDir, this.logStreamName, this.#runtimeTaskRoot);
    this.#initMessage = {
      type: 'init',
      environment,
      variables: functionVariables(spec, environment),
    };
  }

  /**
   * Gives a spare its function, once: its code slot is filled with the function's code, and the
   * init message (sent by {@link init}) carries its environment and credentials. False, the spare
   * untouched, when the function is not of its shape or its code cannot go in a slot (links,
   * too many files); false, the spare stopped, when it is gone or its slot could not be filled. A
   * spare handed a function never serves another.
   */
  async assign(spec: EnvironmentSpec, onStrayLine?: (line: string) => void): Promise<boolean> {
    if (!this.#ownsTaskRoot || !this.unassigned) throw new Error('This execution environment has its function already');
    if (!this.alive || !sameShape(this.shape, shapeOf(spec))) return false;
    const listing = await codeListing(realpathSync(spec.codeDir));
    if (listing === undefined || !this.alive || !this.unassigned) return false;
    this.#assigning = true;
    const filled = await fillCodeSlot(realpathSync(spec.codeDir), listing, this.taskRoot);
    if (!filled) {
      // Partly filled: no other function may get this one.
      this.kill();
      return false;
    }
    this.#assign(spec, onStrayLine);
    return this.alive;
  }

  /** Wires a started process: its channel, its output, its end. */
  #attach(started: RuntimeProcess, walled: boolean): void {
    this.#process = started;
    started.exited.then(() => {
      this.#exited = true;
      // Killed while bubblewrap was still building the wall, the runtime can outlive it
      // (--die-with-parent not yet in force): it ends when its channel does, and its output with it.
      if (this.#killed) channel.destroy();
    });
    const channel = started.channel;
    channel.on('data', (chunk: Buffer) => this.#reader.push(chunk));
    channel.on('error', () => this.kill());
    const stdout = this.#stdout;
    const stderr = new LineSplitter((line) => this.#logLine(line));
    started.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    started.stderr.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-4096);
      stderr.push(chunk);
    });
    // Closed once it has exited and its output is read (as ChildProcess 'close').
    const outputRead = (stream: Readable, splitter: LineSplitter, name: 'stdout' | 'stderr') =>
      new Promise<void>((resolve) => {
        stream.on('end', () => splitter.flush());
        stream.on('error', () => undefined);
        stream.once('close', () => {
          this.#outputClosed[name] = true;
          resolve();
        });
      });
    Promise.all([
      started.exited,
      outputRead(started.stdout, stdout, 'stdout'),
      outputRead(started.stderr, stderr, 'stderr'),
    ]).then(([{ code, signal }]) => this.#onClose({ code, signal: signal ?? (walled ? signalOf(code) : null) }));
    if (this.#killRequested) {
      this.kill();
      return;
    }
    for (const message of this.#outbox.splice(0)) this.#send(message);
  }

  #onClose(exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.#closed) return;
    this.#exit ??= exit;
    this.#closed = true;
    this.state = 'dead';
    this.#stopSampling();
    clearTimeout(this.#memoryTimer);
    clearTimeout(this.#timeoutTimer);
    this.#memoryReader?.close();
    this.#process?.channel.destroy();
    // Off the event loop: a /tmp of many files takes a while to delete.
    // A spare's code slot holds links to (or copies of) its function's code: removed with it.
    this.#tmpRemoved = Promise.all(
      [this.#hostTmpDir, this.#ownsTaskRoot ? this.taskRoot : undefined].map((dir) =>
        dir === undefined ? undefined : removeTmp(dir),
      ),
    ).then(() => undefined);
    this.#settleOnClose();
    for (const waiter of this.#closeWaiters.splice(0)) waiter();
  }
  /** The host pid of the Node.js runtime (inside the wall: bwrap's grandchild). */
  get pid(): number | undefined {
    return this.#runtimeProcess();
  }

  #runtimeProcess(): number | undefined {
    if (this.#runtimePid !== undefined) return this.#runtimePid;
    const pid = this.#process?.pid;
    if (pid === undefined) return undefined;
    this.#runtimePid = this.#runtimeDepth === 0 ? pid : descendant(pid, this.#runtimeDepth);
    return this.#runtimePid;
  }

  /** Samples the runtime's resident memory; over MemorySize, the environment is stopped (Runtime.OutOfMemory). */
  #sampleMemory(): void {
    if (this.#memoryReader === undefined) {
      const pid = this.#runtimeProcess();
      if (pid === undefined || this.#closed) return;
      this.#memoryReader = new ProcessMemoryReader(pid);
    }
    const memory = this.#memoryReader.read();
    if (memory === undefined) return;
    this.maxMemoryBytes = Math.max(this.maxMemoryBytes, memory.peakBytes);
    if (memory.peakBytes > this.shape.memorySizeMb * MB && !this.#killedForMemory && !this.#closed) {
      this.#killedForMemory = true;
      this.kill();
    }
  }

  /** VmHWM is a high-water mark: the sample taken with the result sees the whole invocation's peak. */
  #startSampling(): void {
    this.#stopSampling();
    this.#sampling = true;
    // Re-armed rather than created anew: most invocations end before it ever fires.
    if (this.#memoryTimer === undefined) {
      this.#memoryTimer = setTimeout(() => {
        if (!this.#sampling) return;
        this.#sampleMemory();
        this.#memoryTimer?.refresh();
      }, MEMORY_SAMPLE_MS);
      this.#memoryTimer.unref();
    } else this.#memoryTimer.refresh();
    this.#tmpWatch?.start();
  }

  /** Sampling stops; its timer, left armed, does nothing when it fires. */
  #stopSampling(): void {
    this.#sampling = false;
    this.#tmpWatch?.stop();
  }

  /** Seat belt: whether /tmp is within EphemeralStorage now (over it, the environment is being stopped). */
  #tmpWithinLimit(): Promise<boolean> {
    return this.#tmpWatch?.check() ?? Promise.resolve(true);
  }

  #signalRuntime(signal: NodeJS.Signals): void {
    const pid = this.#runtimeProcess();
    if (pid === undefined || this.#closed) return;
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Stops the runtime between invocations: code left running after the handler returned burns no CPU. */
  freeze(): void {
    if (this.#closed || this.frozen || process.platform === 'win32') return;
    this.#signalRuntime('SIGSTOP');
    this.frozen = true;
    this.freezes += 1;
  }

  /** Resumes a frozen runtime (before its next invocation). */
  thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    this.#signalRuntime('SIGCONT');
  }

  /** Runs the init phase (loading the handler module). Init logs go to `capture`. */
  init(requestId: string, capture: LogCapture): Promise<InitOutcome> {
    this.#capture = capture;
    const started = performance.now();
    this.#startSampling();
    return new Promise((resolve) => {
      let done = false;
      const finish = (outcome: InitOutcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#stopSampling();
        this.#messageListeners.delete(onMessage);
        this.#closeWaiters.splice(this.#closeWaiters.indexOf(onClose) >>> 0, 1);
        resolve(outcome);
      };
      const onMessage = (raw: Record<string, unknown>) => {
        const message = raw as { type?: string; initDurationMs?: number; error?: LambdaErrorPayload };
        if (message.type === 'ready') {
          const initDurationMs = performance.now() - started;
          // Over EphemeralStorage, the environment is stopped and the init ends through onClose.
          this.#tmpWithinLimit().then((ok) => {
            if (!ok) return;
            // After the init's last log lines are read (see #message).
            setImmediate(() => {
              if (this.state === 'initializing') this.state = 'idle';
              finish({ ok: true, initDurationMs });
            });
          });
        } else if (message.type === 'initError') {
          const error = message.error ?? { errorType: 'Runtime.Unknown', errorMessage: 'Init failed' };
          // Lambda starts a fresh runtime after a failed init; this one is done.
          this.kill();
          finish({ ok: false, initDurationMs: performance.now() - started, error });
        }
      };
      const onClose = () => {
        finish({
          ok: false,
          initDurationMs: performance.now() - started,
          error: this.#exitError(requestId),
        });
      };
      const timer = setTimeout(() => {
        this.#killedForTimeout = true;
        this.kill();
      }, INIT_TIMEOUT_MS);
      this.#messageListeners.add(onMessage);
      this.#closeWaiters.push(onClose);
      if (this.#closed) onClose();
      else if (this.#initMessage === undefined)
        throw new Error('A spare execution environment has no function to init');
      else this.#send(this.#initMessage);
    });
  }

  /** Runs one invocation. Logs go to `capture`; the process is killed at the function's timeout. */
  invoke(request: {
    readonly requestId: string;
    readonly payload: string;
    readonly functionArn: string;
    readonly clientContext?: unknown;
    readonly identity?: CognitoIdentityContext;
    /** X-Ray trace header of the invocation (`_X_AMZN_TRACE_ID`). */
    readonly traceId?: string;
    readonly capture: LogCapture;
  }): Promise<InvokeOutcome> {
    this.state = 'busy';
    this.#capture = request.capture;
    this.#killedForTimeout = false;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const started = performance.now();
    this.#startSampling();
    return new Promise((resolve) => {
      // Re-armed for each invocation; left armed after one, it does nothing when it fires.
      if (this.#timeoutTimer === undefined) {
        this.#timeoutTimer = setTimeout(() => {
          if (this.#pending === undefined || this.#closed) return;
          this.#killedForTimeout = true;
          this.kill();
        }, timeoutMs);
      } else this.#timeoutTimer.refresh().ref();
      this.#pending = {
        requestId: request.requestId,
        started,
        resolve: (outcome) => {
          // Armed still, it must not keep the process alive.
          this.#timeoutTimer?.unref();
          this.#stopSampling();
          this.#pending = undefined;
          this.lastUsed = Date.now();
          // Frozen by the pool once released, unless an invocation is already waiting for it.
          if (this.state !== 'dead') this.state = outcome.fatal ? 'dead' : 'idle';
          resolve(outcome);
        },
      };
      if (this.#closed) {
        this.#settleOnClose();
        return;
      }
      this.#send({
        type: 'invoke',
        requestId: request.requestId,
        payload: request.payload,
        deadline: Date.now() + timeoutMs,
        functionArn: request.functionArn,
        clientContext: request.clientContext,
        identity: request.identity,
        traceId: request.traceId,
      });
      // Thawed after the message is in its channel: it wakes once, with its work waiting.
      this.thaw();
    });
  }

  /** Ends the environment at once (SIGKILL). */
  kill(): void {
    if (this.#process === undefined) this.#killRequested = true;
    else if (!this.#closed && this.#exit === undefined) {
      // The runtime itself first (the outer bwrap takes its namespace down with it).
      this.#killed = true;
      if (this.#runtimeDepth > 0) this.#signalRuntime('SIGKILL');
      this.#process.kill('SIGKILL');
    }
    if (this.state !== 'dead') this.state = 'dead';
  }

  /** Why the environment was stopped for misusing its runtime channel, if it was. */
  get violation(): string | undefined {
    return this.#violation;
  }

  /**
   * What an environment that has not closed yet still waits for, in words (for a shutdown that
   * takes long): e.g. "pid 4242, thumbnails, killed: process not exited, stdout open".
   */
  get closingState(): string {
    const waits: string[] = [];
    if (this.#process === undefined) waits.push('not started by the launcher yet');
    else {
      if (!this.#exited) waits.push('process not exited');
      if (!this.#outputClosed.stdout) waits.push('stdout open');
      if (!this.#outputClosed.stderr) waits.push('stderr open');
    }
    const serving = this.#spec?.functionName ?? 'spare';
    return `pid ${this.#process?.pid ?? '?'}, ${serving}, ${this.#killed ? 'killed' : this.state}: ${waits.join(', ') || 'closing'}`;
  }

  /** Resolves once the process has exited, its output is read and its /tmp deleted. */
  async closed(): Promise<void> {
    if (!this.#closed) await new Promise<void>((resolve) => this.#closeWaiters.push(resolve));
    await this.#tmpRemoved;
  }

  #send(message: unknown): void {
    if (this.#closed) return;
    const channel = this.#process?.channel;
    if (channel === undefined) {
      this.#outbox.push(message);
      return;
    }
    if (channel.destroyed) return;
    channel.write(channelLine(message), (error) => {
      if (error) this.kill();
    });
  }

  #message(raw: Record<string, unknown>): void {
    if (raw.type === 'started') this.#runtimeStarted = true;
    else if (raw.type === 'endpointServed') this.#endpointServed = true;
    if (this.#messageListeners.size > 0) for (const listener of [...this.#messageListeners]) listener(raw);
    const pending = this.#pending;
    if (raw.type !== 'result' || pending === undefined || raw.requestId !== pending.requestId) return;
    // The runtime's own figure only where the OS cannot be asked (it runs the handler's code).
    if (!HAS_PROC && typeof raw.maxMemoryBytes === 'number')
      this.maxMemoryBytes = Math.max(this.maxMemoryBytes, raw.maxMemoryBytes);
    else this.#sampleMemory();
    pending.result = {
      ok: raw.ok === true,
      payload: typeof raw.payload === 'string' ? raw.payload : undefined,
      error: raw.error as LambdaErrorPayload | undefined,
      fatal: raw.fatal === true,
    };
    // The runtime writes its logs blocking, before the result: they are in the stdout pipe already.
    // The event loop reads every ready descriptor (level-triggered) before it runs immediates, so
    // by then every line of the invocation has been read. Under the seat belt, /tmp is measured
    // once more first: an invocation that leaves it over EphemeralStorage fails (see #settleOnClose).
    if (this.#tmpWatch === undefined) setImmediate(() => this.#complete(pending));
    else
      this.#tmpWithinLimit().then((ok) => {
        if (ok) setImmediate(() => this.#complete(pending));
      });
  }

  #complete(pending: Pending): void {
    const { result } = pending;
    if (result === undefined || this.#pending !== pending) return;
    // Output that did not end with a newline belongs to this invocation too.
    this.#stdout.flush();
    pending.resolve({
      payload: result.ok ? result.payload : undefined,
      error: result.ok ? undefined : result.error,
      timedOut: false,
      fatal: result.fatal === true,
      durationMs: performance.now() - pending.started,
    });
  }

  #settleOnClose(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    if (pending.result !== undefined && !this.#killedForTimeout && this.#tmpExceededBytes === undefined) {
      pending.resolve({
        payload: pending.result.ok ? pending.result.payload : undefined,
        error: pending.result.ok ? undefined : pending.result.error,
        timedOut: false,
        fatal: true,
        durationMs: performance.now() - pending.started,
      });
      return;
    }
    const durationMs = performance.now() - pending.started;
    if (this.#killedForTimeout) {
      pending.resolve({
        // Recorded: test/recordings/aws/lambda-invoke-timeout.json
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${pending.requestId} Error: Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`,
        },
        timedOut: true,
        fatal: true,
        durationMs,
      });
      return;
    }
    pending.resolve({ error: this.#exitError(pending.requestId), timedOut: false, fatal: true, durationMs });
  }

  /** Runtime.ExitError / Runtime.OutOfMemory for a process that ended without answering. */
  #exitError(requestId: string): LambdaErrorPayload {
    const { code, signal } = this.#exit ?? { code: null, signal: null };
    if (this.#violation !== undefined) {
      this.#capture?.line(
        `[local cloud] The execution environment wrote ${this.#violation} on its runtime channel (fd 3) and was stopped.`,
      );
    }
    if (this.#tmpExceededBytes !== undefined) {
      // On AWS /tmp is a file system of EphemeralStorage's size: the write that does not fit fails
      // with ENOSPC. A folder of the host's disk cannot fail it; the environment is stopped instead.
      const limitMb = this.shape.ephemeralStorageMb;
      const message = `/tmp held ${Math.ceil(this.#tmpExceededBytes / MB)} MB, more than the function's ephemeral storage (EphemeralStorage: ${limitMb} MB), and the execution environment was stopped. On AWS the write that does not fit fails with ENOSPC; without the bubblewrap wall the local cloud cannot fail the write, so it ends the environment.`;
      this.#capture?.line(`[local cloud] ${message}`);
      return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${message}` };
    }
    if (this.#killedForTimeout) {
      return {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
      };
    }
    const outOfMemory =
      this.#killedForMemory ||
      /heap out of memory|Reached heap limit|Fatal process out of memory/i.test(this.#stderrTail);
    // Recorded: test/recordings/aws/lambda-invoke-runtime-exit.json. Over MemorySize, Lambda's
    // sandbox is killed: Runtime.OutOfMemory, "Runtime exited with error: signal: killed".
    return {
      errorType: outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: ${describeExit(code, signal)}`,
    };
  }

  #logLine(line: string): void {
    if (this.#capture !== undefined && (this.#pending !== undefined || this.state === 'initializing'))
      this.#capture.line(line);
    else this.#onStrayLine(line);
  }
}
