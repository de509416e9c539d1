import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListFunctionsCommand,
  RemovePermissionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceRequest } from '../../../../infra/local/edge/types.ts';
import { LambdaService } from '../../../../infra/local/lambda/service.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';
import {
  type LambdaCloud,
  localCode,
  ROLE,
  recording,
  startLambdaCloud,
  zipOf,
} from '../../../helpers/lambda-cloud.ts';

const ECHO_ZIP = zipOf({
  'index.mjs': 'export const handler = async (event) => { console.log(JSON.stringify(event)); return event; };\n',
});

describe('LambdaService function API (real LambdaClient through the SigV4 edge)', () => {
  let cloud: LambdaCloud;

  beforeAll(async () => {
    cloud = await startLambdaCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('creates a function from a zip and returns the configuration in AWS shape', async () => {
    // Act
    const created = await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'api-echo',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: ECHO_ZIP },
      }),
    );

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      FunctionName: 'api-echo',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:api-echo',
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      CodeSize: ECHO_ZIP.length,
      MemorySize: 128,
      Timeout: 3,
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Version: '$LATEST',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/api-echo' },
    });
    const { createHash } = await import('node:crypto');
    expect(created.CodeSha256).toBe(createHash('sha256').update(ECHO_ZIP).digest('base64'));
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  it('gets, lists and reads the configuration by name', async () => {
    // Act
    const byName = await cloud.client.send(new GetFunctionCommand({ FunctionName: 'api-echo' }));
    const config = await cloud.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'api-echo' }));
    const list = await cloud.client.send(new ListFunctionsCommand({}));

    // Assess
    const { $metadata: _metadata, ...configuration } = config;
    expect(byName.Configuration).toEqual(configuration);
    expect(byName.Code?.Location).toMatch(/^file:\/\//);
    expect(list.Functions?.map((f) => f.FunctionName)).toContain('api-echo');
  });

  it.each([
    ['000000000000:function:api-echo'],
    ['arn:aws:lambda:us-east-1:000000000000:function:api-echo'],
    ['arn:aws:lambda:us-east-1:000000000000:function:api-echo:$LATEST'],
  ])('finds the function by partial or full ARN %s', async (ref) => {
    // Act
    const response = await cloud.service.handle({
      method: 'GET',
      rawPath: `/2015-03-31/functions/${encodeURIComponent(ref)}/configuration`,
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
      service: 'lambda',
      region: 'us-east-1',
      requestId: 'r-arn',
      caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(String(response.body)).FunctionName).toBe('api-echo');
  });

  // Needs the edge to sign non-S3 paths as the SDK does (escapeUri of the raw, already encoded
  // path: `%3A` is signed as `%253A`); fails with InvalidSignatureException until it does.
  it('invokes by full ARN through the SigV4 edge', async () => {
    const result = await cloud.client.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:api-echo',
        Payload: '{"via":"arn"}',
      }),
    );
    expect(new TextDecoder().decode(result.Payload)).toBe('{"via":"arn"}');
  });

  it('refuses a second function of the same name with ResourceConflictException', async () => {
    await expect(
      cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: 'api-echo',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: ECHO_ZIP },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceConflictException', $metadata: { httpStatusCode: 409 } });
  });

  it.each([
    ['python3.12', 'InvalidParameterValueException', /runtime 'python3\.12' is not supported/],
    ['nodejs12.x', 'InvalidParameterValueException', /nodejs12\.x is no longer supported/],
  ])('refuses runtime %s with %s naming it', async (runtime, name, message) => {
    await expect(
      cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: 'bad-runtime',
          Runtime: runtime as 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: ECHO_ZIP },
        }),
      ),
    ).rejects.toMatchObject({ name, message: expect.stringMatching(message) });
  });

  it('validates fields as AWS does (all errors in one ValidationException)', async () => {
    await expect(
      cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: 'mem',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          MemorySize: 64,
          Timeout: 0,
          Code: { ZipFile: ECHO_ZIP },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    });
  });

  it('refuses reserved environment variables', async () => {
    await expect(
      cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: 'reserved',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Environment: { Variables: { AWS_ACCESS_KEY_ID: 'AKIA…' } },
          Code: { ZipFile: ECHO_ZIP },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('AWS_ACCESS_KEY_ID'),
    });
  });

  it('refuses a zip whose entries escape the code directory (zip slip)', async () => {
    const evil = zipOf({ '../../escaped.mjs': 'export const handler = async () => 1;' });
    await expect(
      cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: 'slip',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: evil },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining("'../../escaped.mjs'"),
    });
    await expect(cloud.client.send(new GetFunctionCommand({ FunctionName: 'slip' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('refuses a package that is not a zip', async () => {
    await expect(
      cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: 'notzip',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: new TextEncoder().encode('hello') },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Could not unzip uploaded file'),
    });
  });

  it('answers GetFunction on a missing function with ResourceNotFoundException and the function ARN', async () => {
    await expect(cloud.client.send(new GetFunctionCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('updates configuration: new settings reach new environments, warm ones are retired', async () => {
    // Prepare
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'cfg',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'context.handler',
        Code: localCode(),
      }),
    );
    const before = await cloud.client.send(new InvokeCommand({ FunctionName: 'cfg' }));
    const pidBefore = cloud.service.environments('cfg').map((e) => e.pid);

    // Act
    const updated = await cloud.client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'cfg',
        MemorySize: 256,
        Timeout: 10,
        Environment: { Variables: { STAGE: 'test' } },
      }),
    );
    const after = await cloud.client.send(new InvokeCommand({ FunctionName: 'cfg' }));

    // Assess
    expect(updated).toMatchObject({ MemorySize: 256, Timeout: 10, Environment: { Variables: { STAGE: 'test' } } });
    expect(JSON.parse(new TextDecoder().decode(before.Payload)).env.STAGE).toBeUndefined();
    const seen = JSON.parse(new TextDecoder().decode(after.Payload));
    expect(seen.env.STAGE).toBe('test');
    expect(seen.context.memoryLimitInMB).toBe('256');
    expect(cloud.service.environments('cfg').map((e) => e.pid)).not.toEqual(pidBefore);
  });

  it('does not reuse an environment that was busy while the configuration changed', async () => {
    // Prepare: an invocation still running when the update lands (its environment is not retired then).
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'busy-during-update',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: {
          ZipFile: zipOf({
            'index.mjs':
              'export const handler = async (event) => { if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs)); return process.env.STAGE ?? "none"; };\n',
          }),
        },
      }),
    );
    const slow = cloud.client.send(
      new InvokeCommand({ FunctionName: 'busy-during-update', Payload: JSON.stringify({ sleepMs: 1500 }) }),
    );
    for (
      let i = 0;
      i < 200 && !cloud.service.environments('busy-during-update').some((e) => e.state === 'busy');
      i += 1
    )
      await new Promise((resolve) => setTimeout(resolve, 25));

    // Act
    await cloud.client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'busy-during-update',
        Environment: { Variables: { STAGE: 'second' } },
      }),
    );
    const during = await slow;
    const after = await cloud.client.send(new InvokeCommand({ FunctionName: 'busy-during-update' }));

    // Assess: the old environment finished its invocation, then the new configuration ran in a new one.
    expect(new TextDecoder().decode(during.Payload)).toBe('"none"');
    expect(new TextDecoder().decode(after.Payload)).toBe('"second"');
  });

  it('updates code: the next invocation runs the new code', async () => {
    // Prepare
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'code',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "v1";' }) },
      }),
    );
    const v1 = await cloud.client.send(new InvokeCommand({ FunctionName: 'code' }));
    const zip2 = zipOf({ 'index.mjs': 'export const handler = async () => "v2";' });

    // Act
    const updated = await cloud.client.send(new UpdateFunctionCodeCommand({ FunctionName: 'code', ZipFile: zip2 }));
    const v2 = await cloud.client.send(new InvokeCommand({ FunctionName: 'code' }));

    // Assess
    expect(new TextDecoder().decode(v1.Payload)).toBe('"v1"');
    expect(new TextDecoder().decode(v2.Payload)).toBe('"v2"');
    expect(updated.CodeSize).toBe(zip2.length);
  });

  it('deletes a function; it is gone afterwards', async () => {
    // Prepare
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'gone',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: ECHO_ZIP },
      }),
    );

    // Act
    const deleted = await cloud.client.send(new DeleteFunctionCommand({ FunctionName: 'gone' }));

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(cloud.service.functionExists('gone')).toBe(false);
    await expect(cloud.client.send(new InvokeCommand({ FunctionName: 'gone' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('stores resource policy statements: AddPermission, GetPolicy, RemovePermission', async () => {
    // Act
    const added = await cloud.client.send(
      new AddPermissionCommand({
        FunctionName: 'api-echo',
        StatementId: 's3invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::photos',
        SourceAccount: '000000000000',
      }),
    );
    const policy = await cloud.client.send(new GetPolicyCommand({ FunctionName: 'api-echo' }));
    const duplicate = cloud.client.send(
      new AddPermissionCommand({
        FunctionName: 'api-echo',
        StatementId: 's3invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
      }),
    );

    // Assess
    expect(added.$metadata.httpStatusCode).toBe(201);
    const statement = JSON.parse(added.Statement ?? '{}');
    expect(statement).toEqual({
      Sid: 's3invoke',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:api-echo',
      Condition: {
        StringEquals: { 'AWS:SourceAccount': '000000000000' },
        ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::photos' },
      },
    });
    expect(JSON.parse(policy.Policy ?? '{}')).toMatchObject({ Version: '2012-10-17', Statement: [statement] });
    await expect(duplicate).rejects.toMatchObject({ name: 'ResourceConflictException' });
    expect(cloud.service.allowsInvoke('api-echo', 's3.amazonaws.com', 'arn:aws:s3:::photos')).toBe(true);
    expect(cloud.service.allowsInvoke('api-echo', 's3.amazonaws.com', 'arn:aws:s3:::other')).toBe(false);

    // Act (removal)
    const removed = await cloud.client.send(
      new RemovePermissionCommand({ FunctionName: 'api-echo', StatementId: 's3invoke' }),
    );

    // Assess
    expect(removed.$metadata.httpStatusCode).toBe(204);
    await expect(cloud.client.send(new GetPolicyCommand({ FunctionName: 'api-echo' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      cloud.client.send(new RemovePermissionCommand({ FunctionName: 'api-echo', StatementId: 's3invoke' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('refuses local-directory code from anyone but the administrator', async () => {
    // Prepare
    const request: ServiceRequest = {
      method: 'POST',
      rawPath: '/2015-03-31/functions',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.from(
        JSON.stringify({
          FunctionName: 'sneaky',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'x.handler',
          Code: { S3Bucket: '__local__', S3Key: '/etc' },
        }),
      ),
      service: 'lambda',
      region: 'us-east-1',
      requestId: 'r-1',
      caller: {
        accessKeyId: 'ASIA1',
        accountId: '000000000000',
        principalArn: 'arn:aws:sts::000000000000:assumed-role/fn/session',
      },
    };

    // Act
    const response = await cloud.service.handle(request);

    // Assess
    expect(response.status).toBe(403);
    expect(response.headers?.['x-amzn-errortype']).toBe('AccessDeniedException');
  });
});

describe('LambdaService protocol errors (handle() without sockets)', () => {
  const service = new LambdaService({ trace: new TraceBus(), endpoint: () => 'http://127.0.0.1:1' });
  afterAll(() => service.close());
  const request = (
    method: string,
    rawPath: string,
    body = '',
    headers: Record<string, string> = {},
  ): ServiceRequest => ({
    method,
    rawPath,
    query: new URLSearchParams(),
    headers,
    body: Buffer.from(body),
    service: 'lambda',
    region: 'us-east-1',
    requestId: 'req-1',
    caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
  });

  it.each([
    [
      'malformed JSON',
      request('POST', '/2015-03-31/functions', '{"FunctionName":'),
      400,
      'InvalidRequestContentException',
    ],
    ['a JSON array body', request('POST', '/2015-03-31/functions', '[]'), 400, 'InvalidRequestContentException'],
    [
      'a wrongly typed field',
      request('POST', '/2015-03-31/functions', '{"FunctionName":42}'),
      400,
      'InvalidRequestContentException',
    ],
    ['an unknown operation', request('PATCH', '/nothing/here'), 404, 'UnknownOperationException'],
    [
      'an operation not implemented locally',
      request('GET', '/2015-03-31/event-source-mappings/'),
      501,
      'NotImplemented',
    ],
    ['a bad percent-encoding', request('GET', '/2015-03-31/functions/%E0%A4%A'), 400, 'ValidationException'],
  ])('answers %s with an AWS error, never a crash', async (_case, req, status, code) => {
    // Act
    const response = await service.handle(req);

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers?.['x-amzn-errortype']).toBe(code);
    expect(JSON.parse(String(response.body))).toMatchObject({ Type: expect.any(String) });
  });

  it('writes ResourceNotFoundException with Type and capitalised Message, as recorded', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-function-not-found.json')).content.invoke_function_doesnotexist;

    // Act
    const response = await service.handle(request('POST', '/2015-03-31/functions/doesnotexist/invocations', '{}'));

    // Assess
    expect(response.status).toBe(recorded.ResponseMetadata.HTTPStatusCode);
    const body = JSON.parse(String(response.body));
    expect(Object.keys(body).sort()).toEqual(['Message', 'Type']);
    expect(body.Type).toBe(recorded.Type);
    expect(body.Message).toBe(
      recorded.Message.replace('<partition>', 'aws')
        .replace('<region>', 'us-east-1')
        .replace('111111111111', '000000000000'),
    );
  });
});

describe('LambdaService persistence', () => {
  it('keeps functions and their code across a restart', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'lambda-persist-'));
    try {
      const first = await startLambdaCloud({ dataDir });
      await first.client.send(
        new CreateFunctionCommand({
          FunctionName: 'kept',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "still here";' }) },
        }),
      );
      await first.close();

      // Act
      const second = await startLambdaCloud({ dataDir });
      const result = await second.client.send(new InvokeCommand({ FunctionName: 'kept' }));
      await second.close();

      // Assess
      expect(new TextDecoder().decode(result.Payload)).toBe('"still here"');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
