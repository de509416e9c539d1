import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ResourceConflictException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBService } from '../../../../../infra/local/dynamodb/service.ts';
import type { Service } from '../../../../../infra/local/edge/types.ts';
import { KinesisService, toLambdaKinesisRecord } from '../../../../../infra/local/kinesis/service.ts';
import { EventSourceMappings } from '../../../../../infra/local/lambda/esm/service.ts';
import { parseFunctionRef } from '../../../../../infra/local/lambda/names.ts';
import { LambdaService } from '../../../../../infra/local/lambda/service.ts';
import { TraceBus, type TraceEvent } from '../../../../../infra/local/trace/bus.ts';
import { startEdge, TEST_CREDENTIALS, type TestEdge } from '../../../../helpers/edge.ts';
import { ROLE, zipOf } from '../../../../helpers/lambda-cloud.ts';

// A stream handler in the Powertools style: logs the keys it got, reports records flagged `fail`.
const HANDLER = `
export const handler = async (event) => {
  console.log('BATCH ' + JSON.stringify(event.Records.map((r) => r.dynamodb.Keys.id.S)));
  const failed = event.Records.filter((r) => r.dynamodb.NewImage?.fail?.BOOL);
  return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })) };
};
`;

let edge: TestEdge;
let lambda: LambdaClient;
let ddb: DynamoDBClient;
let kinesis: KinesisClient;
let esm: EventSourceMappings;
const seen: TraceEvent[] = [];

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  // GIVEN Lambda (with event source mappings delegated as the lead wires them) and DynamoDB behind the edge
  const trace = new TraceBus(50_000);
  trace.subscribe((event) => seen.push(event));
  let endpoint = '';
  const lambdaService = new LambdaService({ trace, endpoint: () => endpoint });
  const dynamodb = new DynamoDBService({ trace });
  const kinesisService = new KinesisService({ trace });
  esm = new EventSourceMappings({
    trace,
    invoke: (functionArn, payload, options) => lambdaService.invoke(functionArn, payload, options),
    resolveFunction: (ref) => {
      if (!lambdaService.functionExists(ref)) return undefined;
      return lambdaService.store.get(parseFunctionRef(ref).name)?.config.FunctionArn;
    },
    sources: {
      dynamodb: dynamodb.streamRecords,
      kinesis: {
        store: kinesisService.store,
        toLambdaRecord: (record, { streamArn, shardId, region, functionArn }) =>
          toLambdaKinesisRecord(record as Parameters<typeof toLambdaKinesisRecord>[0], {
            streamArn,
            shardId,
            region,
            invokeIdentityArn: lambdaService.store.get(parseFunctionRef(functionArn).name)?.config.Role ?? '',
          }),
      },
    },
    retryDelayMs: 20,
    stateDelayMs: 20,
  });
  const lambdaWithMappings: Service = {
    signingNames: lambdaService.signingNames,
    handle: (request) =>
      EventSourceMappings.handles(request.rawPath) ? esm.handle(request) : lambdaService.handle(request),
    close: async () => {
      await esm.close();
      await lambdaService.close();
    },
  };
  edge = await startEdge([lambdaWithMappings, dynamodb, kinesisService], trace);
  endpoint = edge.endpoint;
  const config = { endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  lambda = new LambdaClient(config);
  ddb = new DynamoDBClient(config);
  // The edge speaks HTTP/1.1; the Kinesis client defaults to HTTP/2.
  kinesis = new KinesisClient(config); // the SDK's default HTTP/2 handler, as a handler would use it
});

afterAll(async () => {
  lambda?.destroy();
  ddb?.destroy();
  kinesis?.destroy();
  await edge?.close();
});

describe('DynamoDB stream → event source mapping → function (real SDK clients)', () => {
  it('delivers the table writes to the handler and retries from a reported failure', async () => {
    const table = await ddb.send(
      new CreateTableCommand({
        TableName: 'esm-orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const streamArn = table.TableDescription!.LatestStreamArn!;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'esm-metrics',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zipOf({ 'index.mjs': HANDLER }) },
      }),
    );

    // WHEN a mapping is created (SDK) and items are written
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'esm-metrics',
        EventSourceArn: streamArn,
        StartingPosition: 'LATEST',
        BatchSize: 10,
        // Wide enough that the three writes below land in one batch even on a loaded machine.
        MaximumBatchingWindowInSeconds: 3,
        MaximumRetryAttempts: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    await until(async () => {
      const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
      return got.State === 'Enabled' ? got : undefined;
    });
    for (const [id, fail] of [
      ['o1', false],
      ['o2', true],
      ['o3', false],
    ] as const) {
      await ddb.send(new PutItemCommand({ TableName: 'esm-orders', Item: { id: { S: id }, fail: { BOOL: fail } } }));
    }
    const logs = () =>
      seen
        .filter((e) => e.type === 'lambda.log' && String(e.detail.line).includes('BATCH '))
        .map((e) => String(e.detail.line).slice(String(e.detail.line).indexOf('BATCH ') + 6));
    await until(() => (logs().length >= 4 ? true : undefined));
    const duplicate = await lambda
      .send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'esm-metrics',
          EventSourceArn: streamArn,
          StartingPosition: 'LATEST',
        }),
      )
      .catch((error: unknown) => error);
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: streamArn }));

    // THEN one batch of three (window), then o2 onwards retried twice and discarded
    expect(created.State).toBe('Creating');
    expect(created.LastModified).toBeInstanceOf(Date);
    expect(logs().slice(0, 4)).toEqual(['["o1","o2","o3"]', '["o2","o3"]', '["o2","o3"]', '["o2","o3"]']);
    const results = seen.filter((e) => e.type === 'esm.invoke.result');
    expect(results[0]!.detail).toMatchObject({ outcome: 'partial' });
    await until(() => (seen.some((e) => e.type === 'esm.onfailure') ? true : undefined));
    expect(seen.find((e) => e.type === 'esm.onfailure')!.detail).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
      batchSize: 2,
    });
    expect(duplicate).toBeInstanceOf(ResourceConflictException);
    expect(listed.EventSourceMappings?.map((m) => m.UUID)).toEqual([created.UUID]);
  }, 90_000);
});

const KINESIS_HANDLER = `
export const handler = async (event) => {
  console.log('KINESIS ' + JSON.stringify(event.Records.map((r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString()))));
  console.log('ROLE ' + event.Records[0].invokeIdentityArn);
};
`;

describe('Kinesis stream → event source mapping → function (real SDK clients)', () => {
  it('delivers put records, filtered on their JSON data', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'esm-clicks', ShardCount: 1 }));
    const streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/esm-clicks';
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'esm-clicks',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: zipOf({ 'index.mjs': KINESIS_HANDLER }) },
      }),
    );
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'esm-clicks',
        EventSourceArn: streamArn,
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { kind: ['click'] } }) }] },
      }),
    );
    for (const kind of ['click', 'view', 'click']) {
      await kinesis.send(
        new PutRecordCommand({
          StreamName: 'esm-clicks',
          PartitionKey: 'p',
          Data: new TextEncoder().encode(JSON.stringify({ kind })),
        }),
      );
    }
    const lines = (prefix: string) =>
      seen
        .filter((e) => e.type === 'lambda.log' && String(e.detail.line).includes(prefix))
        .map((e) => String(e.detail.line).slice(String(e.detail.line).indexOf(prefix) + prefix.length));
    // The handler logs two lines per batch; wait for both, not just the first.
    await until(() =>
      lines('KINESIS ').flatMap((line) => JSON.parse(line)).length >= 2 && lines('ROLE ').length > 0 ? true : undefined,
    );

    expect(lines('KINESIS ').flatMap((line) => JSON.parse(line))).toEqual([{ kind: 'click' }, { kind: 'click' }]);
    expect(lines('ROLE ')[0]).toBe(ROLE);
  }, 90_000);
});
