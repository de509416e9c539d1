// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub templates
// Deployer behaviours the scenario stacks do not exercise, on small hand-written templates.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ApiGatewayV2Client, GetStageCommand } from '@aws-sdk/client-apigatewayv2';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  GetBucketNotificationConfigurationCommand,
  HeadBucketCommand,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { deployStack, destroyStack } from '../../../../infra/local/deploy/deploy.ts';
import { fileStateStore, memoryStateStore } from '../../../../infra/local/deploy/state.ts';
import type { StackArtifact, Template } from '../../../../infra/local/deploy/template.ts';
import { PROJECT_ROOT } from './assembly.ts';

let cloud: LocalCloud;
let s3: S3Client;
let dynamodb: DynamoDBClient;
let iam: IAMClient;

const stack = (stackName: string, template: Template): StackArtifact => ({
  stackName,
  templateFile: `${stackName}.template.json`,
  template,
  dependsOn: [],
  assets: new Map(),
});

const TABLE = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  },
};

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials, maxAttempts: 1 };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  dynamodb = new DynamoDBClient(config);
  iam = new IAMClient(config);
});
afterAll(async () => {
  s3?.destroy();
  dynamodb?.destroy();
  iam?.destroy();
  await cloud?.close();
});

describe('deployStack on hand-written templates', () => {
  it('deletes a resource removed from the template on redeploy', async () => {
    // GIVEN a stack with a bucket and a table
    const state = memoryStateStore();
    const options = { endpoint: cloud.endpoint, credentials: cloud.adminCredentials, state };
    const first = await deployStack(
      stack('Removal', {
        Resources: { Bucket: { Type: 'AWS::S3::Bucket' }, Table: TABLE },
        Outputs: { TableName: { Value: { Ref: 'Table' } } },
      }),
      options,
    );
    // WHEN it is redeployed without the table
    const second = await deployStack(stack('Removal', { Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }), options);
    // THEN the table is deleted and the bucket kept
    expect(second.resources.map((r) => [r.logicalId, r.status])).toEqual([
      ['Bucket', 'unchanged'],
      ['Table', 'deleted'],
    ]);
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: first.outputs.TableName }))).rejects.toMatchObject(
      { name: 'ResourceNotFoundException' },
    );
  });

  it('leaves out resources whose condition is false, and resolves Fn::If in outputs', async () => {
    const result = await deployStack(
      stack('Conditions', {
        Conditions: { InEurope: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket' },
          EuropeOnly: { Type: 'AWS::S3::Bucket', Condition: 'InEurope' },
        },
        Outputs: {
          Where: { Value: { 'Fn::If': ['InEurope', 'eu', { 'Fn::Sub': 'elsewhere (${AWS::Region})' }] } },
          EuropeBucket: { Condition: 'InEurope', Value: { Ref: 'EuropeOnly' } },
        },
      }),
      { endpoint: cloud.endpoint, credentials: cloud.adminCredentials, state: memoryStateStore() },
    );
    expect(result.resources.map((r) => r.logicalId)).toEqual(['Bucket']);
    expect(result.outputs).toEqual({ Where: 'elsewhere (us-east-1)' });
  });

  it('passes exported outputs to later stacks (Fn::ImportValue)', async () => {
    const exports = new Map<string, string>();
    const options = {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state: memoryStateStore(),
      exports,
    };
    const producer = await deployStack(
      stack('Producer', {
        Resources: {
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
                ],
              },
            },
          },
        },
        Outputs: {
          RoleName: { Value: { Ref: 'Role' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-RoleName' } } },
        },
      }),
      options,
    );
    const consumer = await deployStack(
      stack('Consumer', {
        Resources: {
          Policy: {
            Type: 'AWS::IAM::Policy',
            Properties: {
              PolicyName: 'consumer',
              Roles: [{ 'Fn::ImportValue': 'Producer-RoleName' }],
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
              },
            },
          },
        },
        Outputs: { Role: { Value: { 'Fn::ImportValue': 'Producer-RoleName' } } },
      }),
      options,
    );
    expect(producer.exports).toEqual({ 'Producer-RoleName': producer.outputs.RoleName });
    expect(consumer.outputs.Role).toBe(producer.outputs.RoleName);
    await iam.send(new GetRoleCommand({ RoleName: consumer.outputs.Role }));
  });

  it('keeps a generated bucket name and its bucket across redeploys', async () => {
    const state = memoryStateStore();
    const template = {
      Resources: { Bucket: { Type: 'AWS::S3::Bucket' } },
      Outputs: { Name: { Value: { Ref: 'Bucket' } } },
    };
    const first = await deployStack(stack('Names', template), {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state,
    });
    const second = await deployStack(stack('Names', template), {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state,
    });
    expect(first.outputs.Name).toMatch(/^names-bucket-[a-z0-9]{13}$/);
    expect(second.outputs.Name).toBe(first.outputs.Name);
    await s3.send(new HeadBucketCommand({ Bucket: first.outputs.Name }));
  });
});

describe('AWS::ApiGatewayV2::Stage throttling (HttpStage throttle, as CDK synthesizes it)', () => {
  it('deploys the default and per-route limits, which GetStage then answers', async () => {
    // GIVEN an HTTP API whose stage limits every route and one route harder
    const template: Template = {
      Resources: {
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'throttled', ProtocolType: 'HTTP' } },
        Stage: {
          Type: 'AWS::ApiGatewayV2::Stage',
          Properties: {
            ApiId: { Ref: 'Api' },
            StageName: '$default',
            AutoDeploy: true,
            DefaultRouteSettings: { ThrottlingBurstLimit: 20, ThrottlingRateLimit: 10 },
            RouteSettings: { 'POST /items': { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 1 } },
          },
        },
      },
      Outputs: { ApiId: { Value: { Ref: 'Api' } } },
    };
    // WHEN it is deployed
    const deployed = await deployStack(stack('Throttled', template), {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state: memoryStateStore(),
    });
    // THEN the stage holds both
    const apigateway = new ApiGatewayV2Client({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
    });
    try {
      const stage = await apigateway.send(
        new GetStageCommand({ ApiId: deployed.outputs.ApiId, StageName: '$default' }),
      );
      expect(stage.DefaultRouteSettings).toEqual({
        DetailedMetricsEnabled: false,
        ThrottlingBurstLimit: 20,
        ThrottlingRateLimit: 10,
      });
      expect(stage.RouteSettings?.['POST /items']).toMatchObject({ ThrottlingBurstLimit: 2, ThrottlingRateLimit: 1 });
    } finally {
      apigateway.destroy();
    }
  });
});

describe('destroyStack', () => {
  it('deletes every resource of a stack, dependents first, and forgets it', async () => {
    // GIVEN a deployed stack with a role, its inline policy and a table
    const state = memoryStateStore();
    const deployed = await deployStack(
      stack('Destroyed', {
        Resources: {
          Table: TABLE,
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
                ],
              },
            },
          },
          Policy: {
            Type: 'AWS::IAM::Policy',
            Properties: {
              PolicyName: 'table-access',
              Roles: [{ Ref: 'Role' }],
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': ['Table', 'Arn'] } },
                ],
              },
            },
          },
        },
        Outputs: { Role: { Value: { Ref: 'Role' } }, Table: { Value: { Ref: 'Table' } } },
      }),
      { endpoint: cloud.endpoint, credentials: cloud.adminCredentials, state },
    );
    // WHEN it is destroyed
    const events = await destroyStack('Destroyed', {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state,
    });
    // THEN the policy went before its role, everything is gone, and the state is forgotten
    expect(events.map((e) => [e.logicalId, e.status])).toEqual([
      ['Policy', 'deleted'],
      ['Role', 'deleted'],
      ['Table', 'deleted'],
    ]);
    await expect(iam.send(new GetRoleCommand({ RoleName: deployed.outputs.Role }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: deployed.outputs.Table }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(state.load('Destroyed')).toBeUndefined();
  });
});

describe('a persistent cloud restarted on another port', () => {
  it('keeps the API and reports its endpoint on the new port', async () => {
    // GIVEN an HTTP API deployed to a cloud that keeps its data
    const dataDir = mkdtempSync(join(tmpdir(), 'workbook-deploy-'));
    const state = fileStateStore(dataDir);
    const template: Template = {
      Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'items', ProtocolType: 'HTTP' } } },
      Outputs: { ApiUrl: { Value: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] } } },
    };
    try {
      const before = await startLocalCloud({ port: 0, dataDir });
      const first = await deployStack(stack('Restarted', template), {
        endpoint: before.endpoint,
        credentials: before.adminCredentials,
        state,
      });
      await before.close();
      // WHEN the cloud comes back on another port and the stack is deployed again
      const after = await startLocalCloud({ port: 0, dataDir });
      try {
        const second = await deployStack(stack('Restarted', template), {
          endpoint: after.endpoint,
          credentials: after.adminCredentials,
          state,
        });
        // THEN the API is unchanged (same id) and its URL names the new port
        expect(second.resources.map((r) => r.status)).toEqual(['unchanged']);
        expect(new URL(second.outputs.ApiUrl!).hostname).toBe(new URL(first.outputs.ApiUrl!).hostname);
        expect(new URL(second.outputs.ApiUrl!).port).toBe(String(after.port));
        expect(readdirSync(join(dataDir, 'deployments'))).toEqual(['Restarted.json']);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Custom::S3BucketNotifications (Managed: false, as CDK synthesizes it)', () => {
  it('replaces its own notifications on update and keeps the ones others set', async () => {
    // GIVEN a bucket notifying a function of .jpg uploads
    const state = memoryStateStore();
    const fixture = join(PROJECT_ROOT, 'test', 'fixtures', 'lambda', 'basic');
    const template = (suffix: string): Template => ({
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ],
            },
          },
        },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { S3Bucket: 'assets', S3Key: 'basic.zip' },
            Handler: 'echo.handler',
            Runtime: 'nodejs22.x',
            Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          },
        },
        Bucket: { Type: 'AWS::S3::Bucket' },
        Permission: {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            Action: 'lambda:InvokeFunction',
            FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] },
            Principal: 's3.amazonaws.com',
            SourceArn: { 'Fn::GetAtt': ['Bucket', 'Arn'] },
          },
        },
        Notifications: {
          Type: 'Custom::S3BucketNotifications',
          DependsOn: ['Permission'],
          Properties: {
            ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] },
            BucketName: { Ref: 'Bucket' },
            Managed: false,
            NotificationConfiguration: {
              LambdaFunctionConfigurations: [
                {
                  Events: ['s3:ObjectCreated:*'],
                  Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: suffix }] } },
                  LambdaFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] },
                },
              ],
            },
          },
        },
        // CDK's provider function (Python): not deployed, the custom resource is native.
        Provider: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { ZipFile: 'def handler(event, context): pass' },
            Handler: 'index.handler',
            Runtime: 'python3.13',
          },
        },
      },
      Outputs: { Bucket: { Value: { Ref: 'Bucket' } }, Fn: { Value: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
    });
    const withAssets = (t: Template): StackArtifact => ({
      ...stack('Notified', t),
      assets: new Map([['basic.zip', fixture]]),
    });
    const first = await deployStack(withAssets(template('.jpg')), {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state,
    });
    const bucket = first.outputs.Bucket!;
    // AND a notification someone else added (the AWS CLI, another stack)
    const current = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            ...(current.LambdaFunctionConfigurations ?? []),
            { Id: 'mine', Events: ['s3:ObjectRemoved:*'], LambdaFunctionArn: first.outputs.Fn },
          ],
        },
      }),
    );
    // WHEN the stack is redeployed with .png instead of .jpg
    await deployStack(withAssets(template('.png')), {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state,
    });
    // THEN the bucket notifies .png (not .jpg) uploads, and the other notification is still there
    const after = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    const suffixes = (after.LambdaFunctionConfigurations ?? []).map(
      (c) => c.Filter?.Key?.FilterRules?.[0]?.Value ?? c.Id,
    );
    expect(suffixes.sort()).toEqual(['.png', 'mine']);
  });
});
