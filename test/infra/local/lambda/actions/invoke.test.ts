import {
  CreateFunctionCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service, ServiceRequest, ServiceResponse } from '../../../../../infra/local/edge/types.ts';
import {
  decode,
  type LambdaCloud,
  localCode,
  ROLE,
  recording,
  startLambdaCloud,
  zipOf,
} from '../../../../helpers/lambda-cloud.ts';

/** Replaces AWS placeholders of a recording with the local cloud's values. */
const localise = (text: string) =>
  text.replaceAll('<partition>', 'aws').replaceAll('<region>', 'us-east-1').replaceAll('111111111111', '000000000000');

/** A stand-in S3 that answers ListBuckets, to see a function's SDK call arrive signed. */
const fakeS3: Service = {
  signingNames: ['s3'],
  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body:
        '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets>' +
        `<Bucket><Name>signed-by-${request.caller.accessKeyId}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>` +
        '</Buckets></ListAllMyBucketsResult>',
    };
  },
};

describe('Invoke', () => {
  let cloud: LambdaCloud;
  const create = (name: string, handler: string, extra: Record<string, unknown> = {}) =>
    cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: handler,
        Code: localCode(),
        ...extra,
      }),
    );

  beforeAll(async () => {
    cloud = await startLambdaCloud({}, [fakeS3]);
    await create('echo', 'echo.handler');
    await create('throws', 'throws.handler');
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('answers RequestResponse with 200, ExecutedVersion and the payload (recorded shape)', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-requestresponse.json')).content['invoke-result'];

    // Act
    const result = await cloud.client.send(new InvokeCommand({ FunctionName: 'echo', Payload: '{}' }));

    // Assess
    expect(result.StatusCode).toBe(recorded.StatusCode);
    expect(result.ExecutedVersion).toBe(recorded.ExecutedVersion);
    expect(JSON.parse(decode(result.Payload))).toEqual(recorded.Payload);
    expect(result.FunctionError).toBeUndefined();
    expect(result.LogResult).toBeUndefined();
  });

  it('returns the last 4 KB of the log, base64, for LogType Tail (recorded lines)', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-tail-logresult-nodejs.json')).content.logs.logs as string[];

    // Act
    const result = await cloud.client.send(new InvokeCommand({ FunctionName: 'echo', Payload: '{}', LogType: 'Tail' }));

    // Assess
    const lines = Buffer.from(result.LogResult ?? '', 'base64')
      .toString('utf8')
      .trimEnd()
      .split('\n');
    const requestId = result.$metadata.requestId ?? '';
    expect(lines.at(-4)).toBe(recorded[0]?.trimEnd().replace('<request-id>', requestId));
    expect(lines.at(-3)).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${requestId}\\tINFO\\t\\{\\}$`));
    expect(lines.at(-2)).toBe(`END RequestId: ${requestId}`);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB$`,
      ),
    );
  });

  it('writes Init Duration on the cold start only', async () => {
    // Prepare
    await create('cold', 'echo.handler');

    // Act
    const first = await cloud.client.send(new InvokeCommand({ FunctionName: 'cold', LogType: 'Tail' }));
    const second = await cloud.client.send(new InvokeCommand({ FunctionName: 'cold', LogType: 'Tail' }));

    // Assess
    expect(Buffer.from(first.LogResult ?? '', 'base64').toString()).toMatch(/\tInit Duration: \d+\.\d\d ms\t/);
    expect(Buffer.from(second.LogResult ?? '', 'base64').toString()).not.toMatch(/Init Duration/);
    const starts = cloud.events('lambda.invoke.start').filter((e) => e.detail.functionName === 'cold');
    expect(starts.map((e) => e.detail.cold)).toEqual([true, false]);
  });

  it('reports a handler error with X-Amz-Function-Error Unhandled and the Node error shape (recorded)', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-function-error-nodejs.json')).content.error_result;

    // Act
    const result = await cloud.client.send(
      new InvokeCommand({ FunctionName: 'throws', Payload: JSON.stringify({ error_msg: 'some_error_msg' }) }),
    );

    // Assess
    expect(result.StatusCode).toBe(recorded.StatusCode);
    expect(result.FunctionError).toBe(recorded.FunctionError);
    expect(result.ExecutedVersion).toBe('$LATEST');
    const payload = JSON.parse(decode(result.Payload));
    expect(Object.keys(payload)).toEqual(Object.keys(recorded.Payload));
    expect(payload.errorType).toBe(recorded.Payload.errorType);
    expect(payload.errorMessage).toBe(recorded.Payload.errorMessage);
    expect(payload.trace[0]).toBe('Error: Error: some_error_msg');
  });

  it('answers DryRun with 204 and an empty body (recorded)', async () => {
    const recorded = (await recording('lambda-invoke-dryrun-204.json')).content['invoke-result'];
    const result = await cloud.client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(result.StatusCode).toBe(recorded.StatusCode);
    expect(decode(result.Payload)).toBe(recorded.Payload);
    expect(cloud.events('lambda.invoke.start', result.$metadata.requestId)).toHaveLength(0);
  });

  it('answers Event with 202 and an empty body, then runs the function (recorded)', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-event-202.json')).content['invoke-result'];

    // Act
    const result = await cloud.client.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: '{"async":true}' }),
    );

    // Assess
    expect(result.StatusCode).toBe(recorded.StatusCode);
    expect(decode(result.Payload)).toBe(recorded.Payload);
    expect(result.ExecutedVersion).toBeUndefined();
    const end = await cloud.waitFor(
      (e) => e.type === 'lambda.invoke.end' && e.requestId === result.$metadata.requestId,
    );
    expect(end.detail).toMatchObject({ functionName: 'echo', invocationType: 'Event' });
    expect(end.detail.error).toBeUndefined();
  });

  it('retries a failing Event invocation twice with the configured delays, then drops it', async () => {
    // Act
    const requestId = cloud.service.invokeAsync('throws', { error_msg: 'async' }, { source: 's3' });
    const dropped = await cloud.waitFor((e) => e.type === 'lambda.async.dropped' && e.requestId === requestId);

    // Assess
    const attempts = cloud.events('lambda.invoke.start', requestId).map((e) => e.detail.attempt);
    expect(attempts).toEqual([1, 2, 3]);
    expect(cloud.events('lambda.async.retry', requestId).map((e) => e.detail.delayMs)).toEqual([50, 100]);
    expect(dropped.detail).toMatchObject({
      functionName: 'throws',
      reason: 'RetriesExhausted',
      attempts: 3,
      errorType: 'Error',
    });
    expect(cloud.events('lambda.invoke.end', requestId)).toHaveLength(3);
  });

  it('answers a missing function with 404 ResourceNotFoundException naming the $LATEST ARN (recorded)', async () => {
    const recorded = (await recording('lambda-invoke-function-not-found.json')).content.invoke_function_doesnotexist;
    await expect(cloud.client.send(new InvokeCommand({ FunctionName: 'doesnotexist' }))).rejects.toMatchObject({
      name: recorded.Error.Code,
      message: localise(recorded.Error.Message),
      Type: 'User',
      $metadata: { httpStatusCode: recorded.ResponseMetadata.HTTPStatusCode },
    });
  });

  it('answers a malformed function name with the recorded ValidationException', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-invalid-function-name.json')).content
      .invoke_function_name_pattern_exc;
    const bad = 'arn:aws:lambda:us-east-1:123400000000@function:myfn';

    // Act
    const response = await cloud.service.handle({
      method: 'POST',
      rawPath: `/2015-03-31/functions/${encodeURIComponent(bad)}/invocations`,
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.from('{}'),
      service: 'lambda',
      region: 'us-east-1',
      requestId: 'r-bad',
      caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
    });

    // Assess
    expect(response.status).toBe(recorded.ResponseMetadata.HTTPStatusCode);
    expect(response.headers?.['x-amzn-errortype']).toBe(recorded.Error.Code);
    expect(JSON.parse(String(response.body)).message).toBe(localise(recorded.Error.Message));
  });

  it('refuses a synchronous payload over 6 MB with 413 RequestEntityTooLargeException', async () => {
    const payload = JSON.stringify({ blob: 'a'.repeat(6 * 1024 * 1024) });
    await expect(
      cloud.client.send(new InvokeCommand({ FunctionName: 'echo', Payload: payload })),
    ).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('takes an asynchronous payload over 256 KB and up to 1 MB (Invoke API reference)', async () => {
    const payload = JSON.stringify({ blob: 'a'.repeat(300 * 1024) });
    const result = await cloud.client.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: payload }),
    );
    expect(result.StatusCode).toBe(202);
  });

  it('refuses an asynchronous payload over 1 MB with 413 RequestEntityTooLargeException', async () => {
    const payload = JSON.stringify({ blob: 'a'.repeat(1024 * 1024) });
    await expect(
      cloud.client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: payload })),
    ).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 1048576 bytes for the InvokeFunction operation',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('keeps the deprecated InvokeAsync at 256 KB (its API reference: larger payloads use Invoke)', async () => {
    const payload = JSON.stringify({ blob: 'a'.repeat(300 * 1024) });
    await expect(
      cloud.client.send(new InvokeAsyncCommand({ FunctionName: 'echo', InvokeArgs: payload })),
    ).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 262144 bytes for the InvokeAsync operation',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('answers a response over 6 MB with Function.ResponseSizeTooLarge (recorded)', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-response-too-large.json')).content.invoke_result;
    await create('too-large', 'big-response.handler', { MemorySize: 512 });

    // Act
    const result = await cloud.client.send(new InvokeCommand({ FunctionName: 'too-large' }));

    // Assess
    expect(result.StatusCode).toBe(recorded.StatusCode);
    expect(result.FunctionError).toBe(recorded.FunctionError);
    expect(JSON.parse(decode(result.Payload))).toEqual(recorded.Payload);
  });

  it('refuses a payload that is not JSON with InvalidRequestContentException', async () => {
    await expect(
      cloud.client.send(new InvokeCommand({ FunctionName: 'echo', Payload: 'not json' })),
    ).rejects.toMatchObject({
      name: 'InvalidRequestContentException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('gives a zip with only index.mjs the AWS SDK v3, the endpoint and role credentials', async () => {
    // Prepare
    const zip = zipOf({
      'index.mjs': [
        "import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';",
        'const s3 = new S3Client({ forcePathStyle: true });',
        'export const handler = async () => (await s3.send(new ListBucketsCommand({}))).Buckets.map((b) => b.Name);',
      ].join('\n'),
    });
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'sdk-zip',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zip },
      }),
    );

    // Act
    const result = await cloud.client.send(new InvokeCommand({ FunctionName: 'sdk-zip' }));

    // Assess
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(decode(result.Payload))).toEqual(['signed-by-test']);
  });

  it('streams log lines and start/end events on the trace bus', async () => {
    // Act
    const result = await cloud.client.send(new InvokeCommand({ FunctionName: 'echo', Payload: '{"traced":1}' }));

    // Assess
    const requestId = result.$metadata.requestId;
    const lines = cloud.events('lambda.log', requestId).map((e) => e.detail.line as string);
    expect(lines[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(lines.some((line) => line.endsWith('\tINFO\t{"traced":1}'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^REPORT /);
    const end = cloud.events('lambda.invoke.end', requestId)[0];
    expect(end?.detail).toMatchObject({
      functionName: 'echo',
      invocationType: 'RequestResponse',
      billedDuration: expect.any(Number),
      maxMemoryUsedMB: expect.any(Number),
    });
  });

  it('keeps environments warm and starts more for concurrent invocations', async () => {
    // Prepare
    await create('counter', 'counter.handler');
    await cloud.client.send(new InvokeCommand({ FunctionName: 'counter' }));

    // Act
    const warm = JSON.parse(decode((await cloud.client.send(new InvokeCommand({ FunctionName: 'counter' }))).Payload));
    const concurrent = await Promise.all(
      [1, 2, 3].map(() =>
        cloud.client.send(new InvokeCommand({ FunctionName: 'counter', Payload: '{"sleepMs":300}' })),
      ),
    );

    // Assess
    expect(warm.invocations).toBe(2);
    const environments = new Set(concurrent.map((r) => JSON.parse(decode(r.Payload)).environment));
    expect(environments.size).toBe(3);
    expect(cloud.service.environments('counter').length).toBe(3);
  });

  it('recycles environments after UpdateFunctionConfiguration', async () => {
    // Prepare
    await create('recycle', 'counter.handler');
    const before = JSON.parse(
      decode((await cloud.client.send(new InvokeCommand({ FunctionName: 'recycle' }))).Payload),
    );

    // Act
    await cloud.client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'recycle', Description: 'x', Timeout: 5 }),
    );
    const after = JSON.parse(decode((await cloud.client.send(new InvokeCommand({ FunctionName: 'recycle' }))).Payload));

    // Assess
    expect(after.environment).not.toBe(before.environment);
    expect(after.invocations).toBe(1);
  });
});

describe('Invoke with idle reaping', () => {
  it('stops environments that stay idle past idleTimeoutMs', async () => {
    // Prepare
    const cloud = await startLambdaCloud({ idleTimeoutMs: 200 });
    try {
      await cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: 'idle',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'echo.handler',
          Code: localCode(),
        }),
      );
      await cloud.client.send(new InvokeCommand({ FunctionName: 'idle' }));
      expect(cloud.service.environments('idle')).toHaveLength(1);

      // Act
      await new Promise((resolve) => setTimeout(resolve, 600));

      // Assess
      expect(cloud.service.environments('idle')).toHaveLength(0);
      const again = await cloud.client.send(new InvokeCommand({ FunctionName: 'idle', Payload: '{"n":1}' }));
      expect(decode(again.Payload)).toBe('{"n":1}');
    } finally {
      await cloud.close();
    }
  });

  it('counts the idle time from the last invocation, and never stops an environment while it runs', async () => {
    // Prepare
    const cloud = await startLambdaCloud({ idleTimeoutMs: 400 });
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const invoke = async (payload: unknown) =>
      JSON.parse(
        decode(
          (await cloud.client.send(new InvokeCommand({ FunctionName: 'busy', Payload: JSON.stringify(payload) })))
            .Payload,
        ),
      ) as { invocations: number; environment: string };
    try {
      await cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: 'busy',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'counter.handler',
          Code: localCode(),
        }),
      );
      const first = await invoke({});

      // Act: used again before its idle time is up, then busy for longer than the idle time
      await wait(250);
      const second = await invoke({});
      await wait(250);
      const third = await invoke({ sleepMs: 700 });
      const stillWarm = cloud.service.environments('busy').length;
      await wait(1000);

      // Assess: one environment served all three, and went once idle for longer than the timeout
      expect([second.environment, third.environment]).toEqual([first.environment, first.environment]);
      expect(third.invocations).toBe(3);
      expect(stillWarm).toBe(1);
      expect(cloud.service.environments('busy')).toHaveLength(0);
    } finally {
      await cloud.close();
    }
  });
});
