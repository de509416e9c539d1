// The class-sandbox stacks (`-c learners=ada,grace`) deploy locally too, so per-learner isolation is
// checked against the local IAM enforcement: learner A's credentials are denied learner B's bucket.
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { GetBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { deployCloudAssembly, type StackDeployment } from '../../../../infra/local/deploy/deploy.ts';
import { memoryStateStore } from '../../../../infra/local/deploy/state.ts';
import { synthesizedAssembly } from './assembly.ts';

const region = 'us-east-1';
let cloud: LocalCloud;
let deployed: StackDeployment[];
const outputs = (stack: string) => deployed.find((d) => d.stackName === stack)!.outputs;

/** A client of `Client` with the credentials of `roleArn`, assumed through the local STS. */
async function learnerClient<T>(Client: new (config: Record<string, unknown>) => T, roleArn: string): Promise<T> {
  const sts = new STSClient({
    endpoint: cloud.endpoint,
    region,
    maxAttempts: 1,
    credentials: cloud.adminCredentials,
  });
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'learner' }));
  sts.destroy();
  return new Client({
    endpoint: cloud.endpoint,
    region,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
}

beforeAll(async () => {
  const assembly = await synthesizedAssembly({ learners: 'ada,grace' });
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  deployed = await deployCloudAssembly(assembly, {
    endpoint: cloud.endpoint,
    credentials: cloud.adminCredentials,
    state: memoryStateStore(),
  });
}, 120_000);
afterAll(async () => {
  await cloud?.close();
});

describe('class sandbox stacks deployed locally', () => {
  it('deploys the class stack first, then one copy of every scenario per learner', () => {
    expect(deployed[0]!.stackName).toBe('LambdaWorkbook-Class');
    expect(
      deployed
        .map((d) => d.stackName)
        .slice(1)
        .sort(),
    ).toEqual(
      ['ada', 'grace'].flatMap((learner) =>
        ['MobileClicks', 'StreamMetrics', 'Thumbnails', 'WebBackend'].map((s) => `LambdaWorkbook-${learner}-${s}`),
      ),
    );
    // IAM groups (for learners' IAM users) and the budget are reported, not silently dropped
    const skippedTypes = new Set(deployed[0]!.skipped.map((event) => event.type));
    expect(skippedTypes.has('AWS::IAM::Group')).toBe(true);
  });

  it("lets learner ada read her own clicks table and denies her grace's (AccessDeniedException)", async () => {
    // GIVEN ada's credentials (her learner role, assumed through STS)
    const ada = await learnerClient(DynamoDBClient, outputs('LambdaWorkbook-Class').adaRoleArn!);
    try {
      // WHEN she scans her clicks table, and grace's
      const own = await ada.send(
        new ScanCommand({ TableName: outputs('LambdaWorkbook-ada-MobileClicks').ClicksTableName }),
      );
      // THEN her own answers and grace's is refused by the local IAM
      expect(own.Items).toEqual([]);
      await expect(
        ada.send(new ScanCommand({ TableName: outputs('LambdaWorkbook-grace-MobileClicks').ClicksTableName })),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      ada.destroy();
    }
  });

  // Caught a real bug: every learner stack's inline policy on the shared learner role had the same
  // name, so each deploy replaced the previous stack's grants (on AWS too).
  it("lets learner ada write to her own photos bucket and denies her grace's", async () => {
    const ada = await learnerClient(S3Client, outputs('LambdaWorkbook-Class').adaRoleArn!);
    try {
      await ada.send(
        new PutObjectCommand({
          Bucket: outputs('LambdaWorkbook-ada-Thumbnails').PhotosBucketName,
          Key: 'notes.txt',
          Body: 'mine',
        }),
      );
      await expect(
        ada.send(
          new PutObjectCommand({
            Bucket: outputs('LambdaWorkbook-grace-Thumbnails').PhotosBucketName,
            Key: 'notes.txt',
            Body: 'not mine',
          }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
    } finally {
      ada.destroy();
    }
  });

  // The configuration view's reads and its one change, as the learner role is granted them
  // (infra/cdk/constructs/workbook-function.ts and the scenarios' grantLearnerAccess).
  describe("the configuration view's look-ups with ada's credentials", () => {
    const roleArn = () => outputs('LambdaWorkbook-Class').adaRoleArn!;
    const thumbnails = (learner: string) => outputs(`LambdaWorkbook-${learner}-Thumbnails`);
    const clicks = (learner: string) => outputs(`LambdaWorkbook-${learner}-MobileClicks`);
    const roleName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

    it("reads her function's resource-based policy (GetPolicy), not grace's", async () => {
      const ada = await learnerClient(LambdaClient, roleArn());
      try {
        const own = await ada.send(new GetPolicyCommand({ FunctionName: thumbnails('ada').ThumbnailFunctionName }));
        expect(JSON.parse(own.Policy ?? '{}').Statement[0].Principal).toEqual({ Service: 's3.amazonaws.com' });
        await expect(
          ada.send(new GetPolicyCommand({ FunctionName: thumbnails('grace').ThumbnailFunctionName })),
        ).rejects.toMatchObject({ name: 'AccessDeniedException' });
      } finally {
        ada.destroy();
      }
    });

    it("reads the notification configuration of her photos bucket, not of grace's", async () => {
      const ada = await learnerClient(S3Client, roleArn());
      try {
        const own = await ada.send(
          new GetBucketNotificationConfigurationCommand({ Bucket: thumbnails('ada').PhotosBucketName }),
        );
        expect(own.LambdaFunctionConfigurations?.length).toBeGreaterThan(0);
        await expect(
          ada.send(new GetBucketNotificationConfigurationCommand({ Bucket: thumbnails('grace').PhotosBucketName })),
        ).rejects.toMatchObject({ name: 'AccessDenied' });
      } finally {
        ada.destroy();
      }
    });

    it("reads her execution role's and her guest role's policies, not grace's", async () => {
      const ada = await learnerClient(IAMClient, roleArn());
      const lambda = await learnerClient(LambdaClient, roleArn());
      try {
        const fn = await lambda.send(
          new GetFunctionConfigurationCommand({ FunctionName: clicks('ada').ClicksFunctionName }),
        );
        const execution = roleName(fn.Role ?? '');
        const listed = await ada.send(new ListRolePoliciesCommand({ RoleName: execution }));
        expect(listed.PolicyNames?.length).toBeGreaterThan(0);
        const guest = roleName(clicks('ada').UnauthenticatedRoleArn ?? '');
        await ada.send(new GetRoleCommand({ RoleName: guest }));
        const [policy] = (await ada.send(new ListRolePoliciesCommand({ RoleName: guest }))).PolicyNames ?? [];
        const document = await ada.send(new GetRolePolicyCommand({ RoleName: guest, PolicyName: policy }));
        expect(decodeURIComponent(document.PolicyDocument ?? '')).toContain('lambda:InvokeFunction');
        const graceGuest = roleName(clicks('grace').UnauthenticatedRoleArn ?? '');
        await expect(ada.send(new GetRoleCommand({ RoleName: graceGuest }))).rejects.toMatchObject({
          name: 'AccessDenied',
        });
        await expect(ada.send(new ListRolePoliciesCommand({ RoleName: graceGuest }))).rejects.toMatchObject({
          name: 'AccessDenied',
        });
        // Nor any role of the account that is not hers (the class's own learner role, say).
        await expect(ada.send(new GetRoleCommand({ RoleName: 'LambdaWorkbook-grace-Learner' }))).rejects.toMatchObject({
          name: 'AccessDenied',
        });
      } finally {
        ada.destroy();
        lambda.destroy();
      }
    });

    it("reads her event source mapping by its id, not grace's, and may not list the account's", async () => {
      const ada = await learnerClient(LambdaClient, roleArn());
      const metrics = (learner: string) => outputs(`LambdaWorkbook-${learner}-StreamMetrics`);
      try {
        const own = await ada.send(
          new GetEventSourceMappingCommand({ UUID: metrics('ada').MetricsEventSourceMappingId }),
        );
        expect(own.FunctionArn).toContain(metrics('ada').MetricsFunctionName);
        await expect(
          ada.send(new GetEventSourceMappingCommand({ UUID: metrics('grace').MetricsEventSourceMappingId })),
        ).rejects.toMatchObject({ name: 'AccessDeniedException' });
        await expect(
          ada.send(new ListEventSourceMappingsCommand({ FunctionName: metrics('ada').MetricsFunctionName })),
        ).rejects.toMatchObject({ name: 'AccessDeniedException' });
      } finally {
        ada.destroy();
      }
    });

    it("changes her function's timeout and memory, and is refused grace's", async () => {
      const ada = await learnerClient(LambdaClient, roleArn());
      try {
        const changed = await ada.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: clicks('ada').ClicksFunctionName,
            Timeout: 5,
            MemorySize: 512,
          }),
        );
        expect([changed.Timeout, changed.MemorySize]).toEqual([5, 512]);
        await expect(
          ada.send(
            new UpdateFunctionConfigurationCommand({ FunctionName: clicks('grace').ClicksFunctionName, Timeout: 5 }),
          ),
        ).rejects.toMatchObject({ name: 'AccessDeniedException' });
      } finally {
        ada.destroy();
      }
    });
  });
});
