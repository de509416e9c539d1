import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decode,
  type LambdaCloud,
  ROLE,
  recording,
  startLambdaCloud,
  zipOf,
} from '../../../../helpers/lambda-cloud.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:versioned';

/** A handler that says which code it is and what Lambda told it (the version, the ARN it was invoked by). */
const code = (tag: string) =>
  zipOf({
    'index.mjs': `export const handler = async (event, context) => {
  console.log('running ${tag}');
  return { tag: '${tag}', event, version: process.env.AWS_LAMBDA_FUNCTION_VERSION, functionVersion: context.functionVersion, invokedFunctionArn: context.invokedFunctionArn, logStreamName: context.logStreamName };
};\n`,
  });

/** The AWS error an SDK call failed with: name, HTTP status and message. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('versions and aliases (real LambdaClient through the SigV4 edge)', () => {
  let cloud: LambdaCloud;
  const invoke = async (qualifier?: string, payload = '{}') => {
    const result = await cloud.client.send(
      new InvokeCommand({ FunctionName: 'versioned', Qualifier: qualifier, Payload: payload, LogType: 'Tail' }),
    );
    return { result, body: JSON.parse(decode(result.Payload)) };
  };

  beforeAll(async () => {
    cloud = await startLambdaCloud();
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'versioned',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: code('one') },
      }),
    );
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('publishes version 1 (201, Version "1", qualified ARN), and nothing new while nothing changed', async () => {
    // Act
    const first = await cloud.client.send(new PublishVersionCommand({ FunctionName: 'versioned', Description: 'v1' }));
    const again = await cloud.client.send(new PublishVersionCommand({ FunctionName: 'versioned' }));

    // Assess
    expect(first.$metadata.httpStatusCode).toBe(201);
    expect(first).toMatchObject({
      Version: '1',
      FunctionArn: `${ARN}:1`,
      Description: 'v1',
      FunctionName: 'versioned',
    });
    expect(again.Version).toBe('1');
  });

  it('keeps version 1 running the code it was published with after $LATEST changes', async () => {
    // Prepare
    await cloud.client.send(new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: code('two') }));
    const two = await cloud.client.send(new PublishVersionCommand({ FunctionName: 'versioned' }));

    // Act
    const latest = await invoke();
    const v1 = await invoke('1');
    const v2 = await cloud.client.send(new InvokeCommand({ FunctionName: 'versioned:2', Payload: '{}' }));

    // Assess
    expect(two.Version).toBe('2');
    expect(latest.body).toMatchObject({ tag: 'two', version: '$LATEST', invokedFunctionArn: ARN });
    expect(latest.result.ExecutedVersion).toBe('$LATEST');
    expect(v1.body).toMatchObject({ tag: 'one', version: '1', functionVersion: '1', invokedFunctionArn: `${ARN}:1` });
    expect(v1.body.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[1\][0-9a-f]{32}$/);
    expect(v1.result.ExecutedVersion).toBe('1');
    expect(v2.ExecutedVersion).toBe('2');
    expect(JSON.parse(decode(v2.Payload)).tag).toBe('two');
  });

  it('answers a qualified Invoke as recorded: ExecutedVersion, the ARN and START line name the version', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-qualifier-version-logs.json')).content;

    // Act
    const { result, body } = await invoke('1', JSON.stringify({ foo: 'bar with \'quotes"' }));

    // Assess
    expect(result.ExecutedVersion).toBe(recorded['invocation-response'].ExecutedVersion);
    expect(result.StatusCode).toBe(recorded['invocation-response'].StatusCode);
    expect(body.event).toEqual(recorded['invocation-response'].Payload.event);
    expect(body.invokedFunctionArn.endsWith(':1')).toBe(true);
    const lines = Buffer.from(result.LogResult ?? '', 'base64')
      .toString('utf8')
      .trim()
      .split('\n');
    const startLine = recorded.log_result.log_result[0] as string;
    expect(lines[0]).toBe(startLine.replace('<uuid:2>', result.$metadata.requestId ?? ''));
    expect(lines).toContain('END RequestId: ' + result.$metadata.requestId);
  });

  it('reads a version’s configuration by Qualifier and lists $LATEST first, its ARN qualified', async () => {
    // Act
    const v1 = await cloud.client.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'versioned', Qualifier: '1' }),
    );
    const fn = await cloud.client.send(new GetFunctionCommand({ FunctionName: `${ARN}:2` }));
    const listed = await cloud.client.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
    const paged = await cloud.client.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'versioned', MaxItems: 2 }),
    );

    // Assess
    expect(v1).toMatchObject({ Version: '1', FunctionArn: `${ARN}:1`, Description: 'v1' });
    expect(fn.Configuration).toMatchObject({ Version: '2', FunctionArn: `${ARN}:2` });
    expect(listed.Versions?.map((v) => [v.Version, v.FunctionArn])).toEqual([
      ['$LATEST', `${ARN}:$LATEST`],
      ['1', `${ARN}:1`],
      ['2', `${ARN}:2`],
    ]);
    expect(paged.Versions?.length).toBe(2);
    expect(paged.NextMarker).toBeDefined();
  });

  it('answers an unknown version with "Function not found" and its qualified ARN', async () => {
    expect(await failure(invoke('9'))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${ARN}:9`,
    });
    expect(
      await failure(cloud.client.send(new PublishVersionCommand({ FunctionName: 'versioned', CodeSha256: 'nope' }))),
    ).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(
        /^CodeSHA256 \(nope\) is different from current CodeSHA256 in \$LATEST \(.+\)\. Please try again with the current CodeSHA256\.$/,
      ),
    });
  });

  it('creates an alias, invokes through it (ExecutedVersion is the version), and refuses a second of the same name', async () => {
    // Act
    const alias = await cloud.client.send(
      new CreateAliasCommand({ FunctionName: 'versioned', Name: 'live', FunctionVersion: '1', Description: 'prod' }),
    );
    const { result, body } = await invoke('live');
    const duplicate = await failure(
      cloud.client.send(new CreateAliasCommand({ FunctionName: 'versioned', Name: 'live', FunctionVersion: '2' })),
    );

    // Assess
    expect(alias.$metadata.httpStatusCode).toBe(201);
    expect(alias).toMatchObject({ AliasArn: `${ARN}:live`, Name: 'live', FunctionVersion: '1', Description: 'prod' });
    expect(alias.RoutingConfig).toBeUndefined();
    expect(result.ExecutedVersion).toBe('1');
    expect(body).toMatchObject({ tag: 'one', invokedFunctionArn: `${ARN}:live` });
    expect(duplicate).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: `Alias already exists: ${ARN}:live`,
    });
  });

  it('routes by weight: UpdateAlias with AdditionalVersionWeights sends a share to the other version', async () => {
    // Act
    const updated = await cloud.client.send(
      new UpdateAliasCommand({
        FunctionName: 'versioned',
        Name: 'live',
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } },
      }),
    );
    const executed = new Set<string>();
    for (let i = 0; i < 30; i++) executed.add((await invoke('live')).result.ExecutedVersion ?? '');

    // Assess
    expect(updated.RoutingConfig).toEqual({ AdditionalVersionWeights: { '1': 0.5 } });
    expect(updated.Description).toBe('prod');
    expect([...executed].sort()).toEqual(['1', '2']);
  });

  it('refuses weights out of 0–1, on the primary version, or on more than one version', async () => {
    const update = (weights: Record<string, number>, version = '2') =>
      failure(
        cloud.client.send(
          new UpdateAliasCommand({
            FunctionName: 'versioned',
            Name: 'live',
            FunctionVersion: version,
            RoutingConfig: { AdditionalVersionWeights: weights },
          }),
        ),
      );
    expect(await update({ '1': 1.5 })).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'routingConfig.additionalVersionWeights' failed to satisfy constraint"),
    });
    expect(await update({ '2': 0.1 })).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Invalid function version 2. Function version 2 is already included in routing configuration.',
    });
    expect(await update({ '1': 0.1, $LATEST: 0.1 })).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Number of items in AdditionalVersionWeights cannot be greater than 1',
    });
    expect(await update({}, '7')).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${ARN}:7`,
    });
  });

  it('lists and gets aliases; an alias name may not be a number', async () => {
    // Prepare
    await cloud.client.send(
      new CreateAliasCommand({ FunctionName: 'versioned', Name: 'beta', FunctionVersion: '$LATEST' }),
    );

    // Act
    const all = await cloud.client.send(new ListAliasesCommand({ FunctionName: 'versioned' }));
    const ofTwo = await cloud.client.send(new ListAliasesCommand({ FunctionName: 'versioned', FunctionVersion: '2' }));
    const got = await cloud.client.send(new GetAliasCommand({ FunctionName: 'versioned', Name: 'beta' }));
    const numeric = await failure(
      cloud.client.send(new CreateAliasCommand({ FunctionName: 'versioned', Name: '12', FunctionVersion: '1' })),
    );

    // Assess
    expect(all.Aliases?.map((a) => a.Name)).toEqual(['live', 'beta']);
    expect(ofTwo.Aliases?.map((a) => a.Name)).toEqual(['live']);
    expect(got).toMatchObject({ Name: 'beta', FunctionVersion: '$LATEST', AliasArn: `${ARN}:beta` });
    expect(numeric).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("Value '12' at 'name'"),
    });
  });

  it('keeps a version an alias points at, and deletes a version nobody uses', async () => {
    // Prepare
    await cloud.client.send(new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: code('three') }));
    await cloud.client.send(new PublishVersionCommand({ FunctionName: 'versioned' }));

    // Act
    const inUse = await failure(
      cloud.client.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '1' })),
    );
    const latest = await failure(
      cloud.client.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '$LATEST' })),
    );
    await cloud.client.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '3' }));
    const listed = await cloud.client.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
    const republished = await cloud.client.send(
      new PublishVersionCommand({ FunctionName: 'versioned', Description: 'again' }),
    );

    // Assess
    expect(inUse).toMatchObject({ name: 'ResourceConflictException', message: expect.stringContaining('[live]') });
    expect(latest).toMatchObject({
      name: 'InvalidParameterValueException',
      message: '$LATEST version cannot be deleted without deleting the function.',
    });
    expect(listed.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
    // Version numbers are never reused.
    expect(republished.Version).toBe('4');
  });

  it('gives a version or alias its own resource policy (AddPermission Qualifier)', async () => {
    // Act
    const added = await cloud.client.send(
      new AddPermissionCommand({
        FunctionName: 'versioned',
        Qualifier: 'live',
        StatementId: 'apigw-live',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      }),
    );
    const ofAlias = await cloud.client.send(new GetPolicyCommand({ FunctionName: 'versioned', Qualifier: 'live' }));
    const ofFunction = await failure(cloud.client.send(new GetPolicyCommand({ FunctionName: 'versioned' })));

    // Assess
    expect(JSON.parse(added.Statement ?? '{}').Resource).toBe(`${ARN}:live`);
    expect(JSON.parse(ofAlias.Policy ?? '{}').Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['apigw-live']);
    expect(ofFunction.name).toBe('ResourceNotFoundException');
    expect(cloud.service.allowsInvoke(`${ARN}:live`, 'apigateway.amazonaws.com')).toBe(true);
    expect(cloud.service.allowsInvoke(ARN, 'apigateway.amazonaws.com')).toBe(false);
    expect(cloud.service.allowsInvoke(`${ARN}:1`, 'apigateway.amazonaws.com')).toBe(false);
  });

  it('deletes an alias with its permissions; GetAlias then answers "Cannot find alias arn"', async () => {
    // Act
    const deleted = await cloud.client.send(new DeleteAliasCommand({ FunctionName: 'versioned', Name: 'beta' }));
    const gone = await failure(cloud.client.send(new GetAliasCommand({ FunctionName: 'versioned', Name: 'beta' })));

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(gone).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Cannot find alias arn: ${ARN}:beta`,
    });
    expect(cloud.service.functionExists(`${ARN}:beta`)).toBe(false);
    expect(cloud.service.functionExists(`${ARN}:live`)).toBe(true);
  });

  it('lists versions with ListFunctions FunctionVersion=ALL, and refuses a qualified name where the function itself is meant', async () => {
    // Act
    const all = await cloud.client.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    const latestOnly = await cloud.client.send(new ListFunctionsCommand({}));
    const qualified = await failure(
      cloud.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'versioned:1', Description: 'x' })),
    );

    // Assess
    expect(all.Functions?.filter((f) => f.FunctionName === 'versioned').map((f) => f.Version)).toEqual([
      '$LATEST',
      '1',
      '2',
      '4',
    ]);
    expect(latestOnly.Functions?.map((f) => f.Version)).toEqual(['$LATEST']);
    expect(qualified).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining("'versioned:1'"),
    });
  });

  it('creates with Publish: true as version 1', async () => {
    // Act
    const created = await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'published-at-once',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: code('p') },
        Publish: true,
      }),
    );
    const listed = await cloud.client.send(new ListVersionsByFunctionCommand({ FunctionName: 'published-at-once' }));

    // Assess
    expect(created.Version).toBe('1');
    expect(listed.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
  });
});

describe('versions and aliases across a restart', () => {
  it('keeps versions, their code, aliases and async settings in the data directory', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'lambda-versions-data-'));
    try {
      const first = await startLambdaCloud({ dataDir });
      await first.client.send(
        new CreateFunctionCommand({
          FunctionName: 'kept',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: code('old') },
          Publish: true,
        }),
      );
      await first.client.send(new CreateAliasCommand({ FunctionName: 'kept', Name: 'live', FunctionVersion: '1' }));
      await first.client.send(new UpdateFunctionCodeCommand({ FunctionName: 'kept', ZipFile: code('new') }));
      await first.client.send(
        new PutFunctionEventInvokeConfigCommand({ FunctionName: 'kept', Qualifier: 'live', MaximumRetryAttempts: 1 }),
      );
      await first.close();

      // Act
      const second = await startLambdaCloud({ dataDir });
      const viaAlias = await second.client.send(new InvokeCommand({ FunctionName: 'kept:live', Payload: '{}' }));
      const latest = await second.client.send(new InvokeCommand({ FunctionName: 'kept', Payload: '{}' }));
      const config = await second.client.send(
        new GetFunctionEventInvokeConfigCommand({ FunctionName: 'kept', Qualifier: 'live' }),
      );
      await second.close();

      // Assess
      expect(JSON.parse(decode(viaAlias.Payload)).tag).toBe('old');
      expect(viaAlias.ExecutedVersion).toBe('1');
      expect(JSON.parse(decode(latest.Payload)).tag).toBe('new');
      expect(config.MaximumRetryAttempts).toBe(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('function references naming another region, account or partition (every action)', () => {
  let cloud: LambdaCloud;
  beforeAll(async () => {
    cloud = await startLambdaCloud();
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'here',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: code('here') },
      }),
    );
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it.each([
    ['Invoke', () => new InvokeCommand({ FunctionName: 'arn:aws:lambda:eu-central-1:000000000000:function:here' })],
    [
      'GetFunction',
      () => new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-central-1:000000000000:function:here' }),
    ],
    ['PublishVersion', () => new PublishVersionCommand({ FunctionName: 'eu-central-1:000000000000:function:here' })],
    [
      'ListAliases',
      () => new ListAliasesCommand({ FunctionName: 'arn:aws:lambda:eu-central-1:000000000000:function:here' }),
    ],
  ])(
    '%s answers 404 "Functions from \'eu-central-1\' are not reachable in this region" instead of running the local function',
    async (_name, command) => {
      expect(await failure(cloud.client.send(command() as never))).toEqual({
        name: 'ResourceNotFoundException',
        status: 404,
        message: "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')",
      });
    },
  );

  it('answers AccessDeniedException for another account’s function', async () => {
    const error = await failure(
      cloud.client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:111122223333:function:here' })),
    );
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      status: 403,
      message: expect.stringContaining(
        'is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:111122223333:function:here',
      ),
    });
  });

  it('applies the same checks where other services name a function (S3, event source mappings, API Gateway)', () => {
    expect(cloud.service.functionExists('arn:aws:lambda:us-east-1:000000000000:function:here')).toBe(true);
    expect(cloud.service.functionExists('arn:aws:lambda:eu-central-1:000000000000:function:here')).toBe(false);
    expect(cloud.service.resolveFunctionArn('arn:aws:lambda:us-east-1:111122223333:function:here')).toBeUndefined();
    expect(cloud.service.allowsInvoke('arn:aws:lambda:eu-west-1:000000000000:function:here', '*')).toBe(false);
  });

  it('refuses a payload that is not UTF-8 naming the byte and its position, as AWS (Jackson) words it', async () => {
    // Act: "\x87" — a JSON string whose second byte cannot start a UTF-8 character.
    const error = await failure(
      cloud.client.send(new InvokeCommand({ FunctionName: 'here', Payload: new Uint8Array([0x22, 0x87, 0x22]) })),
    );

    // Assess
    expect(error.name).toBe('InvalidRequestContentException');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /^Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 start byte 0x87\n at \[Source: .*; line: 1, column: 3\]$/s,
    );
  });

  it('names a broken continuation byte as a middle byte, on its line', async () => {
    const error = await failure(
      cloud.client.send(
        new InvokeCommand({
          FunctionName: 'here',
          Payload: new Uint8Array([0x7b, 0x0a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
        }),
      ),
    );
    expect(error.message).toMatch(/Invalid UTF-8 middle byte 0x28\n.*; line: 2, column: 4\]$/s);
  });

  it('still runs a payload with valid multi-byte UTF-8', async () => {
    const result = await cloud.client.send(
      new InvokeCommand({ FunctionName: 'here', Payload: new TextEncoder().encode('{"name":"Zoë 🚀"}') }),
    );
    expect(JSON.parse(decode(result.Payload)).event).toEqual({ name: 'Zoë 🚀' });
  });
});
