// The local workbook's own deployment: the four scenario stacks, synthesized into their own folder
// (never cdk.out, which `npm run synth` and the class sandbox's `cdk` commands write), deployed to
// the local cloud, and their outputs written where the workbench reads them. `npm start` and
// `npm run deploy:local` (without --learners) both go through here.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deployProject, type ProjectDeployment } from '../infra/local/deploy/project.ts';
import type { DeploymentStateStore } from '../infra/local/deploy/state.ts';
import { SCENARIOS } from '../scenarios/catalog.ts';
import { LOCAL_ASSEMBLY_DIR } from '../site/server/runtime.ts';
import type { StackOutputsFile } from '../site/server/target.ts';

/** The stacks the local workbook runs: one per scenario, never a class sandbox's copies. */
export const SCENARIO_STACKS: readonly string[] = Object.values(SCENARIOS).map((scenario) => scenario.stack);

/**
 * CDK context of the local synth. `learners` is set (empty) so that a class set up in cdk.json or
 * cdk.context.json still gives the local workbook its four scenario stacks.
 */
export const LOCAL_SYNTH_CONTEXT: Readonly<Record<string, string>> = { learners: '' };

export interface DeployLocalStacksOptions {
  readonly root: string;
  readonly endpoint: string;
  /** The local cloud's admin keys (what the deployer signs with). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Where the deployment state lives; none keeps it in memory. */
  readonly dataDir?: string;
  /** The stack outputs file the workbench reads (`<data dir>/stack-outputs.json`); none writes nothing. */
  readonly outputsFile?: string;
  readonly state?: DeploymentStateStore;
  readonly forceSynth?: boolean;
  readonly detail?: 'all' | 'changes';
  readonly print?: (line: string) => void;
}

/** Synthesizes (when stale) and deploys the four scenario stacks; writes the workbench's outputs file. */
export async function deployLocalStacks({
  root,
  endpoint,
  dataDir,
  outputsFile,
  ...rest
}: DeployLocalStacksOptions): Promise<ProjectDeployment> {
  const deployment = await deployProject({
    root,
    endpoint,
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...rest,
    assemblyDir: join(root, LOCAL_ASSEMBLY_DIR),
    context: LOCAL_SYNTH_CONTEXT,
    stacks: SCENARIO_STACKS,
  });
  if (outputsFile !== undefined) writeStackOutputs(outputsFile, endpoint, deployment);
  return deployment;
}

/** The workbench's stack outputs file for a local deployment, written aside and renamed (never read half-written). */
export function writeStackOutputs(file: string, endpoint: string, deployment: ProjectDeployment): void {
  const content: StackOutputsFile = {
    target: 'local',
    endpoint,
    region: 'us-east-1',
    deployedAt: new Date().toISOString(),
    stacks: Object.fromEntries(deployment.stacks.map((stack) => [stack.stackName, stack.outputs])),
    // Physical names of the deployed resources: the workbench's flow diagram and trace use them.
    resources: Object.fromEntries(
      deployment.stacks.map((stack) => [
        stack.stackName,
        Object.fromEntries(
          stack.resources.flatMap((resource) =>
            resource.physicalId !== undefined && resource.status !== 'skipped'
              ? [[resource.logicalId, resource.physicalId]]
              : [],
          ),
        ),
      ]),
    ),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
