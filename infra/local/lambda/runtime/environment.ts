import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineSplitter, type LogCapture } from './logs.ts';

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
}

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

interface Pending {
  readonly requestId: string;
  readonly started: number;
  result?: { ok: boolean; payload?: string; error?: LambdaErrorPayload; fatal?: boolean };
  logsEnded: boolean;
  readonly resolve: (outcome: InvokeOutcome) => void;
}

/** The standard environment of a Node.js function — and nothing from the server's own environment. */
export function functionEnvironment(
  spec: EnvironmentSpec,
  tmpDir: string,
  logStreamName: string,
): Record<string, string> {
  return {
    ...spec.variables,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    TMPDIR: tmpDir,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version ?? '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroupName ?? `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    LAMBDA_TASK_ROOT: spec.codeDir,
    LAMBDA_RUNTIME_DIR: join(BOOTSTRAP_PATH, '..'),
    _HANDLER: spec.handler,
    AWS_ENDPOINT_URL: spec.endpoint,
    AWS_ACCESS_KEY_ID: spec.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: spec.credentials.secretAccessKey,
    ...(spec.credentials.sessionToken ? { AWS_SESSION_TOKEN: spec.credentials.sessionToken } : {}),
  };
}

/** `2024/01/31/[$LATEST]0123…` (or `[1]` for version 1): Lambda's log stream name for an execution environment. */
function logStreamName(version = '$LATEST'): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'Runtime exited with error: signal: killed';
  if (signal === 'SIGABRT') return 'Runtime exited with error: signal: aborted (core dumped)';
  if (signal) return `Runtime exited with error: signal: ${signal}`;
  if (code === 0 || code === null) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: exit status ${code}`;
}

/**
 * One execution environment: a child process under Node's permission model running the bootstrap,
 * serving one invocation at a time.
 */
export class ExecutionEnvironment {
  readonly spec: EnvironmentSpec;
  readonly logStreamName: string;
  state: EnvironmentState = 'initializing';
  /** Peak resident memory of the process, as the bootstrap last reported it. */
  maxMemoryBytes = 0;
  lastUsed = Date.now();

  readonly #child: ChildProcess;
  readonly #tmpDir: string;
  readonly #nonce = randomBytes(12).toString('hex');
  readonly #onStrayLine: (line: string) => void;
  #capture: LogCapture | undefined;
  #pending: Pending | undefined;
  #heldEmptyLines = 0;
  #stderrTail = '';
  #closed = false;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly #closeWaiters: (() => void)[] = [];
  #killedForTimeout = false;

  constructor(spec: EnvironmentSpec, onStrayLine: (line: string) => void = () => {}) {
    this.spec = spec;
    this.logStreamName = logStreamName(spec.version);
    this.#onStrayLine = onStrayLine;
    this.#tmpDir = realpathSync(mkdtempSync(join(spec.tmpParent, 'tmp-')));
    const codeDir = realpathSync(spec.codeDir);
    const nodeModules = realpathSync(spec.nodeModules);
    const heapMb = Math.max(32, spec.memorySizeMb);
    this.#child = fork(BOOTSTRAP_PATH, [nodeModules], {
      execPath: process.execPath,
      execArgv: [
        '--permission',
        `--allow-fs-read=${BOOTSTRAP_PATH}`,
        `--allow-fs-read=${codeDir}`,
        `--allow-fs-read=${nodeModules}`,
        `--allow-fs-read=${this.#tmpDir}`,
        `--allow-fs-write=${this.#tmpDir}`,
        // sharp is a native (N-API) addon; no --allow-child-process, no --allow-worker.
        '--allow-addons',
        '--disable-warning=SecurityWarning',
        '--disable-warning=ExperimentalWarning',
        `--max-old-space-size=${heapMb}`,
      ],
      cwd: codeDir,
      env: functionEnvironment({ ...spec, codeDir }, this.#tmpDir, this.logStreamName),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const stdout = new LineSplitter((line) => this.#stdoutLine(line));
    const stderr = new LineSplitter((line) => this.#stderrLine(line));
    this.#child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-4096);
      stderr.push(chunk);
    });
    this.#child.stdout?.on('end', () => stdout.flush());
    this.#child.stderr?.on('end', () => stderr.flush());
    this.#child.on('message', (message) => this.#message(message as Record<string, unknown>));
    this.#child.on('exit', (code, signal) => {
      this.#exit = { code, signal };
    });
    this.#child.on('error', () => {
      // Reported through 'close'.
    });
    this.#child.on('close', (code, signal) => {
      this.#exit ??= { code, signal };
      this.#closed = true;
      this.state = 'dead';
      rmSync(this.#tmpDir, { recursive: true, force: true });
      this.#settleOnClose();
      for (const waiter of this.#closeWaiters.splice(0)) waiter();
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Runs the init phase (loading the handler module). Init logs go to `capture`. */
  init(requestId: string, capture: LogCapture): Promise<InitOutcome> {
    this.#capture = capture;
    const started = performance.now();
    return new Promise((resolve) => {
      let done = false;
      const finish = (outcome: InitOutcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        this.#closeWaiters.splice(this.#closeWaiters.indexOf(onClose) >>> 0, 1);
        resolve(outcome);
      };
      const onMessage = (raw: unknown) => {
        const message = raw as { type?: string; initDurationMs?: number; error?: LambdaErrorPayload };
        if (message.type === 'ready') {
          this.state = 'idle';
          finish({ ok: true, initDurationMs: performance.now() - started });
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
      this.#child.on('message', onMessage);
      this.#closeWaiters.push(onClose);
      if (this.#closed) onClose();
      else this.#send({ type: 'init', nonce: this.#nonce });
    });
  }

  /** Runs one invocation. Logs go to `capture`; the process is killed at the function's timeout. */
  invoke(request: {
    readonly requestId: string;
    readonly payload: string;
    readonly functionArn: string;
    readonly clientContext?: unknown;
    readonly capture: LogCapture;
  }): Promise<InvokeOutcome> {
    this.state = 'busy';
    this.#capture = request.capture;
    this.#killedForTimeout = false;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const started = performance.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#killedForTimeout = true;
        this.kill();
      }, timeoutMs);
      this.#pending = {
        requestId: request.requestId,
        started,
        logsEnded: false,
        resolve: (outcome) => {
          clearTimeout(timer);
          this.#pending = undefined;
          this.lastUsed = Date.now();
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
      });
    });
  }

  /** Ends the environment at once (SIGKILL). */
  kill(): void {
    if (!this.#closed && this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    if (this.state !== 'dead') this.state = 'dead';
  }

  /** Resolves once the process has exited and its output is read. */
  closed(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }

  #send(message: unknown): void {
    try {
      this.#child.send(message as object, (error) => {
        if (error) this.kill();
      });
    } catch {
      this.kill();
    }
  }

  #message(raw: Record<string, unknown>): void {
    const pending = this.#pending;
    if (raw.type !== 'result' || pending === undefined || raw.requestId !== pending.requestId) return;
    if (typeof raw.maxMemoryBytes === 'number') this.maxMemoryBytes = Math.max(this.maxMemoryBytes, raw.maxMemoryBytes);
    pending.result = {
      ok: raw.ok === true,
      payload: typeof raw.payload === 'string' ? raw.payload : undefined,
      error: raw.error as LambdaErrorPayload | undefined,
      fatal: raw.fatal === true,
    };
    if (pending.logsEnded) this.#complete(pending);
  }

  #complete(pending: Pending): void {
    const { result } = pending;
    if (result === undefined) return;
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
    if (pending.result !== undefined && !this.#killedForTimeout) {
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
    if (this.#killedForTimeout) {
      return {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
      };
    }
    const outOfMemory = /heap out of memory|Reached heap limit|Fatal process out of memory/i.test(this.#stderrTail);
    // Recorded: test/recordings/aws/lambda-invoke-runtime-exit.json
    return {
      errorType: outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: ${describeExit(code, signal)}`,
    };
  }

  #stdoutLine(line: string): void {
    if (line === '') {
      // Held back: the sentinel is preceded by a newline of its own.
      this.#heldEmptyLines += 1;
      return;
    }
    if (line.startsWith(`${this.#nonce}:end:`)) {
      if (this.#heldEmptyLines > 0) this.#heldEmptyLines -= 1;
      this.#flushEmptyLines();
      const requestId = line.slice(this.#nonce.length + 5);
      const pending = this.#pending;
      if (pending !== undefined && pending.requestId === requestId) {
        pending.logsEnded = true;
        this.#complete(pending);
      }
      return;
    }
    this.#flushEmptyLines();
    this.#logLine(line);
  }

  #flushEmptyLines(): void {
    for (; this.#heldEmptyLines > 0; this.#heldEmptyLines -= 1) this.#logLine('');
  }

  #stderrLine(line: string): void {
    this.#logLine(line);
  }

  #logLine(line: string): void {
    if (this.#capture !== undefined && (this.#pending !== undefined || this.state === 'initializing'))
      this.#capture.line(line);
    else this.#onStrayLine(line);
  }
}
