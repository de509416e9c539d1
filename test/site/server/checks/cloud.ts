// A fresh in-memory local cloud with (some of) the synthesized scenario stacks deployed, and the
// workbench Target for it: what `npm start` sets up, for tests of deploy-edit, checks and the CLI.
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { deployCloudAssembly } from '../../../../infra/local/deploy/deploy.ts';
import { memoryStateStore } from '../../../../infra/local/deploy/state.ts';
import { readAdminKeys, writeAdminKeys } from '../../../../infra/local/edge/admin-keys.ts';
import type { StackOutputsFile, Target } from '../../../../site/server/target.ts';
import { synthesizedAssembly } from '../../../infra/local/deploy/assembly.ts';

export interface DeployedCloud {
  readonly cloud: LocalCloud;
  readonly target: Target;
  /** The stack outputs file `npm start` would write for this cloud. */
  readonly outputsFile: StackOutputsFile;
  /** Writes the stack outputs file to `path`, and the cloud's admin keys beside it (as `npm start` does). */
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
      credentials: cloud.adminCredentials,
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
      credentials: cloud.adminCredentials,
      stacks: outputsFile.stacks,
    };
    return {
      cloud,
      target,
      outputsFile,
      writeOutputs: (path) => {
        writeFileSync(path, JSON.stringify(outputsFile, null, 2));
        if (readAdminKeys(dirname(path)) === undefined) writeAdminKeys(dirname(path), cloud.adminCredentials);
      },
      close: () => cloud.close(),
    };
  } catch (error) {
    await cloud.close();
    throw error;
  }
}
