// "Check my work": deploy the learner's handler to the scenario's function, then run the
// exercise's tests against the target through the AWS SDK and HTTP only, so a check runs the same
// against the local cloud and a class sandbox on AWS. One report format for every caller.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScenarioId } from '../../../scenarios/catalog.ts';
import type {
  CheckProgress,
  CheckReport,
  CheckStatus,
  CheckTestResult,
  CheckWaiting,
} from '../../lib/workbench-api.ts';
import { CompileFailureError } from '../bundle.ts';
import { checkEditedPaths, deployEdit, scenarioFunction, scenarioOutputs } from '../deploy-edit.ts';
import type { Target } from '../target.ts';
import { createCheckContext, formatOutput, isCheckFailure } from './context.ts';
import { exerciseDir, findExercise } from './exercises.ts';
import type { CheckPassDetail, CheckTest } from './types.ts';

/** Default limit of one test. */
export const TEST_TIMEOUT_MS = 60_000;

export interface RunCheckOptions {
  readonly target: Target;
  /** Project root (holds `scenarios/`). */
  readonly root: string;
  readonly scenario: ScenarioId;
  readonly exercise: string;
  /** The learner's handler source; deployed to the scenario's function before the tests run. */
  readonly source: string;
  /** The workspace's other edited files by path (modules the handler imports). @default none */
  readonly files?: Readonly<Record<string, string>>;
  /** Called as each test finishes, in order. */
  readonly onProgress?: (test: CheckTestResult) => void;
  /** Called before the learner's handler is deployed, and with the tests' names before they run. */
  readonly onPhase?: (
    phase: { readonly kind: 'deploying' } | { readonly kind: 'running'; readonly tests: string[] } | CheckWaiting,
  ) => void;
}

/** The tests an exercise's check.ts exports (`export const tests: CheckTest[]`). */
export async function loadCheckTests(root: string, scenario: ScenarioId, exercise: string): Promise<CheckTest[]> {
  const file = join(exerciseDir(root, scenario, exercise), 'check.ts');
  if (!existsSync(file)) throw new Error(`${file} is missing.`);
  // A file URL: the check is loaded by Node (type stripping) wherever this module was bundled to.
  const module = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { tests?: unknown };
  const tests = module.tests;
  if (
    !Array.isArray(tests) ||
    tests.length === 0 ||
    !tests.every((test) => typeof test?.name === 'string' && typeof test?.run === 'function')
  ) {
    throw new Error(`${file} must export 'tests': a non-empty list of { name, run(ctx) }.`);
  }
  return tests as CheckTest[];
}

/** Rejects after `ms` unless `work` settles first. */
async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s.`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An error in one line: name, message and (for `fetch failed` and the like) its cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

/**
 * Deploys `source` to the scenario's function and runs the exercise's tests in order. Never
 * throws for what a learner can cause: a compile error, an undeployed stack or an unknown
 * exercise come back as a report with status `error` and a message saying what to do.
 */
export async function runCheck({
  target,
  root,
  scenario,
  exercise,
  source,
  files = {},
  onProgress,
  onPhase,
}: RunCheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const report = (status: CheckStatus, tests: CheckTestResult[], message?: string): CheckReport => ({
    scenario,
    exercise,
    target: target.kind,
    status,
    tests,
    ...(message !== undefined ? { message } : {}),
    durationMs: elapsed(),
  });

  let tests: CheckTest[];
  let outputs: Readonly<Record<string, string>>;
  let functionName: string;
  let editsInfra: boolean;
  try {
    const info = findExercise(root, scenario, exercise);
    if (info === undefined) {
      return report('error', [], `Scenario '${scenario}' has no exercise '${exercise}'.`);
    }
    editsInfra = info.edits === 'infra.ts';
    tests = await loadCheckTests(root, scenario, exercise);
    outputs = scenarioOutputs(target, scenario);
    functionName = scenarioFunction(target, scenario).functionName;
  } catch (error) {
    return report('error', [], error instanceof Error ? error.message : String(error));
  }

  // An exercise on infra.ts: the learner's construct becomes a stack of its own for this check.
  let removeVariant: (() => Promise<void>) | undefined;
  try {
    onPhase?.({ kind: 'deploying' });
    if (editsInfra) {
      const { deployInfraVariant } = (await import(
        /* @vite-ignore */ pathToFileURL(join(root, 'site', 'server', 'checks', 'infra-variant.ts')).href
      )) as typeof import('./infra-variant.ts');
      const variant = await deployInfraVariant({ target, root, scenario, source });
      ({ outputs, functionName } = variant);
      removeVariant = () => variant.remove();
    } else {
      checkEditedPaths(root, scenario, files);
      await deployEdit({ target, root, scenario, source, files });
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'InfraVariantError') {
      return report('error', [], (error as Error).message);
    }
    if (error instanceof CompileFailureError) {
      const lines = error.errors.map((e) => `line ${e.line}, column ${e.column}: ${e.message}`);
      return report('error', [], `Your handler does not compile, so it was not checked.\n${lines.join('\n')}`);
    }
    const name = (error as { name?: string }).name;
    const hint =
      name === 'ResourceNotFoundException'
        ? ` The function ${functionName} does not exist on the target: redeploy the stacks (npm start).`
        : '';
    return report('error', [], `Deploying your handler failed: ${describe(error)}.${hint}`);
  }

  let current = '';
  const { ctx, close } = createCheckContext({
    target,
    root,
    scenario,
    exercise,
    outputs,
    functionName,
    onWait: (wait) => onPhase?.({ kind: 'waiting', test: current, ...wait }),
  });
  const results: CheckTestResult[] = [];
  onPhase?.({ kind: 'running', tests: tests.map((test) => test.name) });
  try {
    for (const test of tests) {
      current = test.name;
      const testStarted = performance.now();
      let result: Omit<CheckTestResult, 'durationMs'>;
      try {
        const detail = (await withTimeout(
          Promise.resolve(test.run(ctx)),
          test.timeoutMs ?? TEST_TIMEOUT_MS,
          `The test '${test.name}'`,
        )) as CheckPassDetail | undefined;
        result = {
          name: test.name,
          status: 'pass',
          ...(detail?.message !== undefined ? { message: detail.message } : {}),
          ...(detail?.output !== undefined ? { output: formatOutput(detail.output) } : {}),
        };
      } catch (error) {
        result = isCheckFailure(error)
          ? {
              name: test.name,
              status: 'fail',
              message: error.message,
              ...(error.output !== undefined ? { output: error.output } : {}),
            }
          : { name: test.name, status: 'error', message: `The test could not run: ${describe(error)}` };
      }
      const finished: CheckTestResult = { ...result, durationMs: Math.round(performance.now() - testStarted) };
      results.push(finished);
      onProgress?.(finished);
    }
  } finally {
    close();
    await removeVariant?.().catch(() => undefined);
  }

  const status: CheckStatus = results.every((r) => r.status === 'pass')
    ? 'pass'
    : results.some((r) => r.status === 'fail')
      ? 'fail'
      : 'error';
  const passed = results.filter((r) => r.status === 'pass').length;
  return report(status, results, `${passed} of ${results.length} tests passed.`);
}

/**
 * A check as a stream of NDJSON lines (`CheckProgress`): what `run` sends while it works, then its
 * report — or, should it throw, an error line (the response has long started by then).
 */
export function checkProgressStream(
  run: (send: (progress: CheckProgress) => void) => Promise<CheckReport>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  // A page that went away stops getting lines; the check itself runs to its end (it cleans up after itself).
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    cancel() {
      cancelled = true;
    },
    async start(controller) {
      const send = (progress: CheckProgress) => {
        if (!cancelled) controller.enqueue(encoder.encode(`${JSON.stringify(progress)}\n`));
      };
      try {
        send({ kind: 'report', report: await run(send) });
      } catch (error) {
        send({ kind: 'error', error: { error: 'CheckFailed', message: describe(error) } });
      }
      if (!cancelled) controller.close();
    },
  });
}
