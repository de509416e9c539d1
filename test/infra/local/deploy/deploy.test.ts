// Deploys every stack of the real synthesized cloud assembly into a fresh local cloud, then runs
// each scenario's happy path through the deployed resources with the real AWS SDK.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CognitoIdentityClient, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import {
  DeployError,
  deployCloudAssembly,
  deployStack,
  type StackDeployment,
} from '../../../../infra/local/deploy/deploy.ts';
import { type DeploymentStateStore, memoryStateStore } from '../../../../infra/local/deploy/state.ts';
import { loadCloudAssembly } from '../../../../infra/local/deploy/template.ts';
import { projectScratchDir } from '../../../helpers/project-scratch.ts';
import { synthesizedAssembly } from './assembly.ts';

const region = 'us-east-1';

let assembly: string;
let cloud: LocalCloud;
let state: DeploymentStateStore;
let deployed: StackDeployment[];
let s3: S3Client;
let dynamodb: DynamoDBClient;
let lambda: LambdaClient;
const outputs = (stack: string) => deployed.find((d) => d.stackName === `LambdaWorkbook-${stack}`)!.outputs;

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}: ${String(lastError ?? 'no value')}`);
}

beforeAll(async () => {
  assembly = await synthesizedAssembly();
  cloud = await startLocalCloud({ port: 0, inMemory: true, asyncRetryDelaysMs: [100, 100], streamRetryDelayMs: 100 });
  state = memoryStateStore();
  deployed = await deployCloudAssembly(assembly, {
    endpoint: cloud.endpoint,
    credentials: cloud.adminCredentials,
    state,
  });
  const config = { endpoint: cloud.endpoint, region, credentials: cloud.adminCredentials, maxAttempts: 1 };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  dynamodb = new DynamoDBClient(config);
  lambda = new LambdaClient(config);
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  dynamodb?.destroy();
  lambda?.destroy();
  await cloud?.close();
});

describe('loadCloudAssembly', () => {
  it('reads every scenario stack with its asset directories', () => {
    const stacks = loadCloudAssembly(assembly);
    expect(stacks.map((stack) => stack.stackName).sort()).toEqual([
      'LambdaWorkbook-MobileClicks',
      'LambdaWorkbook-StreamMetrics',
      'LambdaWorkbook-Thumbnails',
      'LambdaWorkbook-WebBackend',
    ]);
    for (const stack of stacks) {
      for (const [key, dir] of stack.assets) {
        expect(key).toMatch(/^[0-9a-f]{64}\.(zip|json)$/);
        expect(dir.startsWith(assembly)).toBe(true);
      }
    }
  });
});

describe('deploying the synthesized stacks', () => {
  it('deploys every stack and resolves its outputs', () => {
    // THEN each stack's outputs name real, deployed resources
    expect(outputs('Thumbnails').PhotosBucketName).toMatch(/^lambdaworkbook-[a-z0-9-]+$/);
    expect(outputs('StreamMetrics').OrdersTableName).toMatch(/^LambdaWorkbook-StreamMetrics-/);
    expect(outputs('WebBackend').ApiUrl).toMatch(/^http:\/\//);
    expect(outputs('MobileClicks').IdentityPoolId).toMatch(/^us-east-1:/);
    const statuses = deployed.flatMap((d) => d.resources.map((r) => r.status));
    expect(new Set(statuses)).toEqual(new Set(['created', 'skipped']));
  });

  it('records what is not modelled locally, with the reason, instead of skipping silently', () => {
    const skipped = deployed.flatMap((d) => d.skipped);
    const types = new Set(skipped.map((r) => r.type));
    expect(types).toEqual(
      new Set([
        'AWS::CDK::Metadata',
        'AWS::S3::BucketPolicy',
        'AWS::Lambda::LayerVersion',
        // CDK's custom-resource provider functions: the custom resources are implemented natively
        'AWS::Lambda::Function',
      ]),
    );
    for (const entry of skipped) expect(entry.reason).toMatch(/^not modelled locally: ./);
    const thumbnailFunction = deployed
      .flatMap((d) => d.resources)
      .find((r) => r.logicalId.startsWith('ThumbnailsThumbnailFunction') && r.type === 'AWS::Lambda::Function');
    expect(thumbnailFunction?.notes?.join('\n')).toContain('Layers dropped locally');
  });

  it('runs each function with exactly its synthesized execution role', async () => {
    const name = outputs('WebBackend').ApiFunctionName;
    const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(configuration.Role).toMatch(
      /^arn:aws:iam::000000000000:role\/LambdaWorkbook-WebBacken-WebBackendApiFunctionExec-[A-Z0-9]{13}$/,
    );
    expect(configuration.Environment?.Variables?.ITEMS_TABLE ?? JSON.stringify(configuration.Environment)).toContain(
      outputs('WebBackend').ItemsTableName,
    );
  });
});

describe('scenario happy paths through the deployed resources', () => {
  it('thumbnails: a photo uploaded to the photos bucket gets a thumbnail in the thumbnails bucket', async () => {
    // GIVEN a 1200×800 JPEG
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    // WHEN it is uploaded to the deployed photos bucket
    await s3.send(
      new PutObjectCommand({ Bucket: outputs('Thumbnails').PhotosBucketName, Key: 'beach.jpg', Body: photo }),
    );
    // THEN the notification invokes the deployed function, which writes a 200 px wide thumbnail
    const thumbnail = await eventually(
      () => s3.send(new GetObjectCommand({ Bucket: outputs('Thumbnails').ThumbnailsBucketName, Key: 'beach.jpg' })),
      'the thumbnail',
    );
    const meta = await sharp(Buffer.from(await thumbnail.Body!.transformToByteArray())).metadata();
    expect(meta.width).toBe(200);
  });

  it('stream-metrics: an order written to the orders table is counted in the metrics table', async () => {
    // WHEN an order is inserted
    await dynamodb.send(
      new PutItemCommand({
        TableName: outputs('StreamMetrics').OrdersTableName,
        Item: { orderId: { S: 'o-1' }, total: { N: '25' } },
      }),
    );
    // THEN the event source mapping delivers the stream record and the function counts it
    const metric = await eventually(async () => {
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: outputs('StreamMetrics').MetricsTableName, Key: { metric: { S: 'orders' } } }),
      );
      return Item?.INSERT === undefined ? undefined : Item;
    }, 'the orders metric');
    expect(metric.INSERT).toEqual({ N: '1' });
    expect(metric.revenue).toEqual({ N: '25' });
  });

  it('web-backend: the deployed HTTP API answers JSON on its invoke URL', async () => {
    const apiId = new URL(outputs('WebBackend').ApiUrl!).hostname.split('.')[0];
    const base = `${cloud.endpoint}/_aws/execute-api/${apiId}`;
    // WHEN an item is posted and the items listed
    const posted = await fetch(`${base}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'workbook', price: 25 }),
    });
    const listed = await fetch(`${base}/items`);
    // THEN both answer JSON and the list holds the item
    expect(posted.status, await posted.clone().text()).toBe(201);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('content-type')).toContain('application/json');
    const body = (await listed.json()) as { items: { name: string }[] };
    expect(body.items.map((item) => item.name)).toContain('workbook');
  });

  describe('mobile-clicks with identity-pool credentials (basic flow)', () => {
    let mobile: LambdaClient;
    beforeAll(async () => {
      // GetId → GetOpenIdToken → AssumeRoleWithWebIdentity of the stack's guest role, unsigned, as the app does.
      const config = { endpoint: cloud.endpoint, region, maxAttempts: 1, credentials: cloud.adminCredentials };
      const cognito = new CognitoIdentityClient(config);
      const sts = new STSClient(config);
      const { IdentityId } = await cognito.send(
        new GetIdCommand({ IdentityPoolId: outputs('MobileClicks').IdentityPoolId! }),
      );
      const { Token } = await cognito.send(new GetOpenIdTokenCommand({ IdentityId }));
      const { Credentials } = await sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: outputs('MobileClicks').UnauthenticatedRoleArn!,
          RoleSessionName: 'phone-1',
          WebIdentityToken: Token!,
        }),
      );
      cognito.destroy();
      sts.destroy();
      mobile = new LambdaClient({
        endpoint: cloud.endpoint,
        region,
        maxAttempts: 1,
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretAccessKey!,
          sessionToken: Credentials!.SessionToken!,
        },
      });
    });
    afterAll(() => mobile?.destroy());

    it('may invoke the clicks function and gets its answer', async () => {
      const result = await mobile.send(
        new InvokeCommand({
          FunctionName: outputs('MobileClicks').ClicksFunctionName,
          Payload: JSON.stringify({ button: 'like', clientId: 'phone-1' }),
        }),
      );
      expect(result.FunctionError).toBeUndefined();
      expect(JSON.parse(new TextDecoder().decode(result.Payload))).toEqual({ button: 'like', count: 1 });
    });

    it('is denied any other function (AccessDeniedException)', async () => {
      await expect(
        mobile.send(
          new InvokeCommand({ FunctionName: outputs('WebBackend').ApiFunctionName, Payload: JSON.stringify({}) }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    });
  });
});

describe('redeploying', () => {
  it('changes nothing and keeps the data', async () => {
    // WHEN the same assembly is deployed again
    const again = await deployCloudAssembly(assembly, {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state,
    });
    // THEN every resource is unchanged (or skipped), names and outputs are the same, data is kept
    const changed = again.flatMap((d) => d.resources).filter((r) => r.status !== 'unchanged' && r.status !== 'skipped');
    expect(changed).toEqual([]);
    expect(again.map((d) => d.outputs)).toEqual(deployed.map((d) => d.outputs));
    await s3.send(new HeadObjectCommand({ Bucket: outputs('Thumbnails').PhotosBucketName, Key: 'beach.jpg' }));
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: outputs('StreamMetrics').OrdersTableName, Key: { orderId: { S: 'o-1' } } }),
    );
    expect(Item?.total).toEqual({ N: '25' });
  });

  it('updates a function’s code in place when its asset changed', async () => {
    // GIVEN a copy of the assembly whose web backend function has a new asset (a new hash)
    const copy = projectScratchDir('workbook-assembly-');
    try {
      for (const entry of readdirSync(assembly)) {
        if (entry.startsWith('asset.')) symlinkSync(join(assembly, entry), join(copy, entry));
        else cpSync(join(assembly, entry), join(copy, entry), { recursive: true });
      }
      const templateFile = join(copy, 'LambdaWorkbook-WebBackend.template.json');
      const template = JSON.parse(readFileSync(templateFile, 'utf8'));
      const fn = template.Resources.WebBackendApiFunction58206A98;
      const newHash = 'f'.repeat(64);
      fn.Properties.Code.S3Key = `${newHash}.zip`;
      writeFileSync(templateFile, JSON.stringify(template));
      const assetsFile = join(copy, 'LambdaWorkbook-WebBackend.assets.json');
      const assets = JSON.parse(readFileSync(assetsFile, 'utf8'));
      assets.files[newHash] = {
        source: { path: `asset.${newHash}`, packaging: 'zip' },
        destinations: { local: { bucketName: 'cdk-assets', objectKey: `${newHash}.zip` } },
      };
      writeFileSync(assetsFile, JSON.stringify(assets));
      mkdirSync(join(copy, `asset.${newHash}`));
      writeFileSync(
        join(copy, `asset.${newHash}`, 'index.mjs'),
        "export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: 2 }) });\n",
      );

      // WHEN it is deployed over the running stacks
      const [web] = await deployCloudAssembly(copy, {
        endpoint: cloud.endpoint,
        credentials: cloud.adminCredentials,
        state,
        stacks: ['LambdaWorkbook-WebBackend'],
      });

      // THEN only the function changed, in place (same name), and the API serves the new code
      const updated = web!.resources.filter((r) => r.status !== 'unchanged' && r.status !== 'skipped');
      expect(updated.map((r) => [r.logicalId, r.status])).toEqual([['WebBackendApiFunction58206A98', 'updated']]);
      expect(updated[0]!.notes?.join('\n')).toContain('code updated in place');
      expect(web!.outputs).toEqual(outputs('WebBackend'));
      const apiId = new URL(outputs('WebBackend').ApiUrl!).hostname.split('.')[0];
      const response = await fetch(`${cloud.endpoint}/_aws/execute-api/${apiId}/items`);
      expect(await response.json()).toEqual({ version: 2 });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('deploying with the state of a cloud that is gone', () => {
  it('recreates everything under the same generated names (an in-memory cloud restarted)', async () => {
    // GIVEN a fresh cloud, and the state of the deployment into the first one
    const fresh = await startLocalCloud({ port: 0, inMemory: true });
    try {
      // WHEN the assembly is deployed with that state
      const again = await deployCloudAssembly(assembly, {
        endpoint: fresh.endpoint,
        credentials: fresh.adminCredentials,
        state,
      });
      // THEN nothing counts as unchanged: resources are created again (those Lambda/IAM cannot probe,
      // such as inline policies and permissions, are applied again), with the names they had before
      const resources = again.flatMap((d) => d.resources);
      expect(resources.filter((r) => r.status === 'unchanged')).toEqual([]);
      expect(resources.find((r) => r.type === 'AWS::S3::Bucket')?.status).toBe('created');
      expect(again.find((d) => d.stackName === 'LambdaWorkbook-Thumbnails')!.outputs).toEqual(outputs('Thumbnails'));
      // An event source mapping's id is a UUID the service assigns when it creates the mapping, as
      // on AWS: the recreated mappings get new ones; every name stays.
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      const mappingIds = (all: Record<string, string | undefined>) =>
        Object.entries(all).filter(([key]) => key.endsWith('EventSourceMappingId'));
      const withoutMappingIds = (all: Record<string, string | undefined>) =>
        Object.fromEntries(Object.entries(all).filter(([key]) => !key.endsWith('EventSourceMappingId')));
      const streamMetrics = again.find((d) => d.stackName === 'LambdaWorkbook-StreamMetrics')!.outputs;
      expect(withoutMappingIds(streamMetrics)).toEqual(withoutMappingIds(outputs('StreamMetrics')));
      expect(mappingIds(streamMetrics).map(([key]) => key)).toEqual(
        mappingIds(outputs('StreamMetrics')).map(([key]) => key),
      );
      for (const [key, id] of mappingIds(streamMetrics)) {
        expect(id, key).toMatch(uuid);
        expect(id, key).not.toBe(outputs('StreamMetrics')[key]);
      }
    } finally {
      await fresh.close();
    }
  });
});

describe('unknown resource types', () => {
  it('fail the deploy naming every unknown type, before anything is created', async () => {
    const stack = {
      stackName: 'Unknown',
      templateFile: 'unknown.template.json',
      dependsOn: [],
      assets: new Map<string, string>(),
      template: {
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket' },
          Queue: { Type: 'AWS::SQS::Queue' },
          Topic: { Type: 'AWS::SNS::Topic' },
          Other: { Type: 'AWS::SQS::Queue' },
        },
      },
    };
    const events: string[] = [];
    const attempt = deployStack(stack, {
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      state: memoryStateStore(),
      onResource: (event) => events.push(event.logicalId),
    });
    await expect(attempt).rejects.toThrow(DeployError);
    await expect(attempt).rejects.toThrow(
      'Stack Unknown uses resource types the local cloud does not deploy: AWS::SNS::Topic, AWS::SQS::Queue.',
    );
    expect(events).toEqual([]);
  });
});
