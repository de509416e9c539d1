import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../infra/local/cloud.ts';
import { projectScratchDir } from '../../helpers/project-scratch.ts';

// The handler bundled as the CDK app bundles it (ESM index.mjs, AWS SDK external), run by the
// local cloud's Lambda runtime against its DynamoDB: the scenario end to end, minus API Gateway.
const codeDir = projectScratchDir('workbook-clicks-');
let cloud: LocalCloud;
let lambda: LambdaClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('../../../scenarios/mobile-clicks/handler.ts', import.meta.url))],
    outfile: join(codeDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
  cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials });
  dynamodb = new DynamoDBClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: 'clicks',
      KeySchema: [{ AttributeName: 'button', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'button', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'clicks',
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/clicks-role',
      Code: { S3Bucket: '__local__', S3Key: codeDir },
      Environment: { Variables: { CLICKS_TABLE: 'clicks' } },
    }),
  );
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  rmSync(codeDir, { recursive: true, force: true });
});

const invoke = async (payload: unknown) => {
  const response = await lambda.send(
    new InvokeCommand({ FunctionName: 'clicks', InvocationType: 'RequestResponse', Payload: JSON.stringify(payload) }),
  );
  return { functionError: response.FunctionError, body: JSON.parse(new TextDecoder().decode(response.Payload)) };
};

describe('mobile-clicks on the local cloud', () => {
  it('counts clicks in the table and answers the count', async () => {
    expect(await invoke({ button: 'like', clientId: 'device-1' })).toEqual({
      functionError: undefined,
      body: { button: 'like', count: 1 },
    });
    expect((await invoke({ button: 'like', clientId: 'device-2' })).body).toEqual({ button: 'like', count: 2 });
    const item = await dynamodb.send(new GetItemCommand({ TableName: 'clicks', Key: { button: { S: 'like' } } }));
    expect(item.Item).toMatchObject({ clicks: { N: '2' }, lastClientId: { S: 'device-2' } });
  });

  it('answers bad input with an error shape, not a function error', async () => {
    const { functionError, body } = await invoke({ button: '' });
    expect(functionError).toBeUndefined();
    expect(body).toEqual({ error: 'InvalidRequest', message: expect.stringContaining('"button" must be') });
  });
});
