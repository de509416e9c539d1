// The instructors' page followed on a learner's clone: `npm run synth -- -c learners=ada,grace`
// (the class's stacks, in cdk.out), then `npm start`'s synth-and-deploy path. The local workbook
// must still get its four scenario stacks, and the class synth must stay as the instructor left it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import { SCENARIOS } from '../../scenarios/catalog.ts';
import { readTemplate } from '../../site/server/flow.ts';
import { LOCAL_ASSEMBLY_DIR } from '../../site/server/runtime.ts';
import { parseStackOutputs } from '../../site/server/target.ts';
import { deployLocalStacks, SCENARIO_STACKS } from '../../tools/local-stacks.ts';
import { projectScratchDir } from '../helpers/project-scratch.ts';
import { PROJECT_ROOT } from '../infra/local/deploy/assembly.ts';

/** A clone of the project in a temporary folder: its sources linked, its build outputs its own. */
function cloneProject(): string {
  const root = projectScratchDir('workbook-clone-');
  for (const entry of ['infra', 'scenarios', 'node_modules', 'package-lock.json']) {
    symlinkSync(join(PROJECT_ROOT, entry), join(root, entry));
  }
  copyFileSync(join(PROJECT_ROOT, 'cdk.json'), join(root, 'cdk.json'));
  return root;
}

/** The stack names of a cloud assembly's manifest. */
function assemblyStacks(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string }>;
  };
  return Object.entries(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([name]) => name)
    .sort();
}

const root = cloneProject();
let cloud: LocalCloud | undefined;
afterAll(async () => {
  await cloud?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the local workbook and a class synth', () => {
  it('keeps each other’s output: after `npm run synth -- -c learners=ada,grace`, the local start deploys the four scenario stacks', {
    timeout: 240_000,
  }, async () => {
    // GIVEN the instructors' page's synth, run as `npm run synth` runs it (cdk.json's output: cdk.out)
    const synth = spawnSync(
      process.execPath,
      [join(root, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '--no-notices', '-c', 'learners=ada,grace'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}` },
      },
    );
    expect(synth.status, synth.stderr).toBe(0);
    const classStacks = assemblyStacks(join(root, 'cdk.out'));
    expect(classStacks).toContain('LambdaWorkbook-ada-Thumbnails');
    expect(classStacks).not.toContain('LambdaWorkbook-Thumbnails');

    // WHEN `npm start` synthesizes and deploys to its local cloud
    cloud = await startLocalCloud({ port: 0, inMemory: true });
    const outputsFile = join(root, '.data', 'stack-outputs.json');
    const lines: string[] = [];
    const deployment = await deployLocalStacks({
      root,
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      outputsFile,
      print: (line) => lines.push(line),
    });

    // THEN the four scenario stacks are deployed, from the local workbook's own assembly
    expect(deployment.synthesized).toBe(true);
    expect(deployment.stacks.map((stack) => stack.stackName).sort()).toEqual([...SCENARIO_STACKS].sort());
    expect(assemblyStacks(join(root, LOCAL_ASSEMBLY_DIR))).toEqual([...SCENARIO_STACKS].sort());
    expect(lines.join('\n')).toContain(`Deploying ${join(root, LOCAL_ASSEMBLY_DIR)}`);
    // … the workbench finds them (its outputs file, its flow diagram) and each function exists
    const outputs = parseStackOutputs(readFileSync(outputsFile, 'utf8'), outputsFile);
    const lambda = new LambdaClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
    });
    for (const scenario of Object.values(SCENARIOS)) {
      const functionName = outputs.stacks[scenario.stack]?.[scenario.functions[0].output];
      expect(functionName, scenario.stack).toBeDefined();
      const fn = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
      expect(fn.Configuration?.State).toBe('Active');
      expect(readTemplate(root, scenario.stack), scenario.stack).toBeDefined();
    }
    // … and the instructor's class synth is still in cdk.out, untouched
    expect(assemblyStacks(join(root, 'cdk.out'))).toEqual(classStacks);
  });
});
