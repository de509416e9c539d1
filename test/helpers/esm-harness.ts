import type { DynamoDBRecord } from 'aws-lambda';
import { ACCOUNT_ID, type ServiceRequest } from '../../infra/local/edge/types.ts';
import { EventSourceMappings, type EventSourceMappingsOptions } from '../../infra/local/lambda/esm/service.ts';
import type { KinesisSource } from '../../infra/local/lambda/esm/types.ts';
import { ShardStore } from '../../infra/local/streams/shard-store.ts';
import { TraceBus, type TraceEvent } from '../../infra/local/trace/bus.ts';
import { readRecording } from './recordings.ts';

/** A JSON response body, read loosely as tests do. */
// biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies without declaring every shape
export type JsonBody = Record<string, any>;

export const REGION = 'us-east-1';
export const FUNCTION_NAME = 'stream-metrics';
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${FUNCTION_NAME}`;
export const TABLE_STREAM_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/orders/stream/2025-01-01T00:00:00.000`;
export const KINESIS_STREAM_ARN = `arn:aws:kinesis:${REGION}:${ACCOUNT_ID}:stream/clicks`;
export const SHARD_ID = 'shardId-00000001700000000000-00000001';

/** A recorded AWS case from test/recordings/aws. */
export function recording(name: string): { note: string; content: Record<string, unknown> } {
  return readRecording(name);
}

/** What the fake function answers: a payload, or a function error. */
export type FakeResult = { readonly payload?: unknown; readonly functionError?: string } | Error;

export interface Invocation {
  readonly functionArn: string;
  readonly event: { Records: DynamoDBRecord[] };
  readonly requestId: string;
}

/** Kinesis payload as the harness stores it; the adapter turns it into the Lambda record. */
export interface KinesisPayload {
  readonly partitionKey: string;
  readonly data: string;
}

export const kinesisAdapter = (store: ShardStore<KinesisPayload>): KinesisSource<KinesisPayload> => ({
  store,
  toLambdaRecord: (record, { streamArn, shardId, region }) => ({
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.payload.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: record.payload.data,
      approximateArrivalTimestamp: record.arrivalTime / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${ACCOUNT_ID}:role/lambda-role`,
    awsRegion: region,
    eventSourceARN: streamArn,
  }),
});

/**
 * Event source mappings with a fake synchronous invoke, in-memory shard stores (one DynamoDB
 * stream, one Kinesis stream, one shard each) and a fake S3 PutObject.
 */
export function createEsmHarness(
  options: Partial<EventSourceMappingsOptions> = {},
  /** Runs before the mappings start (e.g. to fill the stream a restored mapping resumes on). */
  before: (setup: { dynamodb: ShardStore<unknown>; putItem: (id: string) => string }) => void = () => {},
  /** A DynamoDB shard store to reuse (a stream that outlived a restart). */
  existing?: ShardStore<unknown>,
) {
  let clock: number | undefined;
  const now = () => clock ?? Date.now();
  const trace = new TraceBus(100_000);
  const events: TraceEvent[] = [];
  trace.subscribe((event) => events.push(event));
  const dynamodb = existing ?? new ShardStore<unknown>({ now });
  if (!existing) dynamodb.create(TABLE_STREAM_ARN).addShard(SHARD_ID);
  const kinesis = new ShardStore<KinesisPayload>({ now, format: { width: 56 } });
  kinesis.create(KINESIS_STREAM_ARN).addShard('shardId-000000000000');
  const functions = new Set([FUNCTION_NAME]);
  const invocations: Invocation[] = [];
  const s3Objects: { bucket: string; key: string; body: string }[] = [];
  let handler: (event: Invocation['event'], index: number) => FakeResult | Promise<FakeResult> = () => ({
    payload: null,
  });

  before({ dynamodb, putItem: (id) => putItem(id) });
  const esm = new EventSourceMappings({
    trace,
    region: REGION,
    invoke: async (functionArn, payload, options) => {
      const requestId = options?.requestId ?? '';
      const event = JSON.parse(String(payload)) as Invocation['event'];
      invocations.push({ functionArn, event, requestId });
      const result = await handler(event, invocations.length - 1);
      if (result instanceof Error) throw result;
      return {
        statusCode: 200,
        requestId,
        payload: JSON.stringify(result.payload ?? null),
        ...(result.functionError ? { functionError: 'Unhandled' as const } : {}),
      };
    },
    resolveFunction: (ref) => {
      const name = ref.startsWith('arn:') ? ref.split(':')[6]! : ref;
      return functions.has(name) ? `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}` : undefined;
    },
    sources: { dynamodb, kinesis: kinesisAdapter(kinesis) as unknown as KinesisSource },
    onFailure: {
      s3PutObject: async (bucket, key, body) => {
        s3Objects.push({ bucket, key, body });
      },
    },
    retryDelayMs: 5,
    stateDelayMs: 5,
    ...options,
  });

  let requestCount = 0;
  async function request(method: string, path: string, body?: unknown, query: Record<string, string> = {}) {
    const serviceRequest: ServiceRequest = {
      method,
      rawPath: path,
      query: new URLSearchParams(query),
      headers: {},
      body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
      service: 'lambda',
      region: REGION,
      requestId: `request-${++requestCount}`,
      caller: { accessKeyId: 'test', accountId: ACCOUNT_ID, principalArn: `arn:aws:iam::${ACCOUNT_ID}:root` },
    };
    const response = await esm.handle(serviceRequest);
    const text = String(response.body ?? '');
    return {
      status: response.status,
      headers: response.headers ?? {},
      body: (text === '' ? undefined : JSON.parse(text)) as JsonBody,
    };
  }

  /** Creates a mapping on the DynamoDB stream (TRIM_HORIZON by default) and waits until it is Enabled. */
  async function createMapping(params: Record<string, unknown> = {}) {
    const response = await request('POST', '/2015-03-31/event-source-mappings/', {
      FunctionName: FUNCTION_NAME,
      EventSourceArn: TABLE_STREAM_ARN,
      StartingPosition: 'TRIM_HORIZON',
      ...params,
    });
    if (response.status !== 202) throw new Error(`CreateEventSourceMapping failed: ${JSON.stringify(response.body)}`);
    await esm.settled();
    return response.body as JsonBody;
  }

  /** Appends an INSERT stream record (NEW_IMAGE) for item `{id}`; returns its sequence number. */
  function putItem(id: string, attributes: Record<string, unknown> = {}, eventName = 'INSERT'): string {
    const stream = dynamodb.require(TABLE_STREAM_ARN);
    const sequenceNumber = stream.latest();
    const image = { id: { S: id }, ...attributes };
    dynamodb.append(TABLE_STREAM_ARN, SHARD_ID, {
      eventID: `event-${sequenceNumber}`,
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(now() / 1000),
        Keys: { id: { S: id } },
        NewImage: image,
        SequenceNumber: sequenceNumber,
        SizeBytes: JSON.stringify(image).length,
        StreamViewType: 'NEW_IMAGE',
      },
    });
    return sequenceNumber;
  }

  /** Polls `condition` until true (or fails after `timeoutMs`). */
  async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  return {
    esm,
    trace,
    events: (type: string) => events.filter((event) => event.type === type),
    dynamodb,
    kinesis,
    functions,
    invocations,
    s3Objects,
    request,
    createMapping,
    putItem,
    until,
    /** Keys delivered, per invocation: [['a','b'], ['c']]. */
    batches: () =>
      invocations.map((i) => i.event.Records.map((r) => (r.dynamodb?.Keys?.id as { S: string } | undefined)?.S)),
    setHandler(next: typeof handler) {
      handler = next;
    },
    /** Freezes the shard store's clock (record arrival and age), or releases it with undefined. */
    setClock(value: number | undefined) {
      clock = value;
    },
    close: () => esm.close(),
  };
}

export type EsmHarness = ReturnType<typeof createEsmHarness>;

const PLACEHOLDER = /<[a-z0-9-]+(?::[^>]+)?>|\b111111111111\b/g;

/**
 * Asserts `actual` has the recorded shape: the same keys (ResponseMetadata aside), equal literals,
 * and strings that match the recorded ones with placeholders (`<uuid:2>`, `<region>`, the account
 * 111111111111) and the literal stand-ins `datetime`/`timestamp` as wildcards. Returns the paths that
 * differ (empty when it matches).
 */
export function differencesFromRecording(actual: unknown, recorded: unknown, path = '$'): string[] {
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual) || actual.length !== recorded.length)
      return [`${path}: expected a list of ${recorded.length}`];
    return recorded.flatMap((item, index) => differencesFromRecording(actual[index], item, `${path}[${index}]`));
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${path}: expected an object`];
    const expectedKeys = Object.keys(recorded)
      .filter((key) => key !== 'ResponseMetadata')
      .sort();
    const actualKeys = Object.keys(actual).sort();
    if (expectedKeys.join() !== actualKeys.join())
      return [`${path}: keys ${actualKeys.join()} ≠ recorded ${expectedKeys.join()}`];
    return expectedKeys.flatMap((key) =>
      differencesFromRecording(
        (actual as Record<string, unknown>)[key],
        (recorded as Record<string, unknown>)[key],
        `${path}.${key}`,
      ),
    );
  }
  if (
    typeof recorded === 'string' &&
    (recorded === 'datetime' || recorded === 'timestamp' || PLACEHOLDER.test(recorded))
  ) {
    PLACEHOLDER.lastIndex = 0;
    if (recorded === 'datetime' || recorded === '<datetime>') return actual === undefined ? [`${path}: missing`] : [];
    const pattern = recorded
      .split(PLACEHOLDER)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+');
    PLACEHOLDER.lastIndex = 0;
    return typeof actual === 'string' && new RegExp(`^${pattern}$`).test(actual)
      ? []
      : [`${path}: ${JSON.stringify(actual)} does not match ${recorded}`];
  }
  return Object.is(actual, recorded)
    ? []
    : [`${path}: ${JSON.stringify(actual)} ≠ recorded ${JSON.stringify(recorded)}`];
}
