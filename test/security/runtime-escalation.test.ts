// Handler code acting as more than its execution role, from inside its environment: it used to
// sign with the public admin keys test/test, deploy a function whose `__local__` code location was
// any host folder and read it, and read another function's logs its role has no right to.
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import { createExecutionRole } from '../helpers/iam-roles.ts';
import { clientConfig, expectCloudAnswers } from './endpoint-helpers.ts';
import { MODES } from './runtime-kit.ts';

/** Each attempt answers the error's name, or 'allowed'. */
const escalate = `import { LambdaClient, CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
  import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
  const publicKeys = { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const localCode = (FunctionName) => new CreateFunctionCommand({
    FunctionName, Runtime: 'nodejs22.x', Handler: 'passwd.handler',
    Role: 'arn:aws:iam::000000000000:role/anything', Code: { S3Bucket: '__local__', S3Key: '/etc' },
  });
  const outcome = (call) => call.then(() => 'allowed', (error) => error.name);
  export const handler = async (event) => ({
    localCodeWithPublicKeys: await outcome(new LambdaClient(publicKeys).send(localCode('with-public-keys'))),
    localCodeWithOwnRole: await outcome(new LambdaClient({}).send(localCode('with-own-role'))),
    readOtherFunction: await outcome(new LambdaClient({}).send(new GetFunctionCommand({ FunctionName: event.other }))),
    readOtherLogs: await outcome(new CloudWatchLogsClient({}).send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/' + event.other }))),
  });`;

describe.each(MODES)('handler code acting beyond its role under the %s isolation', (sandbox) => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, inMemory: true, sandbox });
    lambda = new LambdaClient(clientConfig(cloud));
    // A role that may write its own logs (AWSLambdaBasicExecutionRole) and nothing else.
    const role = await createExecutionRole(cloud, 'escalate-role', []);
    for (const [name, source] of [
      ['escalate', escalate],
      ['neighbour', 'export const handler = async () => { console.log("neighbour secret"); return 1; };'],
    ] as const) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: role,
          Timeout: 30,
          Code: { ZipFile: zipSync({ 'index.mjs': new TextEncoder().encode(source) }) },
        }),
      );
    }
    await lambda.send(new InvokeCommand({ FunctionName: 'neighbour' }));
  }, 60_000);
  afterAll(async () => {
    lambda?.destroy();
    await cloud?.close();
  });

  it('cannot sign with test/test, deploy a host folder, or read another function or its logs', async () => {
    // Act
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'escalate', Payload: JSON.stringify({ other: 'neighbour' }) }),
    );

    // Assess
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(result.Payload))).toEqual({
      localCodeWithPublicKeys: 'UnrecognizedClientException',
      localCodeWithOwnRole: 'AccessDeniedException',
      readOtherFunction: 'AccessDeniedException',
      readOtherLogs: 'AccessDeniedException',
    });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'with-public-keys' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'with-own-role' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expectCloudAnswers(cloud);
  }, 60_000);
});
