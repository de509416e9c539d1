// A fresh in-memory local cloud with (some of) the synthesized scenario stacks deployed, and the
// workbench Target for it: what `npm start` sets up, for tests of deploy-edit, checks and the CLI.
import { writeFileSync } from 'node:fs';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { deployCloudAssembly } from '../../../../infra/local/deploy/deploy.ts';
import { memoryStateStore } from '../../../../infra/local/deploy/state.ts';
import { LOCAL_CREDENTIALS, type StackOutputsFile, type Target } from '../../../../site/server/target.ts';
import { synthesizedAssembly } from '../../../infra/local/deploy/assembly.ts';

export interface DeployedCloud {
  readonly cloud: LocalCloud;
  readonly target: Target;
  /** The stack outputs file `npm start` would write for this cloud. */
  readonly outputsFile: StackOutputsFile;
  /** Writes the stack outputs file to `path`. */
  writeOutputs(path: string): void;
  close(): Promise<void>;
}

/**
 * Starts a cloud and deploys `stacks` (default every stack) of the synthesized assembly; `origins`
 * are the pages allowed to call it from a browser (a workbook standing in front of it).
 */
export async function startDeployedCloud(
  stacks?: readonly string[],
  origins?: readonly string[],
): Promise<DeployedCloud> {
  const assembly = await synthesizedAssembly();
  const cloud = await startLocalCloud({
    port: 0,
    inMemory: true,
    asyncRetryDelaysMs: [200, 200],
    streamRetryDelayMs: 200,
    ...(origins ? { allowedOrigins: origins } : {}),
  });
  try {
    const deployed = await deployCloudAssembly(assembly, {
      endpoint: cloud.endpoint,
      state: memoryStateStore(),
      ...(stacks ? { stacks } : {}),
    });
    const outputsFile: StackOutputsFile = {
      target: 'local',
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      stacks: Object.fromEntries(deployed.map((stack) => [stack.stackName, stack.outputs])),
    };
    const target: Target = {
      kind: 'local',
      region: outputsFile.region,
      endpoint: cloud.endpoint,
      credentials: LOCAL_CREDENTIALS,
      stacks: outputsFile.stacks,
    };
    return {
      cloud,
      target,
      outputsFile,
      writeOutputs: (path) => writeFileSync(path, JSON.stringify(outputsFile, null, 2)),
      close: () => cloud.close(),
    };
  } catch (error) {
    await cloud.close();
    throw error;
  }
}
