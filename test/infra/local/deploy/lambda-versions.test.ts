// CDK's currentVersion, aliases with weighted routing, async invoke config (onFailure/onSuccess,
// retryAttempts, maxEventAge) and reserved concurrency, synthesized by the real aws-cdk-lib and
// deployed to the local cloud (with IAM enforced: destinations are delivered with the execution role).
import { rmSync } from 'node:fs';
import {
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { deployStack } from '../../../../infra/local/deploy/deploy.ts';
import { memoryStateStore } from '../../../../infra/local/deploy/state.ts';
import { loadCloudAssembly } from '../../../../infra/local/deploy/template.ts';
import type { TraceEvent } from '../../../../infra/local/trace/bus.ts';
import { BASIC_FIXTURES } from '../../../helpers/lambda-cloud.ts';
import { projectScratchDir } from '../../../helpers/project-scratch.ts';

let cloud: LocalCloud;
let client: LambdaClient;
let outdir: string;
const seen: TraceEvent[] = [];

/** A stack as a learner's CDK code would write it, synthesized for real. */
function synthesize(): ReturnType<typeof loadCloudAssembly>[number] {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Versions');
  const code = lambda.Code.fromAsset(BASIC_FIXTURES);
  const recorder = new lambda.Function(stack, 'Recorder', {
    functionName: 'recorder',
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'echo.handler',
    code,
  });
  const worker = new lambda.Function(stack, 'Worker', {
    functionName: 'worker',
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'throws.handler',
    code,
    retryAttempts: 0,
    maxEventAge: Duration.minutes(5),
    onFailure: new LambdaDestination(recorder),
    reservedConcurrentExecutions: 5,
  });
  const v1 = worker.currentVersion;
  new lambda.Alias(stack, 'Live', {
    aliasName: 'live',
    version: v1,
    description: 'what callers use',
  });
  app.synth();
  const [artifact] = loadCloudAssembly(outdir);
  return artifact!;
}

beforeAll(async () => {
  outdir = projectScratchDir('lambda-versions-cdk-');
  cloud = await startLocalCloud({ port: 0, inMemory: true, asyncRetryDelaysMs: [50, 100] });
  cloud.trace.subscribe((event) => seen.push(event));
  client = new LambdaClient({
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: cloud.adminCredentials,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client?.destroy();
  await cloud?.close();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('deploying Lambda versions, aliases and async settings from CDK', () => {
  it('deploys currentVersion, an alias on it, the EventInvokeConfig and the reserved concurrency', async () => {
    // GIVEN the synthesized stack
    const artifact = synthesize();
    const types = Object.values(artifact.template.Resources).map((r) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining(['AWS::Lambda::Version', 'AWS::Lambda::Alias', 'AWS::Lambda::EventInvokeConfig']),
    );

    // WHEN it is deployed
    const result = await deployStack(artifact, {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state: memoryStateStore(),
    });

    // THEN every resource was created, none skipped
    expect(result.resources.filter((r) => r.status !== 'created')).toEqual([]);
    const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'worker' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    const alias = await client.send(new GetAliasCommand({ FunctionName: 'worker', Name: 'live' }));
    expect(alias).toMatchObject({ FunctionVersion: '1', Description: 'what callers use' });
    const config = await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker' }));
    expect(config).toMatchObject({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: {
        OnSuccess: {},
        OnFailure: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:recorder' },
      },
    });
    const concurrency = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'worker' }));
    expect(concurrency.ReservedConcurrentExecutions).toBe(5);
  }, 120_000);

  it('runs the alias, and delivers a failed event to the destination with the role CDK granted', async () => {
    // WHEN the alias is invoked synchronously and $LATEST asynchronously
    const sync = await client.send(new InvokeCommand({ FunctionName: 'worker:live', Payload: '{"error_msg":"x"}' }));
    const queued = await client.send(
      new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: '{"error_msg":"y"}' }),
    );

    // THEN the alias ran version 1, and the failure record reached the recorder (IAM allowed the delivery)
    expect(sync.ExecutedVersion).toBe('1');
    expect(sync.FunctionError).toBe('Unhandled');
    const requestId = queued.$metadata.requestId;
    const delivered = await new Promise<TraceEvent>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('no destination event')), 20_000);
      const check = setInterval(() => {
        const found = seen.find((e) => e.type === 'lambda.async.destination' && e.requestId === requestId);
        if (found) {
          clearInterval(check);
          clearTimeout(deadline);
          resolve(found);
        }
      }, 50);
    });
    expect(delivered.detail).toMatchObject({ delivered: true, condition: 'RetriesExhausted', member: 'OnFailure' });
  }, 30_000);

  it('does not deliver with a role that was never granted the destination (as AWS, a delivery failure)', async () => {
    // GIVEN the recorder (whose role may not invoke the worker) sends its successes to the worker
    await client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'recorder',
        DestinationConfig: { OnSuccess: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:worker' } },
      }),
    );

    // WHEN the recorder runs asynchronously and succeeds
    const queued = await client.send(
      new InvokeCommand({ FunctionName: 'recorder', InvocationType: 'Event', Payload: '{}' }),
    );

    // THEN the delivery is refused by IAM and traced as a failure
    const requestId = queued.$metadata.requestId;
    const deadline = Date.now() + 20_000;
    let delivery: TraceEvent | undefined;
    while (delivery === undefined && Date.now() < deadline) {
      delivery = seen.find((e) => e.type === 'lambda.async.destination' && e.requestId === requestId);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(delivery?.detail).toMatchObject({
      delivered: false,
      condition: 'Success',
      error: expect.stringContaining('is not authorized to perform: lambda:InvokeFunction'),
    });
  }, 30_000);
});
