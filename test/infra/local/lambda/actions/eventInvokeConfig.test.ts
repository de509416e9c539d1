import {
  CreateFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../../infra/local/cloud.ts';
import type { TraceEvent } from '../../../../../infra/local/trace/bus.ts';
import { localCode, ROLE, recording, zipOf } from '../../../../helpers/lambda-cloud.ts';
import { diffFromRecording } from '../../../../helpers/recordings.ts';

const ACCOUNT = '000000000000';
const arn = (name: string, qualifier?: string) =>
  `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ''}`;

/** The invocation record a destination receives (shape: test/recordings/aws/lambda-async-*.json). */
interface InvocationRecord {
  readonly requestContext: { readonly requestId: string; readonly approximateInvokeCount: number };
  readonly responseContext?: unknown;
  readonly responsePayload?: unknown;
  readonly [member: string]: unknown;
}

/** Bare stand-ins of the recordings: `date` is an ISO timestamp. */
const STAND_INS = { date: (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value)) };

/** The recorded SQS-destination config, pointed at a Lambda destination instead (same shape, modelled type). */
const asLambdaDestination = (recorded: unknown) =>
  JSON.parse(
    JSON.stringify(recorded).replaceAll(
      'arn:<partition>:sqs:<region>:111111111111:<resource:1>',
      'arn:<partition>:lambda:<region>:111111111111:function:<resource:1>',
    ),
  );

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message, body: { ...(error as object) } };
  }
  throw new Error('expected the call to fail');
}

describe('asynchronous invocation: event invoke config, retries, event age, destinations, reserved concurrency', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  let s3: S3Client;
  const seen: TraceEvent[] = [];

  const create = (name: string, code: Record<string, unknown>, handler = 'index.handler') =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: handler,
        Code: code,
      }),
    );
  /** Records a destination function received: it logs the event as one JSON line. */
  const received = (functionName: string) =>
    seen
      .filter((e) => e.type === 'lambda.log' && (e.detail as { functionName: string }).functionName === functionName)
      .map((e) => (e.detail as { line: string }).line)
      .filter((line) => line.includes('"requestContext"'))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as InvocationRecord);
  const waitFor = async <T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const recordFor = (functionName: string, requestId: string) =>
    waitFor(() => received(functionName).find((r) => r.requestContext.requestId === requestId));
  const asyncInvoke = async (name: string, payload: unknown, qualifier?: string) => {
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: name,
        Qualifier: qualifier,
        InvocationType: 'Event',
        Payload: JSON.stringify(payload),
      }),
    );
    expect(result.StatusCode).toBe(202);
    return result.$metadata.requestId!;
  };

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false, asyncRetryDelaysMs: [50, 100] });
    cloud.trace.subscribe((event) => seen.push(event));
    lambda = new LambdaClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
      maxAttempts: 1,
    });
    s3 = new S3Client({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
      forcePathStyle: true,
    });
    await create('records', {
      ZipFile: zipOf({
        'index.mjs': 'export const handler = async (event) => { console.log(JSON.stringify(event)); return "ok"; };\n',
      }),
    });
    await create('succeeds', {
      ZipFile: zipOf({ 'index.mjs': 'export const handler = async (event) => ({ got: event });\n' }),
    });
    await create('fails', localCode(), 'throws.handler');
    await s3.send(new CreateBucketCommand({ Bucket: 'failures' }));
  });
  afterAll(async () => {
    lambda?.destroy();
    s3?.destroy();
    await cloud?.close();
  });

  it('answers PutFunctionEventInvokeConfig in the recorded shape (no MaximumRetryAttempts when not given)', async () => {
    // Prepare
    const recorded = (await recording('lambda-async-onfailure-default-retries.json')).content
      .put_function_event_invoke_config;

    // Act
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'fails',
        DestinationConfig: { OnSuccess: { Destination: arn('records') }, OnFailure: { Destination: arn('records') } },
      }),
    );

    // Assess
    const { $metadata, ...body } = put;
    expect($metadata.httpStatusCode).toBe(recorded.ResponseMetadata.HTTPStatusCode);
    expect(put.LastModified).toBeInstanceOf(Date);
    const problems = diffFromRecording({ ...body, LastModified: 'datetime' }, asLambdaDestination(recorded), {
      sdkResponse: true,
    });
    expect(problems).toEqual([]);
  });

  it('retries twice by default, then sends the RetriesExhausted record to a Lambda destination (recorded shape)', async () => {
    // Prepare
    const recorded = (await recording('lambda-async-onfailure-default-retries.json')).content.receive_message_result
      .Messages[0].Body;

    // Act
    const requestId = await asyncInvoke('fails', { raise_error: 1 });
    const record = await recordFor('records', requestId);

    // Assess
    expect(record.responsePayload).toMatchObject({ errorType: 'Error', errorMessage: 'Error: undefined' });
    const problems = diffFromRecording(
      { ...record, responsePayload: 'python' },
      { ...recorded, responsePayload: 'python' },
      {
        standIns: STAND_INS,
        bindings: new Map([['<resource:2>', 'fails']]),
      },
    );
    expect(problems).toEqual([]);
    expect(record.requestContext.approximateInvokeCount).toBe(3);
    expect(seen.filter((e) => e.type === 'lambda.invoke.start' && e.requestId === requestId)).toHaveLength(3);
  });

  it('with MaximumRetryAttempts 0 fails after one attempt (recorded count 1) and keeps only what Put named', async () => {
    // Prepare
    const recorded = (await recording('lambda-async-onfailure-retries-exhausted.json')).content;
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'fails',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: arn('records') } },
      }),
    );

    // Act
    const requestId = await asyncInvoke('fails', { raise_error: 1 });
    const record = await recordFor('records', requestId);

    // Assess
    expect(put.MaximumRetryAttempts).toBe(recorded.put_function_event_invoke_config.MaximumRetryAttempts);
    expect(put.DestinationConfig).toEqual({ OnSuccess: {}, OnFailure: { Destination: arn('records') } });
    expect(record.requestContext).toEqual({
      requestId,
      functionArn: arn('fails', '$LATEST'),
      condition: 'RetriesExhausted',
      approximateInvokeCount: recorded.receive_message_result.Messages[0].Body.requestContext.approximateInvokeCount,
    });
    expect(record.responseContext).toEqual(recorded.receive_message_result.Messages[0].Body.responseContext);
  });

  it('sends the Success record to the on-success destination (recorded shape: no functionError)', async () => {
    // Prepare
    const recorded = (await recording('lambda-async-onsuccess.json')).content.receive_message_result.Messages[0].Body;
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'succeeds',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnSuccess: { Destination: arn('records') } },
      }),
    );

    // Act
    const requestId = await asyncInvoke('succeeds', {});
    const record = await recordFor('records', requestId);

    // Assess
    expect(record.responsePayload).toEqual({ got: {} });
    const problems = diffFromRecording(
      { ...record, responsePayload: 'own' },
      { ...recorded, responsePayload: 'own' },
      {
        standIns: STAND_INS,
        bindings: new Map([['<resource:2>', 'succeeds']]),
      },
    );
    expect(problems).toEqual([]);
  });

  it('ends an event by its maximum age after as many attempts as on AWS (recorded counts 1 and 2), to an S3 destination', async () => {
    // Prepare
    const recorded = (await recording('lambda-async-onfailure-event-age-exceeded.json')).content;
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'fails',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 60,
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failures' } },
      }),
    );
    const objects = async () => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'failures', Prefix: 'aws/lambda/async/fails/' }));
      return Promise.all(
        (listed.Contents ?? []).map(async ({ Key }) => ({
          key: Key!,
          body: JSON.parse(
            await (await s3.send(new GetObjectCommand({ Bucket: 'failures', Key }))).Body!.transformToString(),
          ),
        })),
      );
    };
    const objectFor = (requestId: string) =>
      waitFor(async () => (await objects()).find((o) => o.body.requestContext.requestId === requestId));

    // Act
    const first = await objectFor(await asyncInvoke('fails', { message: 'm' }));
    await lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'fails', MaximumEventAgeInSeconds: 90 }),
    );
    const second = await objectFor(await asyncInvoke('fails', { message: 'm' }));

    // Assess
    const today = new Date().toISOString().slice(0, 10);
    expect(first.key).toMatch(
      new RegExp(
        `^aws/lambda/async/fails/${today.replaceAll('-', '/')}/${today}T\\d\\d\\.\\d\\d\\.\\d\\d-[0-9a-f-]{36}$`,
      ),
    );
    const expected = (body: Record<string, unknown>) => ({
      ...body,
      requestPayload: { message: 'm' },
      responsePayload: 'own',
    });
    expect(
      diffFromRecording({ ...first.body, responsePayload: 'own' }, expected(recorded.no_retry_failure_message.Body), {
        standIns: STAND_INS,
        bindings: new Map([['<resource:1>', 'fails']]),
      }),
    ).toEqual([]);
    expect(
      diffFromRecording(
        { ...second.body, responsePayload: 'own' },
        expected(recorded.single_retry_failure_message.Body),
        {
          standIns: STAND_INS,
          bindings: new Map([['<resource:1>', 'fails']]),
        },
      ),
    ).toEqual([]);
  });

  it('throttles at reserved concurrency 0: sync 429 with Reason, async straight to on-failure (recorded)', async () => {
    // Prepare
    const recorded = (await recording('lambda-invoke-throttled-zero-reserved-concurrency.json')).content;
    await create('parked', { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "ran";\n' }) });
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'parked',
        DestinationConfig: { OnFailure: { Destination: arn('records') } },
      }),
    );

    // Act
    const put = await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'parked', ReservedConcurrentExecutions: 0 }),
    );
    const sync = await failure(lambda.send(new InvokeCommand({ FunctionName: 'parked', Payload: '{}' })));
    const requestId = await asyncInvoke('parked', {});
    const record = await recordFor('records', requestId);
    const concurrency = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'parked' }));
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'parked' }));

    // Assess
    expect(put.ReservedConcurrentExecutions).toBe(recorded.put_reserved.ReservedConcurrentExecutions);
    expect(sync).toMatchObject({
      name: recorded.exc_no_cap_requestresponse.Error.Code,
      status: recorded.exc_no_cap_requestresponse.ResponseMetadata.HTTPStatusCode,
      message: recorded.exc_no_cap_requestresponse.Error.Message,
      body: { Reason: recorded.exc_no_cap_requestresponse.Reason, Type: 'User' },
    });
    expect(
      diffFromRecording(record, recorded.msg.Body, {
        standIns: STAND_INS,
        bindings: new Map([['<function-name:1>', 'parked']]),
      }),
    ).toEqual([]);
    expect(seen.some((e) => e.type === 'lambda.invoke.start' && e.requestId === requestId)).toBe(false);
    expect(concurrency.ReservedConcurrentExecutions).toBe(0);
    expect(fn.Concurrency).toEqual({ ReservedConcurrentExecutions: 0 });
  });

  it('validates ranges and refuses destinations the local cloud does not deliver to, by name', async () => {
    const put = (input: Record<string, unknown>) =>
      failure(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', ...input })));
    expect(await put({ MaximumRetryAttempts: 3 })).toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
    });
    expect(await put({ MaximumEventAgeInSeconds: 59 })).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("Value '59' at 'maximumEventAgeInSeconds'"),
    });
    expect(await put({})).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'You must specify at least one of error handling or destination setting.',
    });
    expect(
      await put({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } } }),
    ).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('does not deliver to Amazon SQS queues'),
    });
    expect(
      await put({ DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sns:us-east-1:000000000000:t' } } }),
    ).toMatchObject({
      message: expect.stringContaining('Amazon SNS topics'),
    });
    expect(
      await put({
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:events:us-east-1:000000000000:event-bus/default' } },
      }),
    ).toMatchObject({ message: expect.stringContaining('EventBridge') });
    expect(await put({ DestinationConfig: { OnSuccess: { Destination: 'arn:aws:s3:::failures' } } })).toMatchObject({
      message: expect.stringContaining('S3 buckets are supported only for on-failure destinations'),
    });
    expect(await put({ DestinationConfig: { OnFailure: { Destination: arn('succeeds') } } })).toMatchObject({
      message: "You can't specify the function as a destination for itself.",
    });
  });

  it('gets, lists, updates and deletes configs per qualifier; a missing one is a 404 naming the ARN', async () => {
    // Prepare
    await lambda.send(new PublishVersionCommand({ FunctionName: 'succeeds' }));
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'succeeds',
        Qualifier: '1',
        MaximumEventAgeInSeconds: 120,
      }),
    );

    // Act
    const ofVersion = await lambda.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', Qualifier: '1' }),
    );
    const listed = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'succeeds' }));
    const updated = await lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', Qualifier: '1', MaximumRetryAttempts: 1 }),
    );
    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', Qualifier: '1' }));
    const gone = await failure(
      lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', Qualifier: '1' })),
    );

    // Assess
    expect(ofVersion).toMatchObject({ FunctionArn: arn('succeeds', '1'), MaximumEventAgeInSeconds: 120 });
    expect(listed.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn).sort()).toEqual([
      arn('succeeds', '$LATEST'),
      arn('succeeds', '1'),
    ]);
    expect(updated).toMatchObject({ MaximumEventAgeInSeconds: 120, MaximumRetryAttempts: 1 });
    expect(gone).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `The function ${arn('succeeds', '1')} doesn't have an EventInvokeConfig`,
    });
  });

  it('refuses DeadLetterConfig by name instead of accepting and dropping it', async () => {
    const error = await failure(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'succeeds',
          DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
        }),
      ),
    );
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'succeeds' }));
    expect(error).toMatchObject({
      name: 'InvalidParameterValueException',
      status: 400,
      message: expect.stringContaining(
        'The local cloud does not support the DeadLetterConfig parameter of UpdateFunctionConfiguration',
      ),
    });
    expect(config.DeadLetterConfig).toBeUndefined();
  });
});
