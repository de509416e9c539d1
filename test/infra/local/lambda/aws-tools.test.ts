// Versions, aliases, event invoke config and throttling driven by boto3 and the AWS CLI v2:
// each parses the local cloud's answers as it parses AWS's.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { readRecording } from '../../../helpers/recordings.ts';

const run = promisify(execFile);
let cloud: LocalCloud;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false, asyncRetryDelaysMs: [10, 10] });
  work = mkdtempSync(join(tmpdir(), 'lambda-aws-tools-'));
  env = {
    PATH: process.env.PATH,
    HOME: work,
    AWS_CONFIG_FILE: join(work, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
    AWS_ACCESS_KEY_ID: cloud.adminCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cloud.adminCredentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    ENDPOINT: cloud.endpoint,
  };
  writeFileSync(
    join(work, 'function.zip'),
    zipSync({
      'index.mjs': new TextEncoder().encode(
        'export const handler = async (e, context) => ({ version: context.functionVersion, event: e });\n',
      ),
    }),
  );
});
afterAll(async () => {
  await cloud?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs a boto3 script; it prints one JSON document. */
// biome-ignore lint/suspicious/noExplicitAny: boto3 prints free-form JSON read by the test
async function boto3(script: string): Promise<Record<string, any>> {
  const prelude = `
import boto3, json, base64, sys, os
from botocore.config import Config
from botocore.exceptions import ClientError
# One attempt: botocore would otherwise retry the throttle.
client = boto3.client('lambda', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', config=Config(retries={'total_max_attempts': 1}))
def err(call):
    try:
        call()
    except ClientError as e:
        r = dict(e.response)
        r.pop('ResponseMetadata', None)
        r['HTTPStatusCode'] = e.response['ResponseMetadata']['HTTPStatusCode']
        return r
    return None
`;
  const { stdout } = await run('/usr/bin/python3', ['-c', prelude + script], { env, cwd: work });
  return JSON.parse(stdout);
}

describe('boto3', () => {
  it('publishes, aliases with weights, invokes a qualifier, configures async invocation', async () => {
    // Act
    const out = await boto3(`
code = open('function.zip', 'rb').read()
client.create_function(FunctionName='py', Runtime='nodejs22.x', Role='arn:aws:iam::000000000000:role/r', Handler='index.handler', Code={'ZipFile': code})
v1 = client.publish_version(FunctionName='py')
alias = client.create_alias(FunctionName='py', Name='live', FunctionVersion=v1['Version'], RoutingConfig={'AdditionalVersionWeights': {}})
inv = client.invoke(FunctionName='py', Qualifier='live', Payload=b'{"a": 1}')
conf = client.put_function_event_invoke_config(FunctionName='py', Qualifier='live', MaximumRetryAttempts=1, MaximumEventAgeInSeconds=600)
versions = client.list_versions_by_function(FunctionName='py')
missing = err(lambda: client.get_alias(FunctionName='py', Name='nope'))
region = err(lambda: client.get_function(FunctionName='arn:aws:lambda:eu-central-1:000000000000:function:py'))
print(json.dumps({
  'version': v1['Version'], 'alias': alias['AliasArn'], 'executed': inv['ExecutedVersion'],
  'payload': json.loads(inv['Payload'].read()), 'config': {k: conf[k] for k in ('FunctionArn', 'MaximumRetryAttempts', 'MaximumEventAgeInSeconds')},
  'lastModifiedType': type(conf['LastModified']).__name__,
  'versions': [v['Version'] for v in versions['Versions']], 'missing': missing, 'region': region,
}))
`);

    // Assess
    expect(out).toMatchObject({
      version: '1',
      alias: 'arn:aws:lambda:us-east-1:000000000000:function:py:live',
      executed: '1',
      payload: { version: '1', event: { a: 1 } },
      config: {
        FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:py:live',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 600,
      },
      lastModifiedType: 'datetime',
      versions: ['$LATEST', '1'],
    });
    expect(out.missing).toMatchObject({
      Error: {
        Code: 'ResourceNotFoundException',
        Message: 'Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:py:nope',
      },
      HTTPStatusCode: 404,
    });
    expect(out.region.Error.Message).toBe(
      "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')",
    );
  }, 60_000);

  it('reads a throttle at reserved concurrency 0 exactly as recorded (botocore e.response)', async () => {
    // Prepare
    const recorded = readRecording('lambda-invoke-throttled-zero-reserved-concurrency.json').content
      .exc_no_cap_requestresponse;

    // Act
    const out = await boto3(`
client.create_function(FunctionName='py-zero', Runtime='nodejs22.x', Role='arn:aws:iam::000000000000:role/r', Handler='index.handler', Code={'ZipFile': open('function.zip', 'rb').read()})
put = client.put_function_concurrency(FunctionName='py-zero', ReservedConcurrentExecutions=0)
print(json.dumps({'put': put['ReservedConcurrentExecutions'], 'error': err(lambda: client.invoke(FunctionName='py-zero', Payload=b'{}'))}))
`);

    // Assess
    const { ResponseMetadata, ...expected } = recorded;
    expect(out.put).toBe(0);
    expect(out.error).toEqual({ ...expected, HTTPStatusCode: ResponseMetadata.HTTPStatusCode });
  }, 60_000);
});

describe('AWS CLI v2', () => {
  const aws = async (...args: string[]) => {
    const { stdout } = await run('/usr/bin/aws', ['--endpoint-url', cloud.endpoint, '--output', 'json', ...args], {
      env,
      cwd: work,
    });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  };

  it('publishes a version, routes an alias by weight and invokes it with --qualifier', async () => {
    // Prepare
    await aws(
      'lambda',
      'create-function',
      '--function-name',
      'cli-fn',
      '--runtime',
      'nodejs22.x',
      '--role',
      'arn:aws:iam::000000000000:role/r',
      '--handler',
      'index.handler',
      '--zip-file',
      `fileb://${join(work, 'function.zip')}`,
    );

    // Act
    const v1 = await aws('lambda', 'publish-version', '--function-name', 'cli-fn', '--description', 'first');
    await aws('lambda', 'update-function-configuration', '--function-name', 'cli-fn', '--description', 'changed');
    const v2 = await aws('lambda', 'publish-version', '--function-name', 'cli-fn');
    const alias = await aws(
      'lambda',
      'create-alias',
      '--function-name',
      'cli-fn',
      '--name',
      'live',
      '--function-version',
      '2',
      '--routing-config',
      '{"AdditionalVersionWeights":{"1":0.25}}',
    );
    const invoked = await aws(
      'lambda',
      'invoke',
      '--function-name',
      'cli-fn',
      '--qualifier',
      '1',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"from":"cli"}',
      join(work, 'out.json'),
    );
    const config = await aws(
      'lambda',
      'put-function-event-invoke-config',
      '--function-name',
      'cli-fn',
      '--maximum-retry-attempts',
      '0',
      '--destination-config',
      '{"OnFailure":{"Destination":"arn:aws:s3:::somewhere"}}',
    );
    const refused = await aws(
      'lambda',
      'put-function-event-invoke-config',
      '--function-name',
      'cli-fn',
      '--destination-config',
      '{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:000000000000:q"}}',
    ).catch((error: { stderr: string }) => error.stderr);
    const aliases = await aws('lambda', 'list-aliases', '--function-name', 'cli-fn');

    // Assess
    expect(v1).toMatchObject({ Version: '1', Description: 'first' });
    expect(v2).toMatchObject({ Version: '2', Description: 'changed' });
    expect(alias).toMatchObject({
      Name: 'live',
      FunctionVersion: '2',
      RoutingConfig: { AdditionalVersionWeights: { '1': 0.25 } },
    });
    expect(invoked).toMatchObject({ StatusCode: 200, ExecutedVersion: '1' });
    expect(JSON.parse(readFileSync(join(work, 'out.json'), 'utf8'))).toEqual({ version: '1', event: { from: 'cli' } });
    expect(config).toMatchObject({
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:cli-fn:$LATEST',
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::somewhere' } },
    });
    expect(refused).toMatch(/InvalidParameterValueException.*does not deliver to Amazon SQS queues/s);
    expect(aliases.Aliases.map((a: { Name: string }) => a.Name)).toEqual(['live']);
  }, 120_000);
});
