// A scenario stack's AWS::Logs::LogGroup, deployed from the real synthesized cloud assembly: the
// group exists with its retention, and the function (LoggingConfig.LogGroup) writes into it.
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { deployStack, destroyStack, type StackDeployment } from '../../../../infra/local/deploy/deploy.ts';
import { type DeploymentStateStore, memoryStateStore } from '../../../../infra/local/deploy/state.ts';
import { loadCloudAssembly } from '../../../../infra/local/deploy/template.ts';
import { synthesizedAssembly } from '../deploy/assembly.ts';

const STACK = 'LambdaWorkbook-WebBackend';

let cloud: LocalCloud;
let state: DeploymentStateStore;
let deployed: StackDeployment;
let logs: CloudWatchLogsClient;
let lambda: LambdaClient;

beforeAll(async () => {
  const assembly = await synthesizedAssembly();
  const stack = loadCloudAssembly(assembly).find((candidate) => candidate.stackName === STACK);
  if (stack === undefined) throw new Error(`${STACK} is not in the cloud assembly`);
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  state = memoryStateStore();
  deployed = await deployStack(stack, { endpoint: cloud.endpoint, credentials: cloud.adminCredentials, state });
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials, maxAttempts: 1 };
  logs = new CloudWatchLogsClient(config);
  lambda = new LambdaClient(config);
}, 180_000);

afterAll(async () => {
  logs?.destroy();
  lambda?.destroy();
  await cloud?.close();
});

describe('AWS::Logs::LogGroup', () => {
  it('exists after the deploy, named as CloudFormation names it, with the template’s retention', async () => {
    const name = deployed.outputs.ApiLogGroupName!;
    expect(name).toMatch(/^LambdaWorkbook-WebBackend-WebBackendApiFunctionLogGroup[A-Z0-9]+-[A-Za-z0-9]+$/);
    const resource = deployed.resources.find((r) => r.type === 'AWS::Logs::LogGroup');
    expect(resource?.status).toBe('created');
    expect(deployed.skipped.map((r) => r.type)).not.toContain('AWS::Logs::LogGroup');
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    expect(logGroups?.map((group) => [group.logGroupName, group.retentionInDays])).toEqual([[name, 7]]);
  });

  it('receives the function’s lines (its LoggingConfig names the group)', async () => {
    const name = deployed.outputs.ApiLogGroupName!;
    const invoked = await lambda.send(
      new InvokeCommand({ FunctionName: deployed.outputs.ApiFunctionName!, Payload: JSON.stringify({}) }),
    );
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: name, filterPattern: 'REPORT' }));
    expect(events?.map((event) => event.message?.split('\t')[0])).toEqual([
      `REPORT RequestId: ${invoked.$metadata.requestId}`,
    ]);
    const lambdaDefault = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${deployed.outputs.ApiFunctionName}` }),
    );
    expect(lambdaDefault.logGroups).toEqual([]);
  }, 60_000);

  it('is deleted with the stack', async () => {
    const name = deployed.outputs.ApiLogGroupName!;
    await destroyStack(STACK, { endpoint: cloud.endpoint, credentials: cloud.adminCredentials, state });
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    expect(logGroups).toEqual([]);
  }, 60_000);
});
