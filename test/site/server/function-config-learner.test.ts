// The configuration view with a class-sandbox learner's real grants: the class stacks
// (`-c learners=ada,grace`) deployed to a local cloud that enforces IAM, the workbook signing with
// ada's learner role. Every section reads (no "Not allowed"), the mobile app's trigger and each
// function's resource-based policy included, and a change to her own function goes through; the
// same look-ups of grace's copy are refused.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../infra/local/cloud.ts';
import { deployCloudAssembly, type StackDeployment } from '../../../infra/local/deploy/deploy.ts';
import { memoryStateStore } from '../../../infra/local/deploy/state.ts';
import { SCENARIO_IDS, SCENARIOS } from '../../../scenarios/catalog.ts';
import { readFunctionConfig, updateFunctionConfig } from '../../../site/server/function-config.ts';
import { awsTarget, type StackOutputsFile, type Target } from '../../../site/server/target.ts';
import { synthesizedAssembly } from '../../infra/local/deploy/assembly.ts';

let cloud: LocalCloud;
let deployed: StackDeployment[];
let outputsFile: StackOutputsFile;

/** ada's learner role's temporary credentials, as a sandbox target for `learner`'s copy. */
async function adaTarget(learner: string): Promise<Target> {
  const sts = new STSClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials });
  try {
    const roleArn = deployed.find((d) => d.stackName === 'LambdaWorkbook-Class')?.outputs.adaRoleArn;
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ada' }));
    return awsTarget({
      outputs: outputsFile,
      scenarioStacks: Object.values(SCENARIOS).map((scenario) => scenario.stack),
      learner,
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? '',
        secretAccessKey: Credentials?.SecretAccessKey ?? '',
        sessionToken: Credentials?.SessionToken ?? '',
      },
    });
  } finally {
    sts.destroy();
  }
}

beforeAll(async () => {
  const assembly = await synthesizedAssembly({ learners: 'ada,grace' });
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  deployed = await deployCloudAssembly(assembly, {
    endpoint: cloud.endpoint,
    credentials: cloud.adminCredentials,
    state: memoryStateStore(),
  });
  outputsFile = {
    target: 'aws',
    region: 'us-east-1',
    stacks: Object.fromEntries(deployed.map((d) => [d.stackName, d.outputs])),
  } as StackOutputsFile;
}, 300_000);

afterAll(async () => {
  await cloud?.close();
});

const functionsOf = SCENARIO_IDS.flatMap((scenario) =>
  SCENARIOS[scenario].functions.map((fn, functionIndex) => [scenario, functionIndex, fn.title] as const),
);

describe("the configuration view with ada's learner role", () => {
  it.each(functionsOf)('%s, function %i (%s): every section reads', async (scenario, functionIndex) => {
    const view = await readFunctionConfig({ target: await adaTarget('ada'), scenario, functionIndex });
    expect(view.triggers.unreadable, JSON.stringify(view.triggers.unreadable)).toEqual([]);
    expect(view.role.ok, JSON.stringify(view.role)).toBe(true);
    expect(view.resourcePolicy.ok, JSON.stringify(view.resourcePolicy)).toBe(true);
    expect(view.triggers.found.length).toBeGreaterThan(0);
  });

  it("finds stream-metrics' mappings by their ids (she may not list the account's)", async () => {
    const view = await readFunctionConfig({ target: await adaTarget('ada'), scenario: 'stream-metrics' });
    expect(view.triggers.found).toEqual([
      expect.objectContaining({ kind: 'event-source-mapping', eventSourceArn: expect.stringContaining(':dynamodb:') }),
    ]);
  });

  it('shows who may invoke the clicks function: the guest role, allowed by its own policy', async () => {
    const view = await readFunctionConfig({ target: await adaTarget('ada'), scenario: 'mobile-clicks' });
    const outputs = outputsFile.stacks['LambdaWorkbook-ada-MobileClicks'] ?? {};
    expect(view.triggers.found).toEqual([
      expect.objectContaining({
        kind: 'identity-pool-invoke',
        roleArn: outputs.UnauthenticatedRoleArn,
        identityPoolId: outputs.IdentityPoolId,
        invocationType: 'RequestResponse',
      }),
    ]);
    const [trigger] = view.triggers.found;
    if (trigger?.kind !== 'identity-pool-invoke') throw new Error('no identity pool trigger');
    expect(trigger.statements).toHaveLength(1);
    expect(trigger.statements[0]?.statement).toMatchObject({
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: view.functionArn,
    });
    expect(JSON.stringify(trigger.trustPolicy)).toContain('cognito-identity.amazonaws.com');
    // No resource-based policy: the guest role's own policy is what lets the app in.
    expect(view.resourcePolicy).toEqual({ ok: true, value: null });
  });

  it("changes her own function's timeout", async () => {
    const view = await updateFunctionConfig({
      target: await adaTarget('ada'),
      scenario: 'web-backend',
      update: { timeout: 7 },
      pollMs: 50,
    });
    expect(view.timeout).toBe(7);
  });

  it("is refused the same look-ups of grace's copy, each explained", async () => {
    const view = readFunctionConfig({ target: await adaTarget('grace'), scenario: 'thumbnails' });
    // GetFunction itself is refused: the view cannot be built, and says why.
    await expect(view).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
