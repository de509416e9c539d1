import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEsmHarness,
  differencesFromRecording,
  type EsmHarness,
  FUNCTION_ARN,
  FUNCTION_NAME,
  type JsonBody,
  KINESIS_STREAM_ARN,
  recording,
  SHARD_ID,
  TABLE_STREAM_ARN,
} from '../../../../helpers/esm-harness.ts';

const PATH = '/2015-03-31/event-source-mappings/';

let h: EsmHarness;

beforeEach(() => {
  h = createEsmHarness();
});

afterEach(async () => {
  await h.close();
});

function create(params: Record<string, unknown>) {
  return h.request('POST', PATH, {
    FunctionName: FUNCTION_NAME,
    EventSourceArn: TABLE_STREAM_ARN,
    StartingPosition: 'TRIM_HORIZON',
    ...params,
  });
}

/** Lambda's error body: botocore reads Error.Code from x-amzn-ErrorType and the message from the body. */
function errorOf(response: Awaited<ReturnType<EsmHarness['request']>>) {
  return {
    code: response.headers['x-amzn-errortype'],
    message: response.body.message ?? response.body.Message,
    type: response.body.Type,
    status: response.status,
  };
}

describe('CreateEventSourceMapping', () => {
  it('answers 202 Creating with the recorded stream defaults, then becomes Enabled', async () => {
    // GIVEN the request the recording made (MaximumBatchingWindowInSeconds 1, nothing else)
    const recorded = recording('lambda-esm-dynamodb-disable.json').content;

    // WHEN
    const created = await create({ MaximumBatchingWindowInSeconds: 1 });
    await h.esm.settled();
    const got = await h.request('GET', `${PATH}${created.body.UUID}`);

    // THEN
    expect(created.status).toBe(202);
    expect(differencesFromRecording(created.body, recorded.create_event_source_mapping_result)).toEqual([]);
    expect(created.body).toMatchObject({ FunctionArn: FUNCTION_ARN, EventSourceArn: TABLE_STREAM_ARN });
    expect(created.body.EventSourceMappingArn).toBe(
      `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.body.UUID}`,
    );
    expect(typeof created.body.LastModified).toBe('number');
    expect(got.status).toBe(200);
    expect(got.body.State).toBe('Enabled');
  });

  it('defaults MaximumBatchingWindowInSeconds to 0 for streams and keeps what was asked', async () => {
    const defaults = await create({});
    await h.request('DELETE', `${PATH}${defaults.body.UUID}`);
    await h.esm.settled();
    const custom = await create({
      BatchSize: 1,
      MaximumRetryAttempts: 1,
      MaximumRecordAgeInSeconds: 60,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failed-batches' } },
    });

    expect(defaults.body.MaximumBatchingWindowInSeconds).toBe(0);
    expect(custom.status).toBe(202);
    expect(custom.body).toMatchObject({
      BatchSize: 1,
      MaximumRetryAttempts: 1,
      MaximumRecordAgeInSeconds: 60,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failed-batches' } },
    });
  });

  it('returns the filter patterns as sent (JSON text)', async () => {
    const pattern = JSON.stringify({ eventName: ['INSERT', 'MODIFY'] });
    const created = await create({ FilterCriteria: { Filters: [{ Pattern: pattern }] } });
    expect(created.body.FilterCriteria).toEqual({ Filters: [{ Pattern: pattern }] });
  });

  it('answers 409 ResourceConflictException for a second mapping of the same stream and function', async () => {
    const recorded = recording('lambda-esm-dynamodb-duplicate-conflict.json').content;
    const first = await create({});

    const second = await create({});

    expect(errorOf(second)).toEqual({
      code: 'ResourceConflictException',
      status: 409,
      type: 'User',
      message: `The event source arn (" ${TABLE_STREAM_ARN} ") and function (" ${FUNCTION_NAME} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${first.body.UUID}`,
    });
    expect(
      differencesFromRecording(
        { Code: second.headers['x-amzn-errortype'], Message: second.body.message },
        (recorded.error as { Error: unknown }).Error,
      ),
    ).toEqual([]);
  });

  const startingPosition = recording('lambda-esm-dynamodb-starting-position-validation.json').content as Record<
    string,
    { Error: { Code: string; Message: string }; ResponseMetadata: { HTTPStatusCode: number } }
  >;
  it.each([
    ['no_starting_position', { StartingPosition: undefined }],
    ['invalid_starting_position', { StartingPosition: 'invalid' }],
    ['incompatible_starting_position', { StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: 1_700_000_000 }],
  ])('rejects %s as AWS does', async (name, params) => {
    const expected = startingPosition[name]!;

    const response = await create(params);

    expect(response.status).toBe(expected.ResponseMetadata.HTTPStatusCode);
    expect(response.headers['x-amzn-errortype']).toBe(expected.Error.Code);
    expect(differencesFromRecording(response.body.message, expected.Error.Message)).toEqual([]);
  });

  const invalid = recording('lambda-esm-errors-not-found-and-invalid.json').content as Record<
    string,
    { Error: { Code: string; Message: string } }
  >;
  it.each([
    ['create_no_event_source_arn', { EventSourceArn: undefined }],
    ['create_unknown_params', { FunctionName: 'does-not-exist' }],
    ['destination_config_failure', { DestinationConfig: { OnSuccess: { Destination: 'arn:aws:s3:::bucket' } } }],
  ])('answers %s with the recorded InvalidParameterValueException', async (name, params) => {
    const response = await create(params);
    expect(errorOf(response)).toEqual({
      code: 'InvalidParameterValueException',
      status: 400,
      type: 'User',
      message: invalid[name]!.Error.Message,
    });
  });

  it.each([
    ['single-string', 'single-string'],
    ['malformed JSON', '[{"eventName": ["INSERT"=123}]'],
    ['a leaf that is not a list', JSON.stringify({ eventName: 'INSERT' })],
    ['an unknown operator', JSON.stringify({ eventName: [{ 'starts-with': 'IN' }] })],
  ])('rejects the filter pattern %s with "Invalid filter pattern definition."', async (_, pattern) => {
    const expected = recording('lambda-esm-invalid-filter-pattern.json').content.exception_event_source_creation as {
      Error: { Message: string };
    };
    const response = await create({ FilterCriteria: { Filters: [{ Pattern: pattern }] } });
    expect(errorOf(response)).toEqual({
      code: 'InvalidParameterValueException',
      status: 400,
      type: 'User',
      message: expected.Error.Message,
    });
  });

  it.each([
    [
      { BatchSize: 10_001 },
      "Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000",
    ],
    [
      { BatchSize: 0 },
      "Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      { MaximumBatchingWindowInSeconds: 301 },
      "at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300",
    ],
    [
      { MaximumRetryAttempts: -2 },
      "at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to -1",
    ],
    [
      { MaximumRecordAgeInSeconds: 604_801 },
      "at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 604800",
    ],
    [
      { FunctionResponseTypes: ['Other'] },
      "at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]",
    ],
  ])('rejects %o with a ValidationException', async (params, message) => {
    const response = await create(params);
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(response.body.message).toContain(message);
  });

  it('names the type a member must have when the body has another (in plain English)', async () => {
    const response = await create({ BatchSize: 'ten' });
    expect(errorOf(response)).toMatchObject({ code: 'InvalidRequestContentException', status: 400 });
    expect(response.body.message).toBe("Could not parse request body into json: 'batchSize' must be an integer");
  });

  it.each([
    [{ MaximumRecordAgeInSeconds: 30 }, 'MaximumRecordAgeInSeconds must be -1 (infinite) or between 60 and 604800'],
    [
      { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } } },
      'The local cloud has no SQS',
    ],
    [
      { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:topic' } } },
      'The local cloud has no SNS',
    ],
    [
      { TumblingWindowInSeconds: 60 },
      'The local cloud does not support the TumblingWindowInSeconds parameter of CreateEventSourceMapping',
    ],
    [
      { ParallelizationFactor: 2 },
      'The local cloud does not support the ParallelizationFactor parameter of CreateEventSourceMapping (batches of a shard run one at a time)',
    ],
    [
      { Tags: { team: 'a' } },
      'The local cloud does not support the Tags parameter of CreateEventSourceMapping (resource tags are not modelled)',
    ],
    [
      { EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:queue' },
      'polls DynamoDB streams and Kinesis data streams only',
    ],
    [{ Queues: ['q'] }, 'The local cloud does not support the Queues parameter of CreateEventSourceMapping'],
    [
      { EventSourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/missing/stream/2025-01-01T00:00:00.000' },
      'Stream not found: arn:aws:dynamodb',
    ],
  ])('rejects %o with an InvalidParameterValueException that says why', async (params, message) => {
    const response = await create(params);
    expect(errorOf(response)).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
    expect(response.body.message).toContain(message);
  });

  it('maps a Kinesis stream, where AT_TIMESTAMP is allowed', async () => {
    const response = await create({
      EventSourceArn: KINESIS_STREAM_ARN,
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: 1_700_000_000,
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: 1_700_000_000 });
  });
});

describe('Get, Update and Delete with an unknown UUID', () => {
  const recorded = recording('lambda-esm-errors-not-found-and-invalid.json').content as Record<
    string,
    { Error: { Message: string }; Message: string }
  >;
  it.each([
    ['get_unknown_uuid', 'GET'],
    ['update_unknown_uuid', 'PUT'],
    ['delete_unknown_uuid', 'DELETE'],
  ])('%s → 404 ResourceNotFoundException', async (name, method) => {
    const response = await h.request(
      method,
      `${PATH}a3f2b9a4-0000-4000-8000-000000000000`,
      method === 'PUT' ? { Enabled: false } : undefined,
    );
    expect(response.status).toBe(404);
    expect(response.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    // ResourceNotFoundException spells `Message` (recorded).
    expect(response.body).toEqual({ Type: 'User', Message: recorded[name]!.Message });
  });
});

describe('UpdateEventSourceMapping', () => {
  it('answers Disabling (recorded), then settles to Disabled; enabling again goes back to Enabled', async () => {
    const recorded = recording('lambda-esm-dynamodb-disable.json').content;
    const created = await h.createMapping({ MaximumBatchingWindowInSeconds: 1 });
    h.putItem('a');
    await h.until(() => h.invocations.length === 1);

    const disabling = await h.request('PUT', `${PATH}${created.UUID}`, { Enabled: false });
    await h.esm.settled();
    const disabled = await h.request('GET', `${PATH}${created.UUID}`);
    const enabling = await h.request('PUT', `${PATH}${created.UUID}`, { Enabled: true });
    await h.esm.settled();
    const enabled = await h.request('GET', `${PATH}${created.UUID}`);

    expect(disabling.status).toBe(202);
    expect(differencesFromRecording(disabling.body, recorded.update_event_source_mapping_result)).toEqual([]);
    expect(disabled.body.State).toBe('Disabled');
    expect(enabling.body.State).toBe('Enabling');
    expect(enabled.body.State).toBe('Enabled');
    expect(h.events('esm.state').map((e) => e.detail.state)).toEqual([
      'Creating',
      'Enabled',
      'Disabling',
      'Disabled',
      'Enabling',
      'Enabled',
    ]);
  });

  it('changes the batch size and filters, answering Updating', async () => {
    const created = await h.createMapping();
    const response = await h.request('PUT', `${PATH}${created.UUID}`, {
      BatchSize: 7,
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] },
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      State: 'Updating',
      BatchSize: 7,
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] },
    });
  });

  it('refuses a StartingPosition change', async () => {
    const created = await h.createMapping();
    const response = await h.request('PUT', `${PATH}${created.UUID}`, { StartingPosition: 'LATEST' });
    expect(errorOf(response)).toMatchObject({ code: 'InvalidParameterValueException' });
  });
});

describe('DeleteEventSourceMapping', () => {
  it('answers 202 Deleting (recorded), after which the mapping is gone', async () => {
    const recorded = recording('lambda-esm-dynamodb-create-get-delete.json').content;
    const created = await h.createMapping({
      BatchSize: 1,
      MaximumBatchingWindowInSeconds: 1,
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failures' } },
    });

    const deleted = await h.request('DELETE', `${PATH}${created.UUID}`);
    await h.esm.settled();
    const after = await h.request('GET', `${PATH}${created.UUID}`);

    // The recording used an SQS destination; the shape is the same with an S3 bucket ARN.
    const expected = structuredClone(recorded.delete_response) as {
      DestinationConfig: { OnFailure: { Destination: string } };
    };
    expected.DestinationConfig.OnFailure.Destination = 'arn:<partition>:s3:::<resource:3>';
    expect(deleted.status).toBe(202);
    expect(differencesFromRecording(deleted.body, expected)).toEqual([]);
    expect(after.status).toBe(404);
  });

  it('deletes the mappings of a deleted function', async () => {
    const created = await h.createMapping();
    expect(h.esm.deleteFunctionMappings(FUNCTION_ARN)).toEqual([created.UUID]);
    await h.esm.settled();
    expect((await h.request('GET', `${PATH}${created.UUID}`)).status).toBe(404);
  });
});

describe('ListEventSourceMappings', () => {
  it('filters by stream and function and pages with Marker/MaxItems', async () => {
    h.functions.add('other');
    const a = await h.createMapping();
    const b = await h.createMapping({ FunctionName: 'other' });
    const c = await h.createMapping({ EventSourceArn: KINESIS_STREAM_ARN, StartingPosition: 'LATEST' });

    const all = await h.request('GET', PATH);
    const byStream = await h.request('GET', PATH, undefined, { EventSourceArn: TABLE_STREAM_ARN });
    const byFunction = await h.request('GET', PATH, undefined, { FunctionName: 'other' });
    const page1 = await h.request('GET', PATH, undefined, { MaxItems: '2' });
    const page2 = await h.request('GET', PATH, undefined, { MaxItems: '2', Marker: page1.body.NextMarker });

    const uuids = (response: { body: JsonBody }) =>
      response.body.EventSourceMappings.map((m: { UUID: string }) => m.UUID);
    expect(uuids(all)).toEqual([a.UUID, b.UUID, c.UUID]);
    expect(uuids(byStream)).toEqual([a.UUID, b.UUID]);
    expect(uuids(byFunction)).toEqual([b.UUID]);
    expect(uuids(page1)).toEqual([a.UUID, b.UUID]);
    expect(page1.body.NextMarker).toBe(c.UUID);
    expect(uuids(page2)).toEqual([c.UUID]);
    expect(page2.body.NextMarker).toBeUndefined();
  });
});

describe('persistence', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'esm-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A first instance that created a mapping and processed item 'a', then shut down. */
  async function processedOne() {
    const first = createEsmHarness({ dataDir });
    const created = await first.createMapping();
    first.putItem('a');
    await first.until(() => first.events('esm.invoke.result').length === 1);
    await first.close();
    return { created, stream: first.dynamodb };
  }

  it('keeps mappings and checkpoints in <dataDir>/lambda/event-source-mappings.json and resumes from the checkpoint', async () => {
    // GIVEN a persisted mapping that processed 'a'
    const { created, stream } = await processedOne();
    const saved = JSON.parse(readFileSync(join(dataDir, 'lambda', 'event-source-mappings.json'), 'utf8'));

    // WHEN a new instance starts on the same data and the same stream, which then gets 'b'
    const second = createEsmHarness({ dataDir }, undefined, stream);
    second.putItem('b');
    await second.until(() => second.invocations.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const got = await second.request('GET', `${PATH}${created.UUID}`);
    await second.close();

    // THEN only the record after the checkpoint was delivered
    expect(saved.mappings).toHaveLength(1);
    expect(Object.keys(saved.mappings[0].checkpoints)).toHaveLength(1);
    expect(second.batches()).toEqual([['b']]);
    expect(got.body).toMatchObject({ UUID: created.UUID, State: 'Enabled', LastProcessingResult: 'OK' });
  });

  it.each([
    ['exists at start-up', false],
    ['appears after start-up', true],
  ])('reads a recreated stream (empty after a restart) that %s from its start', async (_, late) => {
    await processedOne();

    const second = createEsmHarness({ dataDir }, ({ dynamodb }) => {
      if (late) dynamodb.delete(TABLE_STREAM_ARN);
    });
    if (late) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      second.dynamodb.create(TABLE_STREAM_ARN).addShard(SHARD_ID);
    }
    second.putItem('x');
    await second.until(() => second.invocations.length === 1);
    await second.close();

    expect(second.batches()).toEqual([['x']]);
    expect(second.events('esm.checkpoint.reset').length).toBeGreaterThanOrEqual(1);
  });
});

it('answers UnknownOperationException for other paths under the prefix', async () => {
  const response = await h.request('POST', `${PATH}abc/extra`);
  expect(response.headers['x-amzn-errortype']).toBe('UnknownOperationException');
});
