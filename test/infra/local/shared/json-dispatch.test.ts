import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CognitoIdentityClient,
  CognitoIdentityServiceException,
  CreateIdentityPoolCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
} from '@aws-sdk/client-cognito-identity';
import { CreateStreamCommand, KinesisClient, KinesisServiceException } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import type { Service, ServiceRequest } from '../../../../infra/local/edge/types.ts';

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
});
afterAll(async () => {
  await cloud?.close();
});

const config = () => ({
  endpoint: cloud.endpoint,
  region: 'us-east-1',
  credentials: cloud.adminCredentials,
  maxAttempts: 1,
});

async function failure<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(error)}`);
  return error as E & { $metadata: { httpStatusCode?: number } };
}

/** The three JSON 1.1 services that share dispatchJson, by X-Amz-Target prefix and one operation each. */
const SERVICES: readonly [string, (cloud: LocalCloud) => Service, string, string][] = [
  ['Kinesis', (c) => c.kinesis, 'Kinesis_20131202.ListStreams', 'Kinesis_20131202.SplitShard'],
  ['CloudWatch Logs', (c) => c.logs, 'Logs_20140328.DescribeLogGroups', 'Logs_20140328.StartQuery'],
  [
    'Cognito Identity',
    (c) => c.cognito,
    'AWSCognitoIdentityService.ListIdentityPools',
    'AWSCognitoIdentityService.MergeDeveloperIdentities',
  ],
];

const request = (target: string, contentType: string, body: string): ServiceRequest => ({
  method: 'POST',
  rawPath: '/',
  query: new URLSearchParams(),
  headers: { 'x-amz-target': target, 'content-type': contentType },
  body: Buffer.from(body),
  service: 'test',
  region: 'us-east-1',
  requestId: 'req-1',
  caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
});

describe('one JSON request cycle for Kinesis, CloudWatch Logs and Cognito Identity (dispatchJson)', () => {
  it.each(SERVICES)('%s refuses a CBOR body with SerializationException', async (title, service, target) => {
    // Act
    const response = await service(cloud).handle(request(target, 'application/x-amz-cbor-1.1', '\xa0'));

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(String(response.body))).toEqual({
      __type: 'SerializationException',
      message: `The local cloud speaks JSON 1.1 to ${title} clients, not CBOR.`,
    });
  });

  it.each(SERVICES)(
    '%s answers an operation it does not implement with NotImplemented naming it',
    async (title, service, _, missing) => {
      // Act
      const response = await service(cloud).handle(request(missing, 'application/x-amz-json-1.1', '{}'));

      // Assess
      const operation = missing.split('.')[1];
      expect(response.status).toBe(501);
      expect(JSON.parse(String(response.body))).toEqual({
        __type: 'NotImplemented',
        message: `The local cloud does not implement ${title} ${operation} (yet).`,
      });
    },
  );

  it.each(SERVICES)('%s refuses a member its operation does not declare, naming it', async (_, service, target) => {
    // Act
    const response = await service(cloud).handle(
      request(target, 'application/x-amz-json-1.1', '{"SomethingNew":true}'),
    );

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(String(response.body)).message).toBe(
      `The local cloud does not support the SomethingNew parameter of ${target.split('.')[1]}.`,
    );
  });
});

describe('parameters the local cloud does not support are refused by name, in each service’s error', () => {
  it('Kinesis: CreateStream with Tags is an InvalidArgumentException', async () => {
    // Prepare
    const kinesis = new KinesisClient(config());

    // Act
    const error = await failure(
      kinesis.send(new CreateStreamCommand({ StreamName: 'tagged', ShardCount: 1, Tags: { lesson: 'x' } })),
      KinesisServiceException,
    );

    // Assess
    expect(error.name).toBe('InvalidArgumentException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      'The local cloud does not support the Tags parameter of CreateStream (stream tags are not modelled).',
    );
  });

  it('CloudWatch Logs: PutLogEvents with an entity is an InvalidParameterException', async () => {
    // Prepare
    const logs = new CloudWatchLogsClient(config());
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/entity' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/entity', logStreamName: 's' }));

    // Act
    const error = await failure(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: '/entity',
          logStreamName: 's',
          logEvents: [{ timestamp: Date.now(), message: 'hi' }],
          entity: { keyAttributes: { Type: 'Service' } },
        }),
      ),
      CloudWatchLogsServiceException,
    );

    // Assess
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toBe(
      'The local cloud does not support the entity parameter of PutLogEvents (telemetry entities are not modelled).',
    );
  });

  it('Cognito Identity: PrincipalTags, which would be dropped, is an InvalidParameterException', async () => {
    // Prepare
    const cognito = new CognitoIdentityClient(config());
    const pool = await cognito.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'tags',
        AllowUnauthenticatedIdentities: false,
        DeveloperProviderName: 'login.workbook',
      }),
    );

    // Act
    const error = await failure(
      cognito.send(
        new GetOpenIdTokenForDeveloperIdentityCommand({
          IdentityPoolId: pool.IdentityPoolId,
          Logins: { 'login.workbook': 'user-1' },
          PrincipalTags: { team: 'blue' },
        }),
      ),
      CognitoIdentityServiceException,
    );

    // Assess
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toBe(
      'The local cloud does not support the PrincipalTags parameter of GetOpenIdTokenForDeveloperIdentity (principal tags for access control are not modelled).',
    );
  });
});
