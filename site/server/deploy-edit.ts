// "Deploy my edit": bundle the learner's handler, upload it with UpdateFunctionCode (ZipFile), and
// wait until Lambda reports the update done. Only the AWS SDK, through `clientConfig(target)`, so
// the same code path deploys to the local cloud and to a class sandbox on AWS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LambdaClient, UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { SCENARIOS, type ScenarioFunction, type ScenarioId } from '../../scenarios/catalog.ts';
import type { DeployResult } from '../lib/workbench-api.ts';
import { bundleHandler } from './bundle.ts';
import { clientConfig, stackOutputs, type Target } from './target.ts';

/** How long to wait for Lambda to finish an update (real AWS takes seconds). */
export const UPDATE_WAIT_SECONDS = 120;

/** The scenario's stack (or the function's output) is missing on the target: deploy the stacks first. */
export class NotDeployedError extends Error {
  /** The `ApiError.error` code for this failure. */
  readonly code = 'NotDeployed';

  constructor(message: string) {
    super(message);
    this.name = 'NotDeployedError';
  }
}

/** The stack outputs of a scenario on the target; throws NotDeployedError when the stack is not deployed. */
export function scenarioOutputs(target: Target, scenario: ScenarioId): Readonly<Record<string, string>> {
  const entry = SCENARIOS[scenario];
  if (entry === undefined) throw new Error(`Unknown scenario '${scenario}'.`);
  const outputs = stackOutputs(target, entry.stack);
  if (outputs === undefined) {
    throw new NotDeployedError(
      `The ${entry.stack} stack is not deployed on the ${target.kind} target: deploy the stacks first (npm start deploys them locally).`,
    );
  }
  return outputs;
}

/** A scenario's function (the edited one by default) and its deployed name on the target. */
export function scenarioFunction(
  target: Target,
  scenario: ScenarioId,
  functionIndex = 0,
): { readonly fn: ScenarioFunction; readonly functionName: string } {
  const outputs = scenarioOutputs(target, scenario);
  const functions = SCENARIOS[scenario].functions;
  const fn = functions[functionIndex];
  if (fn === undefined || !Number.isInteger(functionIndex)) {
    throw new RangeError(
      `Scenario '${scenario}' has ${functions.length} function(s); functionIndex ${functionIndex} is out of range.`,
    );
  }
  const functionName = outputs[fn.output];
  if (functionName === undefined) {
    throw new NotDeployedError(
      `The ${SCENARIOS[scenario].stack} stack has no output ${fn.output} (the function's name): redeploy the stacks.`,
    );
  }
  return { fn, functionName };
}

export interface DeployEditOptions {
  readonly target: Target;
  /** Project root (holds `scenarios/`). */
  readonly root: string;
  readonly scenario: ScenarioId;
  /** The handler's TypeScript source (imports relative to the scenario folder). */
  readonly source: string;
  /** Which of the scenario's functions (catalog order). @default 0, the one the workbench edits */
  readonly functionIndex?: number;
}

/**
 * Bundles `source`, deploys it to the scenario's function with UpdateFunctionCode (ZipFile) and
 * waits until the function is updated. Throws CompileFailureError (bundle.ts) when the source does
 * not compile, NotDeployedError when the stack is not on the target, and the SDK's errors
 * (ResourceNotFoundException, AccessDeniedException, …) as they come.
 */
export async function deployEdit({
  target,
  root,
  scenario,
  source,
  functionIndex = 0,
}: DeployEditOptions): Promise<DeployResult> {
  const started = performance.now();
  const { fn, functionName } = scenarioFunction(target, scenario, functionIndex);
  const { zip, bundleBytes } = await bundleHandler({ root, scenario, source, sourceFile: fn.source });
  const lambda = new LambdaClient(clientConfig(target));
  try {
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip }));
    const waited = await waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: UPDATE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
      { FunctionName: functionName },
    );
    if (waited.state !== 'SUCCESS') {
      throw new Error(`Lambda did not finish updating ${functionName}: ${String(waited.state)}.`);
    }
    return {
      functionName,
      codeSha256: updated.CodeSha256 ?? '',
      bundleBytes,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    lambda.destroy();
  }
}

/** The source of a scenario's own handler file (what Reset deploys back). */
export function scenarioSource(root: string, scenario: ScenarioId, functionIndex = 0): string {
  const fn = SCENARIOS[scenario]?.functions[functionIndex];
  if (fn === undefined) throw new RangeError(`Scenario '${scenario}' has no function ${functionIndex}.`);
  return readFileSync(join(root, 'scenarios', scenario, fn.source), 'utf8');
}

/** Deploys the scenario's own handler back to its function (undoes every edit). */
export async function resetFunction(opts: Omit<DeployEditOptions, 'source'>): Promise<DeployResult> {
  return deployEdit({ ...opts, source: scenarioSource(opts.root, opts.scenario, opts.functionIndex) });
}
