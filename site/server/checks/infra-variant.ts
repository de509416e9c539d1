// An exercise on the infrastructure: the learner's version of a scenario's infra.ts, synthesized
// with the real CDK into a stack of its own and deployed to the local cloud next to the scenario's
// stack, so its check runs against exactly what the learner's construct makes. Removed afterwards.
// Loaded on demand by run.ts (it brings aws-cdk-lib and the local deployer along).
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { deployCloudAssembly, destroyStack } from '../../../infra/local/deploy/deploy.ts';
import { memoryStateStore } from '../../../infra/local/deploy/state.ts';
import { SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import type { Target } from '../target.ts';

/** Why a learner's infra.ts could not be deployed, in words they can act on. */
export class InfraVariantError extends Error {
  override name = 'InfraVariantError';
}

export interface DeployedVariant {
  readonly stackName: string;
  readonly outputs: Readonly<Record<string, string>>;
  /** The variant's function holding the scenario's handler. */
  readonly functionName: string;
  /** Deletes the variant's stack and its files. */
  remove(): Promise<void>;
}

type ScenarioConstruct = new (scope: Construct, id: string, props?: Record<string, unknown>) => Construct;

/**
 * Synthesizes `source` (a version of `scenarios/<scenario>/infra.ts` exporting the scenario's
 * construct class under its usual name) as the stack `LambdaWorkbook-<Part>-Exercise<id>` and deploys
 * it to the local cloud of `target`. The file sits in the scenario folder while it is synthesized,
 * so its relative imports (the handler, the shared constructs) resolve as the original's do.
 */
export async function deployInfraVariant({
  target,
  root,
  scenario,
  source,
}: {
  readonly target: Target;
  readonly root: string;
  readonly scenario: ScenarioId;
  readonly source: string;
}): Promise<DeployedVariant> {
  if (target.kind !== 'local' || target.endpoint === undefined) {
    throw new InfraVariantError(
      "Exercises on infra.ts are checked only on the local cloud: the check deploys your construct as a stack of its own, and a class sandbox's learner role may not create stacks or roles on AWS. Check it with the workbook on the local cloud (npm start, without --target aws), or ask your instructor to deploy your infra.ts with the CDK (npm run sandbox:deploy).",
    );
  }
  const part = SCENARIOS[scenario].stackPart;
  const id = randomUUID().slice(0, 8);
  const stackName = `LambdaWorkbook-${part}-Exercise${id}`;
  // A dot-file: cdkSources() skips it, so the main assembly does not go stale while it exists.
  const file = join(root, 'scenarios', scenario, `.exercise-${id}.infra.ts`);
  // Inside the project, so bundles resolve node_modules as cdk.out's do.
  const outdir = join(root, 'node_modules', '.cache', 'lambda-workbook-exercises', id);
  const state = memoryStateStore();
  const cleanFiles = () => {
    rmSync(file, { force: true });
    rmSync(outdir, { recursive: true, force: true });
  };
  const credentials = typeof target.credentials === 'function' ? await target.credentials() : target.credentials;
  const deployOptions = {
    endpoint: target.endpoint,
    state,
    region: target.region,
    credentials: credentials ?? { accessKeyId: '', secretAccessKey: '' },
  };

  try {
    writeFileSync(file, source);
    mkdirSync(outdir, { recursive: true });
    let module: Record<string, unknown>;
    try {
      module = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      throw new InfraVariantError(`Your infra.ts does not load: ${(error as Error).message}`);
    }
    const Scenario = module[part];
    if (typeof Scenario !== 'function') {
      throw new InfraVariantError(`Your infra.ts must export the construct class '${part}', as the original does.`);
    }
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    const stack = new Stack(app, stackName);
    try {
      new (Scenario as ScenarioConstruct)(stack, part, {});
      app.synth();
    } catch (error) {
      throw new InfraVariantError(`Your infra.ts does not synthesize: ${(error as Error).message}`);
    }
    const [deployed] = await deployCloudAssembly(outdir, { ...deployOptions, stacks: [stackName] });
    const outputs = deployed?.outputs ?? {};
    const functionName = outputs[SCENARIOS[scenario].functions[0].output];
    if (functionName === undefined) {
      throw new InfraVariantError(
        `Your stack has no output ${SCENARIOS[scenario].functions[0].output} (the function's name): keep the outputs of the original infra.ts.`,
      );
    }
    return {
      stackName,
      outputs,
      functionName,
      async remove() {
        try {
          await destroyStack(stackName, deployOptions);
        } finally {
          cleanFiles();
        }
      },
    };
  } catch (error) {
    await destroyStack(stackName, deployOptions).catch(() => undefined);
    cleanFiles();
    throw error;
  }
}
