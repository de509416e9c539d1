// Qualifiers where other services name a function: an API Gateway integration on an alias (with
// the alias's own permission), an event source mapping on an alias, and the same region checks.
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import type { TraceEvent } from '../../../../infra/local/trace/bus.ts';
import { ROLE, zipOf } from '../../../helpers/lambda-cloud.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:site';
const code = (tag: string) =>
  zipOf({
    'index.mjs': `export const handler = async (event) => { console.log('${tag}', JSON.stringify(event).length); return '${tag}'; };\n`,
  });

let cloud: LocalCloud;
let lambda: LambdaClient;
const seen: TraceEvent[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false });
  cloud.trace.subscribe((event) => seen.push(event));
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials, maxAttempts: 1 };
  lambda = new LambdaClient(config);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'site',
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: code('v1') },
    }),
  );
  await lambda.send(new PublishVersionCommand({ FunctionName: 'site' }));
  await lambda.send(new CreateAliasCommand({ FunctionName: 'site', Name: 'live', FunctionVersion: '1' }));
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'site', ZipFile: code('latest') }));
});
afterAll(async () => {
  lambda?.destroy();
  await cloud?.close();
});

describe('an HTTP API integration on an alias', () => {
  it('runs the alias’s version once the alias itself grants apigateway.amazonaws.com; a grant on the function is not enough', async () => {
    // Prepare
    const apigateway = new ApiGatewayV2Client({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
    });
    const api = await apigateway.send(
      new CreateApiCommand({ Name: 'site', ProtocolType: 'HTTP', Target: `${ARN}:live` }),
    );
    apigateway.destroy();
    const url = `${cloud.endpoint}/_aws/execute-api/${api.ApiId}/`;
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'site',
        StatementId: 'fn',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      }),
    );

    // Act
    const withoutAliasGrant = await fetch(url);
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: `${ARN}:live`,
        StatementId: 'alias',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      }),
    );
    const withAliasGrant = await fetch(url);

    // Assess
    expect(withoutAliasGrant.status).toBe(500);
    expect(withAliasGrant.status).toBe(200);
    expect(await withAliasGrant.text()).toContain('v1');
  });
});

describe('an event source mapping on an alias', () => {
  it('records the qualified FunctionArn and invokes the alias’s version', async () => {
    // Prepare
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
    });
    const table = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'clicks',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );

    // Act
    const mapping = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'site:live',
        EventSourceArn: table.TableDescription?.LatestStreamArn,
        StartingPosition: 'LATEST',
      }),
    );
    const crossRegion = await lambda
      .send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'arn:aws:lambda:eu-central-1:000000000000:function:site',
          EventSourceArn: table.TableDescription?.LatestStreamArn,
          StartingPosition: 'LATEST',
        }),
      )
      .catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the mapping becomes Enabled
    await dynamodb.send(new PutItemCommand({ TableName: 'clicks', Item: { id: { S: 'a' } } }));
    dynamodb.destroy();
    const deadline = Date.now() + 20_000;
    let run: TraceEvent | undefined;
    while (run === undefined && Date.now() < deadline) {
      run = seen.find((e) => e.type === 'lambda.invoke.start' && (e.detail as { source?: string }).source === 'esm');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Assess
    expect(mapping.FunctionArn).toBe(`${ARN}:live`);
    expect(crossRegion).toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')",
    });
    expect(run?.detail).toMatchObject({ functionName: 'site', version: '1' });
  }, 40_000);
});
