// Builds the context an exercise's tests run with: the target's clients and outputs, direct
// invocation, HTTP requests to the scenario's API, polling, and failing with a message.
import { randomBytes } from 'node:crypto';
import { CloudWatchLogsClient, type FilteredLogEvent, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import { requestIdOf } from '../log-observer.ts';
import { readSampleEvents } from '../sample-events.ts';
import { clientConfig, reachableApiUrl, type Target } from '../target.ts';
import type {
  AwaitedResult,
  CheckContext,
  EndedInvocation,
  HttpOutcome,
  InvocationOutcome,
  WaitOptions,
} from './types.ts';

/** Marks an error as a test failure (not an error of the check): a symbol, so it survives module copies. */
const FAILURE = Symbol.for('lambda-workbook.check-failure');

/** Longest `output` kept in a result. */
const MAX_OUTPUT_CHARS = 4000;

/** A test failure: the learner's code did not do what the exercise asks. */
export class CheckFailure extends Error {
  readonly [FAILURE] = true;
  readonly output?: string;

  constructor(message: string, output?: unknown) {
    super(message);
    this.name = 'CheckFailure';
    if (output !== undefined) this.output = formatOutput(output);
  }
}

/** True for a CheckFailure, also one thrown by another copy of this module. */
export const isCheckFailure = (error: unknown): error is CheckFailure =>
  typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[FAILURE] === true;

/** What a test saw, as text a learner reads: strings as they are, values as indented JSON, cut to a length. */
export function formatOutput(output: unknown): string {
  let text: string;
  if (typeof output === 'string') text = output;
  else {
    try {
      text = JSON.stringify(output, null, 2) ?? String(output);
    } catch {
      text = String(output);
    }
  }
  return text.length > MAX_OUTPUT_CHARS ? `${text.slice(0, MAX_OUTPUT_CHARS)}\n… (${text.length} characters)` : text;
}

/** The scenario's sample events as recorded, by file name. */
export function sampleEvents(root: string, scenario: ScenarioId): Record<string, unknown> {
  return Object.fromEntries(readSampleEvents(root, scenario).map((sample) => [sample.name, sample.event]));
}

/** Longest log line kept when describing an invocation. */
const MAX_LOG_LINE = 300;

/** An invocation as a learner reads it: the answer (an error without its trace) and the log. */
export function describeInvocation(outcome: InvocationOutcome): string {
  let answer = outcome.payload;
  if (outcome.functionError && typeof answer === 'object' && answer !== null && 'trace' in answer) {
    const { trace: _trace, ...rest } = answer as Record<string, unknown>;
    answer = rest;
  }
  const heading = outcome.functionError ? `The function failed (${outcome.functionError}):` : 'The function answered:';
  const log = outcome.logs
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}…` : line));
  return [
    heading,
    JSON.stringify(answer, null, 2) ?? String(answer),
    ...(log.length > 0 ? ['', 'Its log:', ...log] : []),
  ].join('\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `…\tERROR\tInvoke Error \t{"errorType":…,"errorMessage":…}` (the Node.js runtime's line for a thrown error). */
const INVOKE_ERROR = /\tERROR\tInvoke Error\s*\t(\{.*)$/;

/** How a run failed, from one of its log lines, or undefined. */
function errorOf(line: string): string | undefined {
  const timedOut = /Task timed out after [\d.]+ seconds/.exec(line);
  if (timedOut) return timedOut[0];
  const thrown = INVOKE_ERROR.exec(line);
  if (!thrown) return undefined;
  try {
    const error = JSON.parse(thrown[1] ?? '') as { errorType?: unknown; errorMessage?: unknown };
    return `${String(error.errorType ?? 'Error')}: ${String(error.errorMessage ?? '')}`;
  } catch {
    // A line cut short (the runtime cuts long ones): the type is at its start.
    return /"errorType":"([^"]+)"/.exec(thrown[1] ?? '')?.[1] ?? 'Error';
  }
}

/**
 * The runs a function's log events tell of: each START opens a run (an asynchronous retry keeps its
 * request id, so it is a run of its own), the lines with its request id join the latest run of that
 * id, and its REPORT ends it. Runs that started before `since` or have not ended are left out.
 */
export function endedRuns(events: readonly FilteredLogEvent[], since: number): EndedInvocation[] {
  const sorted = [...events].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  const open = new Map<string, { requestId: string; startedAt: number; logs: string[]; error?: string }>();
  const ended: EndedInvocation[] = [];
  let latest: string | undefined;
  for (const event of sorted) {
    const line = (event.message ?? '').replace(/\n$/, '');
    const id = requestIdOf(line) ?? (/^\S+ ([0-9a-f-]{36}) Task timed out/.exec(line)?.[1] || latest);
    if (id === undefined) continue;
    if (line.startsWith('START ')) {
      open.set(id, { requestId: id, startedAt: event.timestamp ?? 0, logs: [] });
      latest = id;
    }
    const run = open.get(id);
    if (run === undefined) continue;
    run.logs.push(line);
    run.error ??= errorOf(line);
    if (line.startsWith('REPORT ')) {
      open.delete(id);
      if (run.startedAt >= since) {
        ended.push({
          requestId: run.requestId,
          startedAt: run.startedAt,
          ...(run.error !== undefined ? { error: run.error } : {}),
          report: line,
          logs: run.logs,
        });
      }
    }
  }
  return ended;
}

/** Runs as a learner reads them: how each ended, and its log (long lines cut). */
export function describeRuns(runs: readonly EndedInvocation[]): string {
  if (runs.length === 0) return 'The function did not run.';
  return runs
    .map((run, index) => {
      const heading = `Run ${index + 1} of ${runs.length} (request ${run.requestId}): ${run.error ? `failed with ${run.error}` : 'ended without an error'}.`;
      const log = run.logs.map((line) => (line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}…` : line));
      return [heading, ...log].join('\n');
    })
    .join('\n\n');
}

export interface ContextOptions {
  readonly target: Target;
  readonly root: string;
  readonly scenario: ScenarioId;
  readonly exercise: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly functionName: string;
  /** Told when a test starts waiting for something (its first look did not find it). */
  readonly onWait?: (wait: { readonly what: string; readonly why?: string; readonly upToMs: number }) => void;
}

/** A check context and the function that closes its clients. */
export function createCheckContext(options: ContextOptions): { ctx: CheckContext; close(): void } {
  const { target, root, scenario, exercise, outputs, functionName, onWait } = options;
  const config = clientConfig(target);
  const made: { destroy(): void }[] = [];
  const lazy = <T extends { destroy(): void }>(make: () => T): (() => T) => {
    let client: T | undefined;
    return () => {
      if (client === undefined) {
        client = make();
        made.push(client);
      }
      return client;
    };
  };
  const s3 = lazy(() => new S3Client(config));
  const dynamodb = lazy(() => new DynamoDBClient(config));
  const lambda = lazy(() => new LambdaClient(config));
  const logs = lazy(() => new CloudWatchLogsClient(config));
  const resources = Object.fromEntries(
    Object.entries(SCENARIOS[scenario].outputs)
      .filter(([, key]) => outputs[key] !== undefined)
      .map(([role, key]) => [role, outputs[key] as string]),
  );

  const fail = (message: string, output?: unknown): never => {
    throw new CheckFailure(message, output);
  };

  const endedInvocations = async (since: number): Promise<EndedInvocation[]> => {
    const group = resources.logGroup;
    if (group === undefined) throw new Error(`Scenario '${scenario}' names no log group (no logGroup output).`);
    const events: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs().send(
        // A minute before `since`: a run that started after it may have logged lines a moment earlier
        // (its START is what is compared), and a clock a little ahead must not hide its START.
        new FilterLogEventsCommand({ logGroupName: group, startTime: since - 60_000, nextToken }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return endedRuns(events, since);
  };

  const ctx: CheckContext = {
    scenario,
    exercise,
    target,
    config,
    clients: {
      get s3() {
        return s3();
      },
      get dynamodb() {
        return dynamodb();
      },
      get lambda() {
        return lambda();
      },
    },
    outputs,
    resources,
    functionName,
    runId: randomBytes(4).toString('hex'),
    events: sampleEvents(root, scenario),

    async invoke(event: unknown): Promise<InvocationOutcome> {
      const response = await invokeThroughThrottles(() =>
        lambda().send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: 'RequestResponse',
            LogType: 'Tail',
            Payload: new TextEncoder().encode(JSON.stringify(event)),
          }),
        ),
      );
      const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
      let payload: unknown = text;
      try {
        payload = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      return {
        statusCode: response.StatusCode ?? 0,
        ...(response.FunctionError ? { functionError: response.FunctionError } : {}),
        payload,
        logs: response.LogResult ? Buffer.from(response.LogResult, 'base64').toString('utf8') : '',
        ...(response.$metadata.requestId ? { requestId: response.$metadata.requestId } : {}),
      };
    },

    async http(method, path, init = {}): Promise<HttpOutcome> {
      const base = resources.apiUrl;
      if (base === undefined) throw new Error(`Scenario '${scenario}' has no HTTP API (no ApiUrl output).`);
      if (!path.startsWith('/')) throw new Error(`HTTP paths start with '/', got '${path}'.`);
      const response = await fetch(`${reachableApiUrl(base, target)}${path}`, {
        method,
        headers: init.headers,
        body: init.body,
        signal: AbortSignal.timeout(30_000),
      });
      const body = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: Object.fromEntries(response.headers), body, json };
    },

    async waitFor<T>(probe: () => Promise<T | undefined | false>, waitOptions: WaitOptions = {}): Promise<T> {
      const { timeoutMs = 15_000, intervalMs = 250, what = 'the expected result', why } = waitOptions;
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      let told = false;
      for (;;) {
        try {
          const value = await probe();
          if (value !== undefined && value !== false) return value;
        } catch (error) {
          if (isCheckFailure(error)) throw error;
          lastError = error;
        }
        if (Date.now() >= deadline) break;
        if (!told) {
          told = true;
          onWait?.({ what, ...(why !== undefined ? { why } : {}), upToMs: timeoutMs });
        }
        await sleep(intervalMs);
      }
      const seconds = Math.round(timeoutMs / 100) / 10;
      return fail(
        `Waited ${seconds} s for ${what}, in vain.`,
        lastError instanceof Error ? `last error: ${lastError.name}: ${lastError.message}` : undefined,
      );
    },

    endedInvocations,

    async awaitResult<T>(
      probe: () => Promise<T | undefined | false>,
      options: WaitOptions & { readonly since: number; readonly count?: number; readonly graceMs?: number },
    ): Promise<AwaitedResult<T>> {
      const { since, count = 1, graceMs = 0, timeoutMs = 15_000, intervalMs = 250 } = options;
      const look = async (): Promise<T | undefined> => {
        try {
          const value = await probe();
          return value === undefined || value === false ? undefined : value;
        } catch (error) {
          if (isCheckFailure(error)) throw error;
          return undefined;
        }
      };
      let ended: EndedInvocation[] = [];
      try {
        const value = await ctx.waitFor(
          async () => {
            const found = await look();
            if (found !== undefined) return { value: found };
            ended = await endedInvocations(since).catch(() => []);
            return ended.length >= count ? { settled: true as const } : undefined;
          },
          { ...options, timeoutMs, intervalMs },
        );
        if ('value' in value) return { ok: true, value: value.value as T };
      } catch (error) {
        if (!isCheckFailure(error)) throw error;
        const runs = await endedInvocations(since).catch(() => []);
        return fail(
          runs.length === 0
            ? `${error.message} The function did not run to its end meanwhile (no REPORT in its log since the check began): nothing invoked it, or it is still running.`
            : `${error.message} Only ${runs.length} of the ${count} runs awaited ended meanwhile.`,
          describeRuns(runs),
        );
      }
      // The runs ended: a result they wrote is there now (after a moment for what comes after the
      // REPORT, such as an on-failure destination), or it will not come.
      if (graceMs > 0) await sleep(graceMs);
      const late = await look();
      return late !== undefined ? { ok: true, value: late } : { ok: false, ended };
    },

    describeInvocation,
    describeRuns,
    fail,
  };
  return {
    ctx,
    close() {
      for (const client of made) client.destroy();
    },
  };
}

/** How long a check's own invoke keeps retrying while the function's reserved concurrency is busy. */
export const THROTTLE_RETRY_MS = 15_000;

/**
 * Sends a synchronous invoke, retrying while Lambda throttles it. The scenario functions reserve a
 * small concurrency (2 by default), and the events a check's uploads set off — or S3's retries of
 * an earlier attempt's failed events — can hold it all for a while: a client that meets
 * TooManyRequestsException backs off and tries again, as the SDK's retry strategy does, only longer.
 */
export async function invokeThroughThrottles<T>(send: () => Promise<T>, budgetMs = THROTTLE_RETRY_MS): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await send();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'TooManyRequestsException' || Date.now() + delay > deadline) {
        if (name === 'TooManyRequestsException') {
          throw new Error(
            `Lambda throttled the check's invocation for ${Math.round(budgetMs / 1000)} s: the function's reserved concurrency is busy with other invocations (S3's retries of earlier failed events, say). Try again in a minute.`,
            { cause: error },
          );
        }
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
