import {
  AddPermissionCommand,
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListFunctionsCommand,
  RemovePermissionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaCloud, localCode, ROLE, startLambdaCloud } from '../../../helpers/lambda-cloud.ts';

const refusal = (parameter: string, operation: string) => ({
  name: 'InvalidParameterValueException',
  $metadata: { httpStatusCode: 400 },
  message: expect.stringContaining(`The local cloud does not support the ${parameter} parameter of ${operation}`),
});

describe('Lambda request parameters: honoured, or refused by name (issue 17)', () => {
  let cloud: LambdaCloud;
  const base = (name: string): CreateFunctionCommandInput => ({
    FunctionName: name,
    Runtime: 'nodejs22.x',
    Role: ROLE,
    Handler: 'echo.handler',
    Code: localCode(),
  });

  beforeAll(async () => {
    cloud = await startLambdaCloud();
    await cloud.client.send(new CreateFunctionCommand(base('kept')));
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it.each([
    ['Layers', { Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:sharp:1'] }],
    ['VpcConfig', { VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] } }],
    ['TracingConfig', { TracingConfig: { Mode: 'Active' as const } }],
    ['KMSKeyArn', { KMSKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/1' }],
    ['Tags', { Tags: { team: 'workbook' } }],
    ['PackageType', { PackageType: 'Image' as const }],
    ['SnapStart', { SnapStart: { ApplyOn: 'PublishedVersions' as const } }],
  ])('refuses CreateFunction with %s, naming it, and creates nothing', async (parameter, extra) => {
    // Act
    const attempt = cloud.client.send(new CreateFunctionCommand({ ...base(`refused-${parameter}`), ...extra }));

    // Assess
    await expect(attempt).rejects.toMatchObject(refusal(parameter, 'CreateFunction'));
    await expect(
      cloud.client.send(new GetFunctionCommand({ FunctionName: `refused-${parameter}` })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('honours and echoes what CDK stacks send (Architectures x86_64, PackageType Zip, logging, storage)', async () => {
    // Act
    const created = await cloud.client.send(
      new CreateFunctionCommand({
        ...base('honoured'),
        Description: 'all honoured',
        Timeout: 10,
        MemorySize: 256,
        Architectures: ['x86_64'],
        PackageType: 'Zip',
        Environment: { Variables: { STAGE: 'local' } },
        LoggingConfig: { LogFormat: 'Text', LogGroup: '/workbook/honoured' },
        EphemeralStorage: { Size: 1024 },
        Publish: false,
      }),
    );

    // Assess
    expect(created).toMatchObject({
      Description: 'all honoured',
      Timeout: 10,
      MemorySize: 256,
      Architectures: ['x86_64'],
      PackageType: 'Zip',
      Environment: { Variables: { STAGE: 'local' } },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/workbook/honoured' },
      EphemeralStorage: { Size: 1024 },
    });
  });

  it('refuses UpdateFunctionConfiguration with TracingConfig and leaves the configuration as it was', async () => {
    // Act
    const attempt = cloud.client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'kept', Timeout: 30, TracingConfig: { Mode: 'Active' } }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject(refusal('TracingConfig', 'UpdateFunctionConfiguration'));
    const config = await cloud.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'kept' }));
    expect(config.Timeout).toBe(3);
    expect(config.TracingConfig).toEqual({ Mode: 'PassThrough' });
  });

  it('refuses log levels, which AWS applies to JSON logs only, naming the member', async () => {
    await expect(
      cloud.client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'kept',
          LoggingConfig: { ApplicationLogLevel: 'DEBUG' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('LoggingConfig.ApplicationLogLevel'),
    });
  });

  it('refuses UpdateFunctionCode with S3ObjectVersion (object versions are not modelled)', async () => {
    await expect(
      cloud.client.send(
        new UpdateFunctionCodeCommand({
          FunctionName: 'kept',
          S3Bucket: 'code',
          S3Key: 'fn.zip',
          S3ObjectVersion: '3',
        }),
      ),
    ).rejects.toMatchObject(refusal('S3ObjectVersion', 'UpdateFunctionCode'));
  });

  it('checks query members too: ListFunctions with MasterRegion', async () => {
    await expect(
      cloud.client.send(new ListFunctionsCommand({ MasterRegion: 'us-east-1', FunctionVersion: 'ALL' })),
    ).rejects.toMatchObject(refusal('MasterRegion', 'ListFunctions'));
  });

  it("checks Invoke's header members: TenantId", async () => {
    await expect(
      cloud.client.send(new InvokeCommand({ FunctionName: 'kept', Payload: '{}', TenantId: 'tenant-1' })),
    ).rejects.toMatchObject(refusal('TenantId', 'Invoke'));
  });

  it("honours RemovePermission's RevisionId: a stale one is PreconditionFailedException", async () => {
    // Prepare
    await cloud.client.send(
      new AddPermissionCommand({
        FunctionName: 'kept',
        StatementId: 'revision',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
      }),
    );
    const current = await cloud.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'kept' }));

    // Act
    const stale = cloud.client.send(
      new RemovePermissionCommand({ FunctionName: 'kept', StatementId: 'revision', RevisionId: 'not-the-revision' }),
    );
    await expect(stale).rejects.toMatchObject({
      name: 'PreconditionFailedException',
      $metadata: { httpStatusCode: 412 },
    });
    const removed = await cloud.client.send(
      new RemovePermissionCommand({ FunctionName: 'kept', StatementId: 'revision', RevisionId: current.RevisionId }),
    );

    // Assess
    expect(removed.$metadata.httpStatusCode).toBe(204);
  });
});
