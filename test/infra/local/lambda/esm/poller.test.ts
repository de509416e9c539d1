import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEsmHarness,
  differencesFromRecording,
  type EsmHarness,
  type JsonBody,
  KINESIS_STREAM_ARN,
  recording,
  SHARD_ID,
  TABLE_STREAM_ARN,
} from '../../../../helpers/esm-harness.ts';

const PATH = '/2015-03-31/event-source-mappings/';
const FAILURES_BUCKET = 'arn:aws:s3:::failed-batches';

let h: EsmHarness;

beforeEach(() => {
  h = createEsmHarness();
});

afterEach(async () => {
  await h.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idsOf = (records: { dynamodb?: { NewImage?: Record<string, { S?: string }> } }[]) =>
  records.map((r) => r.dynamodb?.NewImage?.id?.S);

describe('batches', () => {
  it('delivers records in order, BatchSize at a time, with eventSourceARN added to each record', async () => {
    // GIVEN five records already in the stream
    for (const id of ['a', 'b', 'c', 'd', 'e']) h.putItem(id);

    // WHEN a TRIM_HORIZON mapping with BatchSize 2 starts
    await h.createMapping({ BatchSize: 2 });
    await h.until(() => h.invocations.length === 3);

    // THEN
    expect(h.batches()).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    const recorded = recording('dynamodb-esm-event-insert-new-image.json').content as {
      event_logs: { Records: object[] }[];
    };
    const record = h.invocations[0]!.event.Records[0]!;
    expect(Object.keys(record)).toEqual(Object.keys(recorded.event_logs[0]!.Records[0]!));
    expect(record.eventSourceARN).toBe(TABLE_STREAM_ARN);
    expect(h.events('esm.batch')[0]!.detail).toMatchObject({
      shardId: SHARD_ID,
      size: 2,
      firstSequence: record.dynamodb?.SequenceNumber,
    });
  });

  it('invokes as soon as records arrive when there is no batching window', async () => {
    await h.createMapping();
    h.putItem('a');
    await h.until(() => h.invocations.length === 1);
    h.putItem('b');
    await h.until(() => h.invocations.length === 2);
    expect(h.batches()).toEqual([['a'], ['b']]);
  });

  it('collects records for MaximumBatchingWindowInSeconds before invoking', async () => {
    await h.createMapping({ MaximumBatchingWindowInSeconds: 1, BatchSize: 10 });
    const start = Date.now();
    h.putItem('a');
    await sleep(200);
    h.putItem('b');
    await h.until(() => h.invocations.length === 1, 3_000);
    const waited = Date.now() - start;
    await sleep(100);

    expect(h.batches()).toEqual([['a', 'b']]);
    expect(waited).toBeGreaterThanOrEqual(950);
  });

  it('does not wait out the window once BatchSize records are there', async () => {
    await h.createMapping({ MaximumBatchingWindowInSeconds: 5, BatchSize: 2 });
    const start = Date.now();
    h.putItem('a');
    h.putItem('b');
    await h.until(() => h.invocations.length === 1, 2_000);
    expect(Date.now() - start).toBeLessThan(1_000);
  });

  it('caps a batch at the 6 MB synchronous payload limit', async () => {
    const big = 'x'.repeat(1_000_000);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) h.putItem(id, { blob: { S: big } });
    await h.createMapping({ BatchSize: 100 });
    await h.until(() => h.invocations.length === 2);
    expect(h.batches().map((batch) => batch.length)).toEqual([6, 1]);
  });

  it('starts after the newest record with LATEST', async () => {
    h.putItem('old');
    await h.createMapping({ StartingPosition: 'LATEST' });
    h.putItem('new');
    await h.until(() => h.invocations.length === 1);
    await sleep(50);
    expect(h.batches()).toEqual([['new']]);
  });
});

describe('function errors', () => {
  it('retries a failing batch, then writes the on-failure record to S3 and moves on (recorded shape)', async () => {
    // GIVEN a function that fails for 'bad' only, one retry, an S3 destination
    const recorded = recording('dynamodb-esm-onfailure-s3.json').content as { record_body: JsonBody };
    h.setHandler((event) =>
      idsOf(event.Records).includes('bad')
        ? { functionError: 'Unhandled', payload: { errorType: 'Error', errorMessage: 'boom' } }
        : { payload: null },
    );
    const mapping = await h.createMapping({
      BatchSize: 1,
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: FAILURES_BUCKET } },
    });

    // WHEN
    h.putItem('bad');
    h.putItem('good');
    await h.until(() => h.invocations.length === 3);

    // THEN 'bad' came twice (1 + 1 retry), then 'good'; one object in the bucket
    expect(h.batches()).toEqual([['bad'], ['bad'], ['good']]);
    expect(h.s3Objects).toHaveLength(1);
    const object = h.s3Objects[0]!;
    expect(object.bucket).toBe('failed-batches');
    expect(object.key).toMatch(
      new RegExp(
        `^aws/lambda/${mapping.UUID}/${SHARD_ID}/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`,
      ),
    );
    const body = JSON.parse(object.body);
    expect(body.payload).toEqual(h.invocations[1]!.event);
    expect(
      differencesFromRecording({ ...body, payload: 'payload' }, { ...recorded.record_body, payload: 'payload' }),
    ).toEqual([]);
    expect(body.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 2,
      requestId: h.invocations[1]!.requestId,
    });
    expect(body.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(body.DDBStreamBatchInfo.approximateArrivalOfFirstRecord).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(h.events('esm.onfailure')[0]!.detail).toMatchObject({
      delivered: true,
      condition: 'RetryAttemptsExhausted',
      key: object.key,
    });
  });

  it('blocks the shard while a batch keeps failing and reports PROBLEM in LastProcessingResult', async () => {
    let failing = true;
    h.setHandler(() => (failing ? new Error('function not reachable') : { payload: null }));
    const mapping = await h.createMapping({ BatchSize: 1 });
    h.putItem('a');
    h.putItem('b');
    await h.until(() => h.invocations.length >= 3);
    const during = await h.request('GET', `${PATH}${mapping.UUID}`);
    failing = false;
    await h.until(() => h.batches().at(-1)?.[0] === 'b');
    const after = await h.request('GET', `${PATH}${mapping.UUID}`);

    expect(new Set(h.batches().slice(0, -2).flat())).toEqual(new Set(['a']));
    expect(h.batches().slice(-2)).toEqual([['a'], ['b']]);
    expect(during.body.LastProcessingResult).toBe('PROBLEM: Function call failed');
    expect(after.body.LastProcessingResult).toBe('OK');
  });

  it('discards without a destination, saying so in the trace', async () => {
    h.setHandler(() => ({ functionError: 'Unhandled', payload: { errorMessage: 'no' } }));
    await h.createMapping({ MaximumRetryAttempts: 0 });
    h.putItem('a');
    await h.until(() => h.events('esm.onfailure').length === 1);
    expect(h.invocations).toHaveLength(1);
    expect(h.events('esm.onfailure')[0]!.detail).toMatchObject({
      delivered: false,
      destination: null,
      approximateInvokeCount: 1,
    });
  });

  it('bisects a failing batch with BisectBatchOnFunctionError, without spending retries on the splits', async () => {
    h.setHandler((event) =>
      idsOf(event.Records).includes('c') ? { functionError: 'Unhandled', payload: {} } : { payload: null },
    );
    for (const id of ['a', 'b', 'c', 'd']) h.putItem(id);
    await h.createMapping({
      BatchSize: 4,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: FAILURES_BUCKET } },
    });
    await h.until(() => h.invocations.length === 6);
    await sleep(50);

    expect(h.batches()).toEqual([['a', 'b', 'c', 'd'], ['a', 'b'], ['c', 'd'], ['c'], ['c'], ['d']]);
    const body = JSON.parse(h.s3Objects[0]!.body);
    expect(body.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(body.requestContext.approximateInvokeCount).toBe(2);
  });

  it('discards records older than MaximumRecordAgeInSeconds with condition RecordAgeExceeded', async () => {
    // GIVEN a function that always fails and a record that gets old while it is retried
    const start = Date.now();
    h.setClock(start);
    h.setHandler(() => ({ functionError: 'Unhandled', payload: {} }));
    await h.createMapping({
      MaximumRecordAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: FAILURES_BUCKET } },
    });
    h.putItem('a');
    await h.until(() => h.invocations.length >= 2);

    // WHEN a minute passes
    h.setClock(start + 61_000);
    await h.until(() => h.s3Objects.length === 1);

    // THEN
    const body = JSON.parse(h.s3Objects[0]!.body);
    expect(body.requestContext.condition).toBe('RecordAgeExceeded');
    expect(body.requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(2);
  });
});

describe('ReportBatchItemFailures', () => {
  const success = (name: string) => [name, (recording(name).content.dynamodb_events as unknown[]).length] as const;
  it.each([
    [...success('dynamodb-esm-batch-item-success-empty-failures.json'), { batchItemFailures: [] }],
    [...success('dynamodb-esm-batch-item-success-empty-list.json'), []],
    [...success('dynamodb-esm-batch-item-success-empty-object.json'), {}],
    ['a null response', 1, null],
  ])('%s: treats the response as success (delivered %i time)', async (_, deliveries, payload) => {
    h.setHandler(() => ({ payload }));
    await h.createMapping({
      BatchSize: 1,
      MaximumRetryAttempts: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    h.putItem('a');
    h.putItem('b');
    await h.until(() => h.invocations.length >= 2);
    await sleep(50);
    expect(h.batches()).toEqual([['a'], ['b']].slice(0, deliveries + 1));
  });

  it.each([
    ['dynamodb-esm-batch-item-failure-null-identifier.json', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['dynamodb-esm-batch-item-failure-missing-itemidentifier-null.json', { batchItemFailures: [{ foo: null }] }],
    ['dynamodb-esm-batch-item-failure-unknown-identifier.json', { batchItemFailures: [{ itemIdentifier: 123 }] }],
    ['(not a list)', { batchItemFailures: 'everything' }],
  ])('%s: fails the whole batch, retried MaximumRetryAttempts times', async (name, payload) => {
    // GIVEN the recorded setup: BatchSize 3, MaximumRetryAttempts 3, one record
    const recorded = name.endsWith('.json') ? recording(name).content : undefined;
    h.setHandler(() => ({ payload }));
    await h.createMapping({
      BatchSize: 3,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: FAILURES_BUCKET } },
    });

    // WHEN
    h.putItem('hello world');
    await h.until(() => h.s3Objects.length === 1);

    // THEN 1 + 3 deliveries, and the on-failure record says so, with no function error
    const body = JSON.parse(h.s3Objects[0]!.body);
    expect(h.invocations).toHaveLength(4);
    expect(body.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 });
    expect(body.responseContext.functionError).toBeNull();
    if (recorded) {
      const messages = recorded.destination_queue_messages as { Messages: { Body: Record<string, unknown> }[] };
      expect((recorded.dynamodb_events as unknown[]).length).toBe(h.invocations.length);
      expect(
        differencesFromRecording(
          { ...body, payload: undefined },
          { ...messages.Messages[0]!.Body, payload: undefined },
        ),
      ).toEqual([]);
    }
  });

  it('checkpoints before the failed record and retries from there (recorded counts)', async () => {
    // GIVEN the recorded case: six records, BatchSize 3, MaximumRetryAttempts 3, testId5 always fails
    const recorded = recording('dynamodb-esm-report-batch-item-failures.json').content as {
      dynamodb_records: { Records: { dynamodb: { Keys: { my_partition_key: { S: string } } } }[] };
      destination_queue_messages: {
        Messages: {
          Body: { requestContext: { approximateInvokeCount: number }; DDBStreamBatchInfo: { batchSize: number } };
        }[];
      };
    };
    const recordedCounts: Record<string, number> = {};
    for (const record of recorded.dynamodb_records.Records) {
      const key = record.dynamodb.Keys.my_partition_key.S;
      recordedCounts[key] = (recordedCounts[key] ?? 0) + 1;
    }
    h.setHandler((event) => ({
      payload: {
        batchItemFailures: event.Records.filter((r) => r.dynamodb?.NewImage?.should_fail?.BOOL).map((r) => ({
          itemIdentifier: r.dynamodb?.SequenceNumber,
        })),
      },
    }));
    for (let i = 0; i < 6; i += 1) h.putItem(`testId${i}`, { should_fail: { BOOL: i === 5 } });

    // WHEN
    await h.createMapping({
      BatchSize: 3,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: FAILURES_BUCKET } },
    });
    await h.until(() => h.s3Objects.length === 1);

    // THEN
    const counts: Record<string, number> = {};
    for (const id of h.batches().flat()) counts[id!] = (counts[id!] ?? 0) + 1;
    expect(counts).toEqual(recordedCounts);
    const body = JSON.parse(h.s3Objects[0]!.body);
    const recordedBody = recorded.destination_queue_messages.Messages[0]!.Body;
    expect(body.requestContext.approximateInvokeCount).toBe(recordedBody.requestContext.approximateInvokeCount);
    expect(body.DDBStreamBatchInfo.batchSize).toBe(recordedBody.DDBStreamBatchInfo.batchSize);
    expect(body.DDBStreamBatchInfo.startSequenceNumber).toBe(
      h.invocations.at(-1)!.event.Records[0]!.dynamodb?.SequenceNumber,
    );
  });

  it('uses the lowest failed sequence number as the checkpoint', async () => {
    let first = true;
    h.setHandler((event) => {
      if (!first) return { payload: null };
      first = false;
      const [, b, c] = event.Records;
      return {
        payload: {
          batchItemFailures: [
            { itemIdentifier: c!.dynamodb?.SequenceNumber },
            { itemIdentifier: b!.dynamodb?.SequenceNumber },
          ],
        },
      };
    });
    for (const id of ['a', 'b', 'c', 'd']) h.putItem(id);
    await h.createMapping({ BatchSize: 4, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    await h.until(() => h.invocations.length === 2);
    await sleep(50);
    expect(h.batches()).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'c', 'd'],
    ]);
  });

  it('ignores batchItemFailures when ReportBatchItemFailures is off', async () => {
    h.setHandler(() => ({ payload: { batchItemFailures: [{ itemIdentifier: null }] } }));
    await h.createMapping();
    h.putItem('a');
    await h.until(() => h.invocations.length === 1);
    await sleep(50);
    expect(h.invocations).toHaveLength(1);
  });
});

describe('disable and enable', () => {
  it('stops polling while disabled and resumes from the checkpoint, including a batch that was failing', async () => {
    // GIVEN a mapping whose function fails on 'x'
    let failing = true;
    h.setHandler((event) =>
      failing && idsOf(event.Records).includes('x') ? { functionError: 'Unhandled', payload: {} } : { payload: null },
    );
    const mapping = await h.createMapping({ BatchSize: 1 });
    h.putItem('a');
    h.putItem('x');
    await h.until(() => h.batches().filter((b) => b[0] === 'x').length >= 2);

    // WHEN disabled, records keep arriving, then the function is fixed and the mapping enabled
    await h.request('PUT', `${PATH}${mapping.UUID}`, { Enabled: false });
    await h.esm.settled();
    const countWhenDisabled = h.invocations.length;
    h.putItem('b');
    await sleep(100);
    const countWhileDisabled = h.invocations.length;
    failing = false;
    await h.request('PUT', `${PATH}${mapping.UUID}`, { Enabled: true });
    await h.esm.settled();
    await h.until(() => h.batches().at(-1)?.[0] === 'b');

    // THEN nothing was invoked while disabled, and 'x' was delivered again before 'b'
    expect(countWhileDisabled).toBe(countWhenDisabled);
    expect(h.batches().slice(countWhenDisabled)).toEqual([['x'], ['b']]);
  });
});

describe('filters', () => {
  const patternOf = (name: string) =>
    JSON.stringify(
      (
        recording(name).content.create_event_source_mapping_response as {
          FilterCriteria: { Filters: { Pattern: unknown }[] };
        }
      ).FilterCriteria.Filters[0]!.Pattern,
    );
  const invocationsOf = (name: string) => (recording(name).content['lambda-multiple-log-events'] as unknown[]).length;

  it.each([
    [
      'dynamodb-esm-event-insert-modify-new-and-old-images.json',
      patternOf('dynamodb-esm-event-insert-modify-new-and-old-images.json'),
      [
        ['id_value', {}, 'INSERT'],
        ['id_value', { id2: { S: 'id2_new_value' } }, 'MODIFY'],
        ['id_value', {}, 'REMOVE'],
      ],
      invocationsOf('dynamodb-esm-event-insert-modify-new-and-old-images.json'),
    ],
    [
      'dynamodb-esm-filter-newimage-string-value.json',
      patternOf('dynamodb-esm-filter-newimage-string-value.json'),
      [
        ['id_value_1', { presentKey: { S: 'presentValue' } }],
        ['id_value_2', {}],
      ],
      invocationsOf('dynamodb-esm-filter-newimage-string-value.json'),
    ],
    [
      'dynamodb-esm-filter-prefix.json',
      patternOf('dynamodb-esm-filter-prefix.json'),
      [
        ['id_value_1', { prefix: { S: 'us-1-other-suffix' } }],
        ['id_value_1', { prefix: { S: 'other-suffix' } }, 'MODIFY'],
      ],
      invocationsOf('dynamodb-esm-filter-prefix.json'),
    ],
    [
      'dynamodb-esm-filter-newimage-exists-false.json',
      patternOf('dynamodb-esm-filter-newimage-exists-false.json'),
      [
        ['id_value_1', {}],
        ['id_value_2', { presentKey: { S: 'presentValue' } }],
      ],
      invocationsOf('dynamodb-esm-filter-newimage-exists-false.json'),
    ],
    [
      // The recorder overwrote this pattern; the note gives the one sent.
      'dynamodb-esm-filter-approximatecreationdatetime-numeric.json',
      JSON.stringify({ dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>', 0] }] } }),
      [
        ['id_value_1', {}],
        ['id_value_2', {}],
      ],
      invocationsOf('dynamodb-esm-filter-approximatecreationdatetime-numeric.json'),
    ],
  ] as const)('%s', async (_, pattern, items, expectedInvocations) => {
    await h.createMapping({ BatchSize: 1, FilterCriteria: { Filters: [{ Pattern: pattern }] } });
    for (const [id, attributes, eventName] of items) h.putItem(id, attributes, eventName);
    await h.until(() => h.invocations.length >= expectedInvocations);
    await sleep(100);
    expect(h.invocations).toHaveLength(expectedInvocations);
  });

  it('moves past filtered-out records, so they are not read again after a restart of the poller', async () => {
    const mapping = await h.createMapping({ FilterCriteria: { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] } });
    h.putItem('a');
    await sleep(50);
    await h.request('PUT', `${PATH}${mapping.UUID}`, { FilterCriteria: { Filters: [] } });
    await h.request('PUT', `${PATH}${mapping.UUID}`, { Enabled: false });
    await h.esm.settled();
    await h.request('PUT', `${PATH}${mapping.UUID}`, { Enabled: true });
    await h.esm.settled();
    h.putItem('b');
    await h.until(() => h.invocations.length === 1);
    await sleep(50);
    expect(h.batches()).toEqual([['b']]);
  });
});

describe('Kinesis', () => {
  it('delivers Kinesis records through the adapter, filtering on the decoded data', async () => {
    const data = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64');
    await h.createMapping({
      EventSourceArn: KINESIS_STREAM_ARN,
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: '{"data":{"type":["click"]}}' }] },
    });
    h.kinesis.append(KINESIS_STREAM_ARN, 'shardId-000000000000', {
      partitionKey: 'p',
      data: data({ type: 'click', x: 1 }),
    });
    h.kinesis.append(KINESIS_STREAM_ARN, 'shardId-000000000000', { partitionKey: 'p', data: data({ type: 'view' }) });
    h.kinesis.append(KINESIS_STREAM_ARN, 'shardId-000000000000', {
      partitionKey: 'p',
      data: data({ type: 'click', x: 2 }),
    });
    await h.until(() => h.invocations.flatMap((i) => i.event.Records).length === 2);

    const records = h.invocations.flatMap((i) => i.event.Records) as unknown as {
      kinesis: { data: string; sequenceNumber: string };
      eventSourceARN: string;
    }[];
    expect(records.map((r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString()).x)).toEqual([1, 2]);
    expect(records[0]!.eventSourceARN).toBe(KINESIS_STREAM_ARN);
    expect(records[0]!.kinesis.sequenceNumber).toHaveLength(56);
  });

  it('writes KinesisBatchInfo (with milliseconds) to the on-failure object', async () => {
    h.setHandler(() => ({ functionError: 'Unhandled', payload: {} }));
    await h.createMapping({
      EventSourceArn: KINESIS_STREAM_ARN,
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: FAILURES_BUCKET } },
    });
    h.kinesis.append(KINESIS_STREAM_ARN, 'shardId-000000000000', { partitionKey: 'p', data: 'AA==' });
    await h.until(() => h.s3Objects.length === 1);
    const body = JSON.parse(h.s3Objects[0]!.body);
    expect(body.KinesisBatchInfo).toMatchObject({
      shardId: 'shardId-000000000000',
      batchSize: 1,
      streamArn: KINESIS_STREAM_ARN,
    });
    expect(body.KinesisBatchInfo.approximateArrivalOfFirstRecord).toMatch(/\.\d{3}Z$/);
    expect(body.DDBStreamBatchInfo).toBeUndefined();
  });
});
