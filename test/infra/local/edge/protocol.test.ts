import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolOf } from '../../../../infra/local/edge/protocol.ts';
import { startEdge, type TestEdge } from '../../../helpers/edge.ts';
import { cleanAwsEnv } from '../../../helpers/workbook-modes.ts';

const run = promisify(execFile);

/** Services the local cloud does not model, one per protocol: [signing name, CLI command, boto3 call]. */
const UNMODELLED: readonly [string, string, readonly string[], string][] = [
  ['sns (query)', 'sns', ['sns', 'list-topics'], 'list_topics'],
  ['sqs (query from these clients)', 'sqs', ['sqs', 'list-queues'], 'list_queues'],
  ['ec2 (ec2 query)', 'ec2', ['ec2', 'describe-regions'], 'describe_regions'],
  ['route53 (rest-xml)', 'route53', ['route53', 'list-hosted-zones'], 'list_hosted_zones'],
  ['states (json)', 'states', ['stepfunctions', 'list-state-machines'], 'list_state_machines'],
  ['eks (rest-json)', 'eks', ['eks', 'list-clusters'], 'list_clusters'],
];
const BOTO3_CLIENT: Readonly<Record<string, string>> = { states: 'stepfunctions' };

let edge: TestEdge;
let work: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  edge = await startEdge([]);
  work = mkdtempSync(join(tmpdir(), 'workbook-protocol-'));
  env = cleanAwsEnv(work, {
    HOME: work,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  });
});
afterAll(async () => {
  await edge?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const message = (service: string) => `The local cloud does not implement the '${service}' service (yet).`;

describe('a service the local cloud does not model answers NotImplemented in its own protocol', () => {
  it.each(UNMODELLED)('%s: the AWS CLI reads the error', async (_, service, command) => {
    // Act
    const failed = await run('/usr/bin/aws', ['--endpoint-url', edge.endpoint, ...command], { env }).then(
      () => undefined,
      (error: { stderr: string }) => error,
    );

    // Assess
    expect(failed?.stderr).toContain('An error occurred (NotImplemented) when calling the');
    expect(failed?.stderr).toContain(message(service));
  });

  it('boto3 reads each one as NotImplemented with the message, status 501', async () => {
    // Prepare
    const calls = UNMODELLED.map(([, service, , method]) => [BOTO3_CLIENT[service] ?? service, method]);
    const script = `
import boto3, json, sys
from botocore.config import Config
from botocore.exceptions import ClientError
out = []
for client, method in json.loads(sys.argv[2]):
    c = boto3.client(client, endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test',
                     aws_secret_access_key='test', config=Config(retries={'max_attempts': 1}))
    try:
        getattr(c, method)()
        out.append(None)
    except ClientError as e:
        out.append([e.response['Error']['Code'], e.response['Error']['Message'],
                    e.response['ResponseMetadata']['HTTPStatusCode']])
print(json.dumps(out))
`;

    // Act
    const { stdout } = await run('/usr/bin/python3', ['-c', script, edge.endpoint, JSON.stringify(calls)], { env });

    // Assess
    expect(JSON.parse(stdout)).toEqual(UNMODELLED.map(([, service]) => ['NotImplemented', message(service), 501]));
  });
});

describe('protocolOf', () => {
  it.each([
    ['sns', {}, '', 'query'],
    ['sqs', { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, '', 'json'],
    ['sqs', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, '', 'query'],
    ['ec2', {}, 'Action=DescribeRegions&Version=2016-11-15', 'ec2'],
    ['route53', {}, '', 'rest-xml'],
    ['events', { 'x-amz-target': 'AWSEvents.ListRules' }, '', 'json'],
    ['eks', {}, '', 'rest-json'],
    ['s3', { 'x-amz-target': 'ignored' }, '', 'rest-xml'],
  ] as const)('%s %j %s → %s', (service, headers, query, protocol) => {
    expect(protocolOf(service, headers, query)).toBe(protocol);
  });
});
