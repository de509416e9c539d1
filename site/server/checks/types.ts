// What an exercise's `check.ts` exports and what its tests get. Check modules import only types
// from here (erased at run time), so they load the same way from the built site, `npm run check`
// and the tests; everything they need at run time comes through the context.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ScenarioId } from '../../../scenarios/catalog.ts';
import type { clientConfig, Target } from '../target.ts';

/** What a direct invocation of the learner's function gave. */
export interface InvocationOutcome {
  readonly statusCode: number;
  /** `Unhandled` when the function threw (the payload is then Lambda's error object). */
  readonly functionError?: string;
  /** The parsed JSON payload, or the raw text when it is not JSON. */
  readonly payload: unknown;
  /** The invocation's log (Lambda's `LogType: Tail`, its last 4 KB). */
  readonly logs: string;
  readonly requestId?: string;
}

/** What an HTTP request to the scenario's API gave. */
export interface HttpOutcome {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** One run of the function as its log tells it: START … REPORT (an asynchronous retry is a run of its own). */
export interface EndedInvocation {
  readonly requestId: string;
  /** When its START line was logged (ms since the epoch). */
  readonly startedAt: number;
  /** How it failed, when it did: `errorType: errorMessage`, or Lambda's `Task timed out after …`. */
  readonly error?: string;
  /** Its REPORT line. */
  readonly report: string;
  /** Its log, START to REPORT. */
  readonly logs: readonly string[];
}

/** What a wait that follows the function's invocations came to. */
export type AwaitedResult<T> =
  | { readonly ok: true; readonly value: T }
  /** The invocations that could bring the result ended (REPORT logged) and it is not there. */
  | { readonly ok: false; readonly ended: readonly EndedInvocation[] };

export interface WaitOptions {
  /** @default 15000 */
  readonly timeoutMs?: number;
  /** @default 250 */
  readonly intervalMs?: number;
  /** What is awaited, for the failure message (`the thumbnail of cat.jpg`). */
  readonly what?: string;
  /** Why it takes a while (`S3 invokes the function asynchronously`), shown while the test waits. */
  readonly why?: string;
}

/** Everything a check's test may use. Resources are the target's: local cloud or a sandbox on AWS. */
export interface CheckContext {
  readonly scenario: ScenarioId;
  readonly exercise: string;
  readonly target: Target;
  /** Configuration for any `@aws-sdk/client-*` constructor (the target's endpoint, region, credentials). */
  readonly config: ReturnType<typeof clientConfig>;
  /** Clients for the target, created on first use and closed after the check. */
  readonly clients: { readonly s3: S3Client; readonly dynamodb: DynamoDBClient; readonly lambda: LambdaClient };
  /** The scenario stack's outputs by output key (`PhotosBucketName`, `ApiUrl`, …). */
  readonly outputs: Readonly<Record<string, string>>;
  /** The catalog's resource roles resolved (`photosBucket` → the bucket's name, …). */
  readonly resources: Readonly<Record<string, string>>;
  /** Name of the deployed function holding the learner's code. */
  readonly functionName: string;
  /** A short id unique to this run: put it in keys and names so runs never see each other's data. */
  readonly runId: string;
  /** The scenario's sample events (`events/*.json`) by file name without `.json`. */
  readonly events: Readonly<Record<string, unknown>>;
  /** Invokes the learner's function directly (RequestResponse, log tail). */
  invoke(event: unknown): Promise<InvocationOutcome>;
  /** A request to the scenario's HTTP API (`path` below ApiUrl, starting with `/`). */
  http(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<HttpOutcome>;
  /**
   * Polls `probe` until it returns something other than undefined/false, and returns that; fails
   * the test (as `fail` does) after the timeout. Errors thrown by the probe count as "not yet".
   */
  waitFor<T>(probe: () => Promise<T | undefined | false>, options?: WaitOptions): Promise<T>;
  /**
   * The function's runs that started at or after `since` (ms since the epoch) and have ended (their
   * REPORT is in the function's log group, read with CloudWatch Logs FilterLogEvents), oldest first.
   */
  endedInvocations(since: number): Promise<EndedInvocation[]>;
  /**
   * Polls `probe` like `waitFor`, and also follows the function's log: once `count` runs that
   * started at or after `since` have ended and the probe, looked at once more after `graceMs`,
   * still finds nothing, answers `{ ok: false, ended }` at once — those runs were what could bring
   * the result, so waiting longer would not help. Fails (as `waitFor`) only when neither came
   * within the timeout: the function did not run, or not to its end.
   */
  awaitResult<T>(
    probe: () => Promise<T | undefined | false>,
    options: WaitOptions & { readonly since: number; readonly count?: number; readonly graceMs?: number },
  ): Promise<AwaitedResult<T>>;
  /** An invocation as a learner reads it: the answer (an error without its trace) and the log, long lines cut. */
  describeInvocation(outcome: InvocationOutcome): string;
  /** Runs read from the log, as a learner reads them: each one's error (if any), REPORT and log. */
  describeRuns(runs: readonly EndedInvocation[]): string;
  /** Fails the test with a message the learner can act on and what the test saw. */
  fail(message: string, output?: unknown): never;
}

/** What a passing test may add to its result. */
export interface CheckPassDetail {
  readonly message?: string;
  readonly output?: unknown;
}

/** One test of an exercise's check. Return (or resolve) to pass, `ctx.fail(…)` to fail; any other error is an `error`. */
export interface CheckTest {
  readonly name: string;
  /** @default 60000 */
  readonly timeoutMs?: number;
  // biome-ignore lint/suspicious/noConfusingVoidType: an async test that returns nothing passes
  run(ctx: CheckContext): Promise<CheckPassDetail | void>;
}
