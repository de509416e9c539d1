// "Deploy my edit": bundle the learner's handler, upload it with UpdateFunctionCode (ZipFile), and
// wait until Lambda reports the update done. Only the AWS SDK, through `clientConfig(target)`, so
// the same code path deploys to the local cloud and to a class sandbox on AWS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetFunctionCommand,
  LambdaClient,
  UpdateFunctionCodeCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { SCENARIOS, type ScenarioFunction, type ScenarioId } from '../../scenarios/catalog.ts';
import type { DeployResult, DeployState, FunctionDeployState } from '../lib/workbench-api.ts';
import { bundleHandler, codeSha256 } from './bundle.ts';
import { HttpError } from './http.ts';
import { editablePaths } from './scenario-files.ts';
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
  /** Other edited files of the workspace by path (modules the handler imports). @default none */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * Uploads a bundle to a function with UpdateFunctionCode (ZipFile) and, when Lambda says the update
 * is still in progress (as AWS does), waits until it is done. A response that already says
 * `LastUpdateStatus: Successful` is final: no GetFunction round trip after it.
 */
export async function uploadBundle(
  lambda: LambdaClient,
  functionName: string,
  { zip, bundleBytes }: { zip: Uint8Array; bundleBytes: number },
  started: number,
): Promise<DeployResult> {
  const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip }));
  if (updated.LastUpdateStatus !== 'Successful') {
    const waited = await waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: UPDATE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
      { FunctionName: functionName },
    );
    if (waited.state !== 'SUCCESS') {
      throw new Error(`Lambda did not finish updating ${functionName}: ${String(waited.state)}.`);
    }
  }
  return {
    functionName,
    codeSha256: updated.CodeSha256 ?? '',
    bundleBytes,
    durationMs: Math.round(performance.now() - started),
  };
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
  files = {},
}: DeployEditOptions): Promise<DeployResult> {
  const started = performance.now();
  const { fn, functionName } = scenarioFunction(target, scenario, functionIndex);
  const bundle = await bundleHandler({ root, scenario, source, sourceFile: fn.source, files });
  const lambda = new LambdaClient(clientConfig(target));
  try {
    return await uploadBundle(lambda, functionName, bundle, started);
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

/** Refuses edits of files that are not the scenario's handlers or modules (400, naming the path). */
export function checkEditedPaths(root: string, scenario: ScenarioId, files: Readonly<Record<string, string>>): void {
  if (Object.keys(files).length === 0) return; // nothing edited beyond the handler's source
  const editable = editablePaths(root, scenario);
  for (const path of Object.keys(files)) {
    if (!editable.has(path)) {
      throw new HttpError(
        400,
        'BadRequest',
        `files: '${path}' is not an editable file of the ${scenario} scenario (editable: ${[...editable].join(', ')}).`,
      );
    }
  }
}

/** A function's handler text in the workspace: the edit when there is one, else the file. */
const handlerText = (root: string, scenario: ScenarioId, index: number, files: Readonly<Record<string, string>>) =>
  files[`scenarios/${scenario}/${SCENARIOS[scenario].functions[index]?.source}`] ??
  scenarioSource(root, scenario, index);

export interface DeployWorkspaceOptions {
  readonly target: Target;
  readonly root: string;
  readonly scenario: ScenarioId;
  /** The edited files by path; the others are deployed as they are on disk. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Deploys the workspace: every function of the scenario, each bundled from the edited files (a
 * module two handlers share reaches both). Compile errors stop it before anything is uploaded.
 */
export async function deployWorkspace({
  target,
  root,
  scenario,
  files,
}: DeployWorkspaceOptions): Promise<DeployResult> {
  checkEditedPaths(root, scenario, files);
  const functions = SCENARIOS[scenario].functions;
  const names = functions.map((_, index) => scenarioFunction(target, scenario, index).functionName);
  // Bundle everything first: a compile error in any file deploys nothing. The bundles are the ones uploaded.
  const bundles = [];
  for (const [index, fn] of functions.entries()) {
    bundles.push(
      await bundleHandler({
        root,
        scenario,
        source: handlerText(root, scenario, index, files),
        sourceFile: fn.source,
        files,
      }),
    );
  }
  const started = performance.now();
  const lambda = new LambdaClient(clientConfig(target));
  const results: DeployResult[] = [];
  try {
    for (const [index, bundle] of bundles.entries()) {
      results.push(await uploadBundle(lambda, names[index] as string, bundle, performance.now()));
    }
  } finally {
    lambda.destroy();
  }
  const [first] = results as [DeployResult, ...DeployResult[]];
  return { ...first, durationMs: Math.round(performance.now() - started), functions: results };
}

/** The CodeSha256 first seen per function since the workbook started: what the stack deployed. */
const BASELINES = Symbol.for('lambda-workbook.deploy-baselines');
function baselines(): Map<string, string> {
  const global = globalThis as Record<symbol, Map<string, string> | undefined>;
  global[BASELINES] ??= new Map();
  return global[BASELINES];
}

/**
 * What each function of the scenario runs (GetFunction's CodeSha256) against what the editor's
 * files would deploy (the same bundle, the same zip: the same CodeSha256).
 */
export async function deployState({ target, root, scenario, files }: DeployWorkspaceOptions): Promise<DeployState> {
  checkEditedPaths(root, scenario, files);
  const lambda = new LambdaClient(clientConfig(target));
  try {
    const functions: FunctionDeployState[] = [];
    for (const [index, fn] of SCENARIOS[scenario].functions.entries()) {
      const { functionName } = scenarioFunction(target, scenario, index);
      const sha = async (edits: Readonly<Record<string, string>>) =>
        codeSha256(
          (
            await bundleHandler({
              root,
              scenario,
              source: handlerText(root, scenario, index, edits),
              sourceFile: fn.source,
              files: edits,
            })
          ).zip,
        );
      const deployed = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
      const deployedSha256 = deployed.Configuration?.CodeSha256 ?? '';
      const key = `${target.kind}:${functionName}`;
      if (!baselines().has(key)) baselines().set(key, deployedSha256);
      functions.push({
        functionName,
        path: `scenarios/${scenario}/${fn.source}`,
        deployedSha256,
        editorSha256: await sha(files),
        originalSha256: await sha({}),
        baselineSha256: baselines().get(key) ?? deployedSha256,
        ...(deployed.Configuration?.LastModified ? { lastModified: deployed.Configuration.LastModified } : {}),
      });
    }
    return { functions };
  } finally {
    lambda.destroy();
  }
}
