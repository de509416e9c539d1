import type { CognitoIdentityContext } from '../../edge/types.ts';
import {
  type EnvironmentSpec,
  ExecutionEnvironment,
  type LambdaErrorPayload,
  type RuntimeShape,
  sameShape,
  shapeOf,
} from './environment.ts';
import { directLauncher, LauncherProcess, type ProcessLauncher } from './launcher.ts';
import { LogCapture, reportLine } from './logs.ts';

export interface InvocationRequest {
  readonly requestId: string;
  /** The event as JSON text (`''` stands for `{}`). */
  readonly payload: string;
  /** ARN the caller used (qualified or not), given to the handler as `context.invokedFunctionArn`. */
  readonly invokedFunctionArn: string;
  readonly clientContext?: unknown;
  /** `context.identity`: the invoking Cognito identity, if any. */
  readonly identity?: CognitoIdentityContext;
  /** X-Ray trace header given to the handler as `_X_AMZN_TRACE_ID`. */
  readonly traceId?: string;
  /** Called once an environment is assigned: `cold` when it had to be started for this invocation. */
  readonly onStart?: (info: { readonly cold: boolean }) => void;
  /** Each log line of the invocation, within the streaming budget, with the environment's log stream. */
  readonly onLine?: (line: string, logStreamName: string) => void;
}

export interface InvocationResult {
  readonly requestId: string;
  /** JSON text returned by the handler (success only). */
  readonly payload?: string;
  /** Lambda's error payload (function error: `X-Amz-Function-Error: Unhandled`). */
  readonly error?: LambdaErrorPayload;
  readonly cold: boolean;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly maxMemoryUsedMb: number;
  readonly initDurationMs?: number;
  /** The last 4 KB of the invocation's log, for `LogType: Tail`. */
  readonly logTail: string;
  readonly droppedLogLines: number;
}

export interface EnvironmentPoolOptions {
  /** Idle environments are stopped after this long. @default 300000 (5 minutes) */
  readonly idleTimeoutMs?: number;
  /** Environments per function at most; further invocations wait for one. @default 10 */
  readonly maxConcurrency?: number;
  /**
   * Invocations in flight across the account (AWS's concurrent executions quota, 1000 by
   * default); one more is throttled with {@link ThrottledError}. @default 1000
   */
  readonly accountConcurrency?: number;
  /**
   * Live execution environments across all functions (each is a process of ~50 MB or more):
   * at the cap an idle one of another function is stopped, or the invocation waits. @default 32
   */
  readonly maxEnvironments?: number;
  /** Output an environment writes while no invocation runs (background timers and such). */
  readonly onStrayLine?: (functionName: string, line: string, logStreamName: string) => void;
  /**
   * Start environments from a small launcher process (launcher.mjs) rather than from this one,
   * whose page tables every start would copy. @default true (except on Windows)
   */
  readonly launcher?: boolean;
  /**
   * Spare environments kept at most: started ahead of demand (the runtime running, inside the wall
   * where there is one, holding no function), each taken by a cold start of its shape instead of
   * starting a process. One is kept while cold starts are spaced out. While they come faster than
   * a spare starts (a cold start finds none of its shape ready, another cold start having come
   * less than {@link spareQuietMs} before), one more is kept per such cold start, up to this many;
   * after {@link spareQuietMs} without a cold start the extra ones are stopped, which releases their
   * memory. Each spare is a runtime process of about 48 MiB resident (52 MiB inside the wall, plus
   * about 3 MiB for bubblewrap's two processes), of which about 15 MiB are its own (the rest is
   * Node's executable, shared); spares count against {@link maxEnvironments}. 0 keeps none. @default 3
   */
  readonly maxSpares?: number;
  /** How long without a cold start before the spares beyond the first are stopped. @default 30000 */
  readonly spareQuietMs?: number;
}

const MB = 1024 * 1024;
/** After this long, a close() still waiting for environments to end says which (see close()). */
const CLOSE_REPORT_MS = 10_000;

/** Environments are pooled per version: `name` for `$LATEST`, `name:1` for version 1. */
const poolKey = (spec: EnvironmentSpec): string =>
  spec.version === undefined || spec.version === '$LATEST' ? spec.functionName : `${spec.functionName}:${spec.version}`;

/** What #acquire found: a warm environment, or room for a cold start (with the spare it took, if any). */
type Acquired =
  | { readonly cold: false; readonly environment: ExecutionEnvironment }
  | {
      readonly cold: true;
      readonly spare?: ExecutionEnvironment;
      /** Spares of the function's shape were being kept (they were topped up at once). */
      readonly keptForIt: boolean;
    };

/** An invocation over the account's concurrency: Lambda answers TooManyRequestsException (429). */
export class ThrottledError extends Error {
  override name = 'ThrottledError';
  readonly limit: number;

  constructor(limit: number) {
    super(`Rate Exceeded. (${limit} concurrent executions in flight: the account's concurrency limit)`);
    this.limit = limit;
  }
}

/** Peak memory as last reported; an environment that ran out of memory used all of it. */
function memoryUsedMb(environment: ExecutionEnvironment, spec: EnvironmentSpec, error?: LambdaErrorPayload): number {
  if (error?.errorType === 'Runtime.OutOfMemory') return spec.memorySizeMb;
  return Math.max(1, Math.ceil(environment.maxMemoryBytes / MB));
}

/**
 * Lambda's execution environments: warm ones are reused, concurrency adds more, idle ones are
 * reaped, and a change of code or configuration (a new revision) retires the old ones. Cold starts
 * take spares started ahead of demand: one while cold starts are spaced out, up to maxSpares while
 * they come faster than a spare starts (see EnvironmentPoolOptions.maxSpares).
 */
export class EnvironmentPool {
  readonly #idleTimeoutMs: number;
  readonly #maxConcurrency: number;
  readonly #accountConcurrency: number;
  readonly #maxEnvironments: number;
  #inFlight = 0;
  /** Environments being created (counted against the cap before they join their set). */
  #starting = 0;
  readonly #waitingForRoom: (() => void)[] = [];
  readonly #onStrayLine: (functionName: string, line: string, logStreamName: string) => void;
  readonly #environments = new Map<string, Set<ExecutionEnvironment>>();
  readonly #waiting = new Map<string, (() => void)[]>();
  readonly #idleTimers = new Map<ExecutionEnvironment, NodeJS.Timeout>();
  readonly #launcher: ProcessLauncher;
  readonly #maxSpares: number;
  readonly #spareQuietMs: number;
  /** Never assigned, all of #spareShape, oldest first: a cold start takes one (see #acquire). */
  #spares: ExecutionEnvironment[] = [];
  #spareShape: RuntimeShape | undefined;
  /** How many spares are kept now: 1, more during a burst of cold starts (see maxSpares). */
  #spareTarget = 1;
  /** When the last cold start came (performance.now()). */
  #lastColdStart = Number.NEGATIVE_INFINITY;
  /** Brings the spare count back to 1 after a quiet spell. */
  #quietTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor({
    idleTimeoutMs = 300_000,
    maxConcurrency = 10,
    accountConcurrency = 1000,
    maxEnvironments = 32,
    onStrayLine = () => {},
    launcher = process.platform !== 'win32',
    maxSpares = 3,
    spareQuietMs = 30_000,
  }: EnvironmentPoolOptions = {}) {
    this.#maxSpares = maxSpares;
    this.#spareQuietMs = spareQuietMs;
    this.#launcher = launcher ? new LauncherProcess() : directLauncher;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#maxConcurrency = maxConcurrency;
    this.#accountConcurrency = accountConcurrency;
    this.#maxEnvironments = maxEnvironments;
    this.#onStrayLine = onStrayLine;
  }

  /** Environments of a function (for tests and the workbench). */
  environments(functionName: string): readonly ExecutionEnvironment[] {
    return [...(this.#environments.get(functionName) ?? [])].filter((env) => env.state !== 'dead');
  }

  /** Live environments across all functions. */
  get liveEnvironments(): number {
    let count = this.#starting + this.spares.length;
    for (const set of this.#environments.values()) for (const env of set) if (env.state !== 'dead') count += 1;
    return count;
  }

  async invoke(spec: EnvironmentSpec, request: InvocationRequest): Promise<InvocationResult> {
    if (this.#closed) throw new Error('The Lambda runtime is shut down');
    if (this.#inFlight >= this.#accountConcurrency) throw new ThrottledError(this.#accountConcurrency);
    this.#inFlight += 1;
    try {
      return await this.#invoke(spec, request);
    } finally {
      this.#inFlight -= 1;
    }
  }

  async #invoke(spec: EnvironmentSpec, request: InvocationRequest): Promise<InvocationResult> {
    let environment: ExecutionEnvironment | undefined;
    const { onLine } = request;
    const capture = new LogCapture({
      onLine: onLine === undefined ? undefined : (line) => onLine(line, environment?.logStreamName ?? ''),
    });
    const { requestId } = request;
    const warmNow = this.#takeWarm(spec);
    const acquired: Acquired =
      warmNow !== undefined ? { cold: false, environment: warmNow } : await this.#acquire(spec);
    const { cold } = acquired;
    environment = acquired.cold ? undefined : acquired.environment;
    request.onStart?.({ cold });
    let initDurationMs: number | undefined;
    // A cold start of the spares' shape has topped them up already (see #acquire); one of another
    // shape starts spares of its own shape once it is served, off its own critical path.
    const replenish = () => {
      if (acquired.cold && !acquired.keptForIt) setImmediate(() => this.#keepSpares(shapeOf(spec)));
    };
    if (environment === undefined) {
      try {
        environment = await this.#startEnvironment(spec, acquired.cold ? acquired.spare : undefined);
        this.#set(poolKey(spec)).add(environment);
      } finally {
        this.#starting -= 1;
      }
      const init = await environment.init(requestId, capture);
      initDurationMs = init.initDurationMs;
      if (!init.ok) {
        await environment.closed();
        this.#release(environment);
        capture.line(`START RequestId: ${requestId} Version: ${spec.version ?? '$LATEST'}`);
        capture.line(`END RequestId: ${requestId}`);
        const report = {
          requestId,
          durationMs: 0,
          billedDurationMs: 0,
          memorySizeMb: spec.memorySizeMb,
          maxMemoryUsedMb: memoryUsedMb(environment, spec, init.error),
          initDurationMs,
          status: 'error',
          errorType: init.error?.errorType,
        };
        capture.line(reportLine(report));
        replenish();
        return {
          requestId,
          error: init.error,
          cold,
          timedOut: false,
          durationMs: 0,
          billedDurationMs: 0,
          maxMemoryUsedMb: report.maxMemoryUsedMb,
          initDurationMs,
          // Cut from the log only when asked for (LogType: Tail): most invocations never are.
          get logTail() {
            return capture.tail();
          },
          droppedLogLines: capture.droppedLines,
        };
      }
    }
    capture.line(`START RequestId: ${requestId} Version: ${spec.version ?? '$LATEST'}`);
    const outcome = await environment.invoke({
      requestId,
      payload: request.payload,
      functionArn: request.invokedFunctionArn,
      clientContext: request.clientContext,
      identity: request.identity,
      traceId: request.traceId,
      capture,
    });
    if (outcome.timedOut) {
      capture.line(
        `${new Date().toISOString()} ${requestId} Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds`,
      );
    }
    if (outcome.fatal) await environment.closed();
    capture.line(`END RequestId: ${requestId}`);
    const maxMemoryUsedMb = memoryUsedMb(environment, spec, outcome.error);
    const durationMs = outcome.timedOut ? spec.timeoutSeconds * 1000 : outcome.durationMs;
    const billedDurationMs = Math.max(1, Math.ceil(durationMs));
    capture.line(
      reportLine({
        requestId,
        durationMs,
        billedDurationMs,
        memorySizeMb: spec.memorySizeMb,
        maxMemoryUsedMb,
        initDurationMs,
        status: outcome.timedOut ? 'timeout' : outcome.fatal && outcome.error ? 'error' : undefined,
        errorType: outcome.fatal && !outcome.timedOut ? outcome.error?.errorType : undefined,
      }),
    );
    this.#release(environment);
    replenish();
    return {
      requestId,
      payload: outcome.payload,
      error: outcome.error,
      cold,
      timedOut: outcome.timedOut,
      durationMs,
      billedDurationMs,
      maxMemoryUsedMb,
      initDurationMs,
      // Cut from the log only when asked for (LogType: Tail): most invocations never are.
      get logTail() {
        return capture.tail();
      },
      droppedLogLines: capture.droppedLines,
    };
  }

  /** Stops the idle environments of a function (all its versions); busy ones stop when their invocation ends. */
  retire(functionName: string): void {
    for (const [key, set] of this.#environments) {
      if (key !== functionName && !key.startsWith(`${functionName}:`)) continue;
      for (const environment of set) if (environment.state === 'idle') this.#stop(environment);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#quietTimer);
    const spares = this.#spares.splice(0);
    for (const spare of spares) spare.kill();
    const all = [...this.#environments.values()].flatMap((set) => [...set]);
    for (const environment of all) this.#stop(environment);
    all.push(...spares);
    for (const waiters of this.#waiting.values()) for (const wake of waiters.splice(0)) wake();
    for (const wake of this.#waitingForRoom.splice(0)) wake();
    const open = new Set(all);
    // Environments end within a second once killed; one that does not is named (on stderr), as a
    // shutdown that hangs must say what it waits for.
    const slow = setTimeout(() => {
      const waiting = [...open].map((environment) => environment.closingState).join('; ');
      process.stderr.write(
        `Lambda runtime: still waiting for ${open.size} execution environment(s) to end: ${waiting}\n`,
      );
    }, CLOSE_REPORT_MS);
    slow.unref();
    await Promise.all(all.map((environment) => environment.closed().then(() => open.delete(environment))));
    clearTimeout(slow);
    this.#launcher.close();
  }

  /** Gets ready for a first cold start (a function was created): starts the launcher, and a spare of `shape`. */
  prepare(shape?: RuntimeShape): void {
    if (!this.#closed && this.#launcher instanceof LauncherProcess) this.#launcher.warm();
    if (shape !== undefined) this.#keepSpares(shape);
  }

  /** The spares, ready ones first, then oldest first: the order cold starts take them in (for tests and the bench). */
  get spares(): readonly ExecutionEnvironment[] {
    this.#spares = this.#spares.filter((spare) => spare.alive);
    // A stable sort: among ready ones and among starting ones, the oldest first.
    return [...this.#spares].sort((a, b) => Number(b.ready) - Number(a.ready));
  }

  /** The spare the next cold start of its shape takes, while there is one (for tests). */
  get spare(): ExecutionEnvironment | undefined {
    return this.spares[0];
  }

  /**
   * Starts spares of `shape` until the spare count is reached, room allowing (spares of another
   * shape are stopped first: a spare's shape is fixed when its process starts).
   */
  #keepSpares(shape: RuntimeShape): void {
    if (this.#maxSpares === 0 || this.#closed) return;
    if (this.#spareShape === undefined || !sameShape(this.#spareShape, shape)) {
      for (const spare of this.#spares.splice(0)) spare.kill();
      this.#spareShape = shape;
    }
    while (this.spares.length < this.#spareTarget && this.liveEnvironments < this.#maxEnvironments)
      this.#spares.push(new ExecutionEnvironment({ spare: shape }, undefined, this.#launcher));
  }

  /** Stops the spare a cold start would take last (the youngest still starting); false when there was none. */
  #dropSpare(): boolean {
    const last = this.spares.at(-1);
    if (last === undefined) return false;
    this.#spares.splice(this.#spares.indexOf(last), 1);
    last.kill();
    return true;
  }

  /**
   * A cold start of `shape` comes: it takes the readiest spare of its shape, if there is one. One
   * that finds none ready, in a burst of cold starts (another less than the quiet spell before),
   * raises the spare count (see maxSpares); a quiet spell brings it back to 1.
   */
  #takeSpare(shape: RuntimeShape): { readonly spare?: ExecutionEnvironment; readonly keptForIt: boolean } {
    const now = performance.now();
    const inBurst = now - this.#lastColdStart < this.#spareQuietMs;
    this.#lastColdStart = now;
    const keptForIt = this.#maxSpares > 0 && this.#spareShape !== undefined && sameShape(this.#spareShape, shape);
    if (!keptForIt) return { keptForIt };
    const spare = this.spares[0];
    if (spare !== undefined) this.#spares.splice(this.#spares.indexOf(spare), 1);
    if (spare?.ready !== true && inBurst && this.#spareTarget < this.#maxSpares) this.#spareTarget += 1;
    clearTimeout(this.#quietTimer);
    if (this.#spareTarget > 1) {
      this.#quietTimer = setTimeout(() => {
        this.#spareTarget = 1;
        while (this.spares.length > 1) this.#dropSpare();
      }, this.#spareQuietMs);
      this.#quietTimer.unref();
    }
    return { spare, keptForIt };
  }

  /**
   * The environment for a cold start of `spec` (counted in #starting): the spare it took when that
   * one takes the function's code, else a process started for it. A spare that was handed the
   * function serves it or is stopped; it never goes back to being a spare.
   */
  async #startEnvironment(
    spec: EnvironmentSpec,
    spare: ExecutionEnvironment | undefined,
  ): Promise<ExecutionEnvironment> {
    let started: ExecutionEnvironment | undefined;
    const onStrayLine = (line: string) => this.#onStrayLine(poolKey(spec), line, started?.logStreamName ?? '');
    if (spare !== undefined) {
      const assigned = await spare.assign(spec, onStrayLine);
      if (this.#closed) {
        spare.kill();
        throw new Error('The Lambda runtime is shut down');
      }
      if (assigned) {
        started = spare;
        return started;
      }
      // Its code cannot go in a slot: the spare, untouched, goes back first in line, and the
      // youngest spares make way for it beyond the count or the room left beside the process
      // this function starts (counted in #starting).
      if (
        spare.alive &&
        spare.unassigned &&
        this.#spareShape !== undefined &&
        sameShape(this.#spareShape, spare.shape)
      ) {
        this.#spares.unshift(spare);
        while (this.spares.length > this.#spareTarget || this.liveEnvironments > this.#maxEnvironments)
          if (!this.#dropSpare()) break;
      } else spare.kill();
    }
    if (this.#closed) throw new Error('The Lambda runtime is shut down');
    started = new ExecutionEnvironment(spec, onStrayLine, this.#launcher);
    return started;
  }

  #set(functionName: string): Set<ExecutionEnvironment> {
    let set = this.#environments.get(functionName);
    if (set === undefined) {
      set = new Set();
      this.#environments.set(functionName, set);
    }
    return set;
  }

  /**
   * A warm idle environment of the current revision, taken (busy) — without waiting, as most
   * invocations find one; environments of an old revision are stopped on the way.
   */
  #takeWarm(spec: EnvironmentSpec): ExecutionEnvironment | undefined {
    if (this.#closed) throw new Error('The Lambda runtime is shut down');
    const set = this.#set(poolKey(spec));
    let warm: ExecutionEnvironment | undefined;
    for (const environment of set) {
      if (environment.state === 'dead') set.delete(environment);
      else if (environment.spec.revision !== spec.revision) {
        if (environment.state === 'idle') this.#stop(environment);
      } else if (warm === undefined && environment.state === 'idle') warm = environment;
    }
    // Its idle timer stays armed: it stops the environment only if it is idle when it fires.
    if (warm !== undefined) warm.state = 'busy';
    return warm;
  }

  /** A warm idle environment of the current revision, or room for a cold start (counted in #starting). */
  async #acquire(spec: EnvironmentSpec): Promise<Acquired> {
    for (;;) {
      const warm = this.#takeWarm(spec);
      if (warm !== undefined) return { cold: false, environment: warm };
      const set = this.#set(poolKey(spec));
      if (set.size < this.#maxConcurrency) {
        // Spares count among the live environments: this start takes one (taken here, in the same
        // turn as the count, so that two cold starts never count on the same one), or stops one for room.
        const shape = shapeOf(spec);
        const haveRoom = () => this.liveEnvironments < this.#maxEnvironments || this.#dropSpare() || this.#evictIdle();
        const taken =
          this.#spareShape !== undefined && sameShape(this.#spareShape, shape) && this.spares.length > 0
            ? this.#takeSpare(shape)
            : undefined;
        if (taken !== undefined || haveRoom()) {
          this.#starting += 1;
          const { spare, keptForIt } = taken ?? this.#takeSpare(shape);
          // The next spares start now, while this one runs its init and its invocation: cold starts
          // back to back find them (nearly) ready. Once this one's assignment has begun: building
          // a spare takes the event loop about a millisecond (a code slot, the wall's command line).
          if (keptForIt) setImmediate(() => this.#keepSpares(shape));
          return { cold: true, spare, keptForIt };
        }
        // Every environment of the machine is busy: wait for one to be released or stopped.
        await new Promise<void>((wake) => this.#waitingForRoom.push(wake));
        continue;
      }
      await new Promise<void>((wake) => {
        const waiters = this.#waiting.get(poolKey(spec)) ?? [];
        waiters.push(wake);
        this.#waiting.set(poolKey(spec), waiters);
      });
    }
  }

  /** Stops the least recently used idle environment (of any function) to make room; false when none is idle. */
  #evictIdle(): boolean {
    let oldest: ExecutionEnvironment | undefined;
    for (const set of this.#environments.values()) {
      for (const env of set)
        if (env.state === 'idle' && (oldest === undefined || env.lastUsed < oldest.lastUsed)) oldest = env;
    }
    if (oldest === undefined) return false;
    this.#stop(oldest);
    return true;
  }

  #wakeRoomWaiters(): void {
    for (const wake of this.#waitingForRoom.splice(0)) wake();
  }

  #release(environment: ExecutionEnvironment): void {
    const functionName = poolKey(environment.spec);
    const set = this.#set(functionName);
    const next = this.#waiting.get(functionName)?.shift();
    if (environment.state === 'dead' || this.#closed) {
      set.delete(environment);
    } else {
      environment.state = 'idle';
      // Lambda freezes an environment when its runtime asks for the next event and none is
      // there. With an invocation already waiting, it goes straight on: the waiter takes it in
      // this same turn of the event loop (only promise callbacks run before it is sent its
      // event), so the runtime gets no time of its own between the two invocations.
      if (next === undefined) environment.freeze();
      // Should the waiter have taken another one, this one is frozen all the same.
      else setImmediate(() => environment.state === 'idle' && environment.freeze());
      // One timer per environment, re-armed on each release (not a new one per invocation).
      const timer = this.#idleTimers.get(environment);
      if (timer !== undefined) timer.refresh();
      else {
        const created = setTimeout(() => {
          if (environment.state === 'idle') this.#stop(environment);
        }, this.#idleTimeoutMs);
        created.unref();
        this.#idleTimers.set(environment, created);
      }
    }
    next?.();
    this.#wakeRoomWaiters();
  }

  #stop(environment: ExecutionEnvironment): void {
    clearTimeout(this.#idleTimers.get(environment));
    this.#idleTimers.delete(environment);
    environment.kill();
    this.#environments.get(poolKey(environment.spec))?.delete(environment);
    this.#waiting.get(poolKey(environment.spec))?.shift()?.();
    this.#wakeRoomWaiters();
  }
}
