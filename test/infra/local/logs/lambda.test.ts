import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { zipOf } from '../../../helpers/lambda-cloud.ts';

const REGION = 'us-east-1';
const admin = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Logs a line, a multi-line string and its log group; fails on demand. */
const HANDLER = `
export const handler = async (event) => {
  console.log('handling', JSON.stringify(event));
  console.error('group is', process.env.AWS_LAMBDA_LOG_GROUP_NAME);
  if (event.fail) throw new Error('asked to fail');
  return { ok: true, stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME };
};
`;

let cloud: LocalCloud;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;

async function createFunction(name: string, extra: Record<string, unknown> = {}) {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/logs-test',
      Code: { ZipFile: zipOf({ 'index.mjs': HANDLER }) },
      ...extra,
    }),
  );
}

async function invoke(name: string, payload: unknown) {
  const result = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload) }));
  return { requestId: result.$metadata.requestId!, payload: JSON.parse(new TextDecoder().decode(result.Payload)) };
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  const config = { endpoint: cloud.endpoint, region: REGION, credentials: admin, maxAttempts: 1 };
  lambda = new LambdaClient(config);
  logs = new CloudWatchLogsClient(config);
}, 30_000);
afterAll(async () => {
  lambda?.destroy();
  logs?.destroy();
  await cloud?.close();
});

describe('Lambda writes its functions’ logs to CloudWatch Logs', () => {
  it('puts every line of an invocation in /aws/lambda/<name>, in a stream per execution environment', async () => {
    // GIVEN a function that logs
    await createFunction('logs-echo');
    // WHEN it is invoked twice (the second time warm)
    const first = await invoke('logs-echo', { n: 1 });
    const second = await invoke('logs-echo', { n: 2 });
    // THEN its log group (created by Lambda) holds START, the handler's lines, END and REPORT of each
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/logs-echo' }));
    const messages = (events ?? []).map((event) => event.message!);
    for (const { requestId } of [first, second]) {
      const start = messages.indexOf(`START RequestId: ${requestId} Version: $LATEST`);
      const end = messages.indexOf(`END RequestId: ${requestId}`);
      const report = messages.findIndex((m) => m.startsWith(`REPORT RequestId: ${requestId}\tDuration: `));
      const line = messages.findIndex((m) => m.includes(`\t${requestId}\tINFO\thandling`));
      expect(start).toBeGreaterThanOrEqual(0);
      expect(line).toBeGreaterThan(start);
      expect(end).toBeGreaterThan(line);
      expect(report).toBe(end + 1);
    }
    expect(messages.some((m) => m.endsWith('ERROR\tgroup is /aws/lambda/logs-echo'))).toBe(true);
    // one warm environment: one stream, named as Lambda names it, and the one the function was told
    const streams = new Set((events ?? []).map((event) => event.logStreamName));
    expect([...streams]).toEqual([first.payload.stream]);
    expect(first.payload.stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(first.payload.stream.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10).replaceAll('-', '/'));
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/logs-echo' }));
    expect(logStreams?.map((stream) => stream.logStreamName)).toEqual([first.payload.stream]);
  }, 30_000);

  it('writes a failing invocation’s error and REPORT too', async () => {
    await createFunction('logs-fail');
    const { requestId } = await invoke('logs-fail', { fail: true });
    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/logs-fail', filterPattern: `"${requestId}"` }),
    );
    const messages = (events ?? []).map((event) => event.message!);
    expect(messages.some((m) => m.includes('asked to fail'))).toBe(true);
    expect(messages.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${requestId}\\t`));
  }, 30_000);

  it('uses LoggingConfig.LogGroup when the function has one (and keeps the group it finds)', async () => {
    // GIVEN a log group made beforehand, with a retention, and a function configured to use it
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/workbook/custom' }));
    await createFunction('logs-custom', { LoggingConfig: { LogFormat: 'Text', LogGroup: '/workbook/custom' } });
    // WHEN it runs
    const { requestId } = await invoke('logs-custom', { n: 3 });
    // THEN its lines are in that group, not in /aws/lambda/logs-custom
    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/workbook/custom', filterPattern: 'REPORT' }),
    );
    expect(events?.map((event) => event.message?.split('\t')[0])).toEqual([`REPORT RequestId: ${requestId}`]);
    const { logGroups } = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/logs-custom' }),
    );
    expect(logGroups).toEqual([]);
    const told = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/workbook/custom', filterPattern: '"group is /workbook/custom"' }),
    );
    expect(told.events).toHaveLength(1);
  }, 30_000);

  it('reads the same lines with GetLogEvents from the stream', async () => {
    await createFunction('logs-get');
    const { payload, requestId } = await invoke('logs-get', { n: 4 });
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/lambda/logs-get',
        logStreamName: payload.stream,
        startFromHead: true,
      }),
    );
    expect(page.events?.[0]?.message).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(page.events?.at(-1)?.message).toMatch(/^REPORT RequestId: /);
  }, 30_000);
});

describe('LoggingConfig', () => {
  it('moves a function to another group with UpdateFunctionConfiguration, and refuses JSON logs', async () => {
    await createFunction('logs-moved');
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'logs-moved',
        LoggingConfig: { LogGroup: '/workbook/moved' },
      }),
    );
    const { requestId } = await invoke('logs-moved', { n: 5 });
    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/workbook/moved', filterPattern: `"${requestId}"` }),
    );
    expect(events?.length).toBeGreaterThanOrEqual(4);
    const refused = await lambda
      .send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'logs-moved', LoggingConfig: { LogFormat: 'JSON' } }),
      )
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(refused?.name).toBe('InvalidParameterValueException');
    expect(refused?.message).toContain('LoggingConfig.LogFormat JSON');
  }, 30_000);

  it('writes what an environment prints between invocations to its stream', async () => {
    // GIVEN a handler whose timer fires after it returned
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'logs-late',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/logs-test',
        Code: {
          ZipFile: zipOf({
            'index.mjs':
              "export const handler = async () => { setTimeout(() => console.log('late line'), 50); return 1; };",
          }),
        },
      }),
    );
    await invoke('logs-late', {});
    // WHEN the environment, frozen between invocations as on AWS, is thawed by the next one and the
    // timer has fired THEN its line is in the log group, in the environment's stream
    await new Promise((resolve) => setTimeout(resolve, 100));
    await invoke('logs-late', { again: true });
    const deadline = Date.now() + 10_000;
    let found: { logStreamName?: string }[] = [];
    while (found.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found =
        (
          await logs.send(
            new FilterLogEventsCommand({ logGroupName: '/aws/lambda/logs-late', filterPattern: '"late line"' }),
          )
        ).events ?? [];
    }
    expect(found).toHaveLength(1);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/logs-late' }));
    expect(logStreams?.map((stream) => stream.logStreamName)).toEqual([found[0]?.logStreamName]);
  }, 30_000);
});

describe('IAM for role credentials', () => {
  it('allows what a policy grants on log-group:NAME:*, and denies other groups and DescribeLogGroups', async () => {
    // GIVEN a role allowed to write and read one log group, as CDK's grants write it
    const config = { endpoint: cloud.endpoint, region: REGION, credentials: admin, maxAttempts: 1 };
    const iam = new IAMClient(config);
    const sts = new STSClient(config);
    const groupArn = 'arn:aws:logs:us-east-1:000000000000:log-group:/workbook/granted:*';
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'logs-reader',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'logs-reader',
        PolicyName: 'one-group',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
              Resource: groupArn,
            },
            { Effect: 'Allow', Action: 'logs:DescribeLogStreams', Resource: groupArn },
          ],
        }),
      }),
    );
    for (const name of ['/workbook/granted', '/workbook/other']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    }
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/logs-reader', RoleSessionName: 'reader' }),
    );
    iam.destroy();
    sts.destroy();
    const role = new CloudWatchLogsClient({
      endpoint: cloud.endpoint,
      region: REGION,
      maxAttempts: 1,
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      },
    });
    try {
      // WHEN the role works in its group THEN it may
      await role.send(new CreateLogStreamCommand({ logGroupName: '/workbook/granted', logStreamName: 'mine' }));
      await role.send(
        new PutLogEventsCommand({
          logGroupName: '/workbook/granted',
          logStreamName: 'mine',
          logEvents: [{ timestamp: Date.now(), message: 'allowed' }],
        }),
      );
      const read = await role.send(
        new GetLogEventsCommand({ logGroupName: '/workbook/granted', logStreamName: 'mine', startFromHead: true }),
      );
      expect(read.events?.map((event) => event.message)).toEqual(['allowed']);
      const streams = await role.send(new DescribeLogStreamsCommand({ logGroupName: '/workbook/granted' }));
      expect(streams.logStreams?.map((stream) => stream.logStreamName)).toEqual(['mine']);
      // … and elsewhere it may not, with AWS's AccessDeniedException
      const denied = await role
        .send(new CreateLogStreamCommand({ logGroupName: '/workbook/other', logStreamName: 'theirs' }))
        .then(
          () => undefined,
          (error: Error & { $metadata: { httpStatusCode?: number } }) => error,
        );
      expect(denied?.name).toBe('AccessDeniedException');
      expect(denied?.$metadata.httpStatusCode).toBe(400);
      expect(denied?.message).toBe(
        'User: arn:aws:sts::000000000000:assumed-role/logs-reader/reader is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:000000000000:log-group:/workbook/other:* because no identity-based policy allows the logs:CreateLogStream action',
      );
      const list = await role.send(new DescribeLogGroupsCommand({})).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(list?.message).toContain(
        'logs:DescribeLogGroups on resource: arn:aws:logs:us-east-1:000000000000:log-group:*',
      );
      const deleteGroup = await role.send(new DeleteLogGroupCommand({ logGroupName: '/workbook/granted' })).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(deleteGroup?.name).toBe('AccessDeniedException');
    } finally {
      role.destroy();
    }
  });
});
