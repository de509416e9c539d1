import {
  ACCOUNT_ID,
  DEFAULT_REGION,
  type RequestAuthorization,
  type ServiceRequest,
  type ServiceResponse,
} from '../../edge/types.ts';
import type { ShardRecord, ShardStore } from '../../streams/shard-store.ts';
import type { TraceBus } from '../../trace/bus.ts';
import { LambdaError } from '../errors.ts';
import { checkLambdaParameters } from '../parameters.ts';
import { createEventSourceMapping } from './actions/createEventSourceMapping.ts';
import { deleteEventSourceMapping } from './actions/deleteEventSourceMapping.ts';
import { getEventSourceMapping } from './actions/getEventSourceMapping.ts';
import { listEventSourceMappings } from './actions/listEventSourceMappings.ts';
import { updateEventSourceMapping } from './actions/updateEventSourceMapping.ts';
import type { MappingAction, MappingContext } from './context.ts';
import { MappingPoller, type StreamSource } from './poller.ts';
import { dynamodbLambdaRecord } from './records.ts';
import { MappingStore } from './store.ts';
import type {
  Checkpoint,
  InvokeFunction,
  KinesisSource,
  MappingRecord,
  MappingState,
  StartingPositionName,
  StreamKind,
} from './types.ts';

export interface EventSourceMappingsOptions {
  readonly trace: TraceBus;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Synchronous (RequestResponse) invocation; `LambdaService.invoke` fits. */
  readonly invoke: InvokeFunction;
  /** A function's unqualified ARN for its name or ARN; undefined when it does not exist. */
  readonly resolveFunction: (ref: string) => string | undefined;
  readonly sources: {
    /** DynamoDB Streams' shard store: payloads are stream records without `eventSourceARN`. */
    readonly dynamodb?: ShardStore<unknown>;
    readonly kinesis?: KinesisSource;
  };
  readonly onFailure?: {
    /** Writes an on-failure record to an S3 bucket destination. */
    readonly s3PutObject?: (bucket: string, key: string, body: string) => Promise<void>;
  };
  /** Wait before retrying a failed batch (AWS backs off for seconds). @default 500 */
  readonly retryDelayMs?: number;
  /** How long Creating/Enabling/Disabling/Updating/Deleting last at least. @default 100 */
  readonly stateDelayMs?: number;
  /** Mappings persist to `<dataDir>/lambda/event-source-mappings.json`; undefined keeps them in memory. */
  readonly dataDir?: string;
}

interface Route {
  readonly method: string;
  readonly path: RegExp;
  readonly operation: string;
  /**
   * The IAM action (Service Authorization Reference, AWS Lambda): Create and List act on `*`,
   * the others on `arn:aws:lambda:<region>:<account>:event-source-mapping:<UUID>`.
   */
  readonly iamAction: string;
  readonly action: MappingAction;
}

export const EVENT_SOURCE_MAPPINGS_PATH = '/2015-03-31/event-source-mappings';

const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: /^\/2015-03-31\/event-source-mappings\/?$/,
    operation: 'CreateEventSourceMapping',
    iamAction: 'lambda:CreateEventSourceMapping',
    action: createEventSourceMapping,
  },
  {
    method: 'GET',
    path: /^\/2015-03-31\/event-source-mappings\/?$/,
    operation: 'ListEventSourceMappings',
    iamAction: 'lambda:ListEventSourceMappings',
    action: listEventSourceMappings,
  },
  {
    method: 'GET',
    path: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/,
    operation: 'GetEventSourceMapping',
    iamAction: 'lambda:GetEventSourceMapping',
    action: getEventSourceMapping,
  },
  {
    method: 'PUT',
    path: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/,
    operation: 'UpdateEventSourceMapping',
    iamAction: 'lambda:UpdateEventSourceMapping',
    action: updateEventSourceMapping,
  },
  {
    method: 'DELETE',
    path: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/,
    operation: 'DeleteEventSourceMapping',
    iamAction: 'lambda:DeleteEventSourceMapping',
    action: deleteEventSourceMapping,
  },
];

/** The event source mapping operations the local cloud implements. */
export const MAPPING_OPERATIONS: readonly string[] = ROUTES.map((route) => route.operation);

/**
 * Kinesis filter patterns see the record's `kinesis` members (partitionKey, sequenceNumber, data …)
 * with `data` decoded when it is JSON (Lambda developer guide, "Filtering Kinesis events").
 */
function kinesisFilterView(lambdaRecord: Record<string, unknown>): unknown {
  const kinesis = (lambdaRecord.kinesis ?? {}) as { data?: unknown };
  if (typeof kinesis.data !== 'string') return kinesis;
  try {
    const data: unknown = JSON.parse(Buffer.from(kinesis.data, 'base64').toString('utf8'));
    return { ...kinesis, data };
  } catch {
    return kinesis;
  }
}

/**
 * Lambda's event source mappings for streams: the REST API (`/2015-03-31/event-source-mappings`,
 * which the Lambda service delegates here) and the pollers that read DynamoDB Streams and Kinesis
 * shards and invoke functions with AWS's batching, retry, bisect, partial-batch-response, record-age
 * and on-failure semantics.
 */
export class EventSourceMappings implements MappingContext {
  readonly region: string;
  readonly store: MappingStore;
  readonly #trace: TraceBus;
  readonly #invoke: InvokeFunction;
  readonly #resolveFunction: (ref: string) => string | undefined;
  readonly #sources: EventSourceMappingsOptions['sources'];
  readonly #s3PutObject: ((bucket: string, key: string, body: string) => Promise<void>) | undefined;
  readonly #retryDelayMs: number;
  readonly #stateDelayMs: number;
  readonly #pollers = new Map<string, MappingPoller>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #settling = new Map<string, Promise<void>>();
  #closed = false;

  constructor({
    trace,
    region = DEFAULT_REGION,
    invoke,
    resolveFunction,
    sources,
    onFailure = {},
    retryDelayMs = 500,
    stateDelayMs = 100,
    dataDir,
  }: EventSourceMappingsOptions) {
    this.#trace = trace;
    this.region = region;
    this.#invoke = invoke;
    this.#resolveFunction = resolveFunction;
    this.#sources = sources;
    this.#s3PutObject = onFailure.s3PutObject;
    this.#retryDelayMs = retryDelayMs;
    this.#stateDelayMs = stateDelayMs;
    this.store = new MappingStore(dataDir);
    // Restored mappings pick up where they stopped; transitions interrupted by a restart complete now.
    for (const mapping of this.store.list()) {
      if (mapping.deleting) {
        this.store.delete(mapping.config.UUID);
        continue;
      }
      mapping.config.State = mapping.enabled ? 'Enabled' : 'Disabled';
      if (mapping.enabled) this.#startPoller(mapping);
    }
  }

  // ------------------------------------------------------------------------------- API

  /** Answers the event source mapping routes; anything else under the prefix is UnknownOperation. */
  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    try {
      if (this.#closed) throw new LambdaError('ServiceException', 'The Lambda service is shutting down.');
      for (const route of ROUTES) {
        if (route.method !== request.method) continue;
        const match = route.path.exec(request.rawPath);
        if (!match) continue;
        const params: Record<string, string> = {};
        if (match[1] !== undefined) params.UUID = decodeURIComponent(match[1]);
        checkLambdaParameters(route.operation, { ...request, params });
        return await route.action(this, {
          params,
          query: request.query,
          body: request.body,
          requestId: request.requestId,
        });
      }
      throw new LambdaError('UnknownOperationException', `Unknown operation ${request.method} ${request.rawPath}`);
    } catch (error) {
      const lambdaError = LambdaError.from(error);
      if (lambdaError.code === 'ServiceException') {
        this.#trace.publish(
          'lambda.error',
          { message: String((lambdaError.cause as Error | undefined)?.message ?? lambdaError.message) },
          request.requestId,
        );
      }
      return lambdaError.toResponse(request.requestId);
    }
  }

  /** The IAM action and resource of a request, for the edge's policy check (undefined when no route matches). */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    for (const route of ROUTES) {
      if (route.method !== request.method) continue;
      const match = route.path.exec(request.rawPath);
      if (!match) continue;
      let uuid: string;
      try {
        uuid = match[1] === undefined ? '' : decodeURIComponent(match[1]);
      } catch {
        return undefined;
      }
      return {
        action: route.iamAction,
        resources: [uuid === '' ? '*' : `arn:aws:lambda:${this.region}:${ACCOUNT_ID}:event-source-mapping:${uuid}`],
      };
    }
    return undefined;
  }

  /** True for paths this module answers (the Lambda router delegates them). */
  static handles(rawPath: string): boolean {
    return rawPath === EVENT_SOURCE_MAPPINGS_PATH || rawPath.startsWith(`${EVENT_SOURCE_MAPPINGS_PATH}/`);
  }

  /**
   * Deletes the mappings of a deleted function (name or ARN). Returns their UUIDs.
   * (On AWS they linger with LastProcessingResult 'PROBLEM: Function not found'; locally a
   * redeployed stack would otherwise hit the duplicate-mapping conflict.)
   */
  deleteFunctionMappings(functionRef: string): string[] {
    const name = functionRef.startsWith('arn:') ? functionRef.split(':')[6] : functionRef;
    const deleted: string[] = [];
    for (const mapping of this.store.list()) {
      if (mapping.deleting || mapping.config.FunctionArn.split(':')[6] !== name) continue;
      mapping.deleting = true;
      this.transition(mapping, 'Deleting');
      deleted.push(mapping.config.UUID);
    }
    return deleted;
  }

  /** Resolves once every pending state transition has settled (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#timers.size > 0 || this.#settling.size > 0) {
      for (const [uuid, timer] of this.#timers) {
        clearTimeout(timer);
        this.#timers.delete(uuid);
        this.#settle(uuid);
      }
      await Promise.all([...this.#settling.values()]);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all([...this.#pollers.values()].map((poller) => poller.stop()));
    this.#pollers.clear();
    await Promise.all([...this.#settling.values()]);
    this.store.close();
  }

  // ------------------------------------------------------------------------------- MappingContext

  resolveFunction(ref: string): string | undefined {
    return this.#resolveFunction(ref);
  }

  requireStream(kind: StreamKind, arn: string): void {
    const store = kind === 'dynamodb' ? this.#sources.dynamodb : this.#sources.kinesis?.store;
    if (store?.get(arn) === undefined)
      throw new LambdaError('InvalidParameterValueException', `Stream not found: ${arn}`);
  }

  initialPosition(kind: StreamKind, arn: string, position: StartingPositionName, timestamp?: number): Checkpoint {
    switch (position) {
      case 'TRIM_HORIZON':
        return { type: 'TRIM_HORIZON' };
      case 'AT_TIMESTAMP':
        return { type: 'AT_TIMESTAMP', timestamp: (timestamp ?? 0) * 1000 };
      case 'LATEST': {
        const store = kind === 'dynamodb' ? this.#sources.dynamodb : this.#sources.kinesis?.store;
        return { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: BigInt(store!.require(arn).latest()).toString() };
      }
    }
  }

  transition(mapping: MappingRecord, state: MappingState): void {
    mapping.config.State = state;
    this.store.save();
    this.#trace.publish('esm.state', { uuid: mapping.config.UUID, state });
    const uuid = mapping.config.UUID;
    const previous = this.#timers.get(uuid);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => {
      this.#timers.delete(uuid);
      this.#settle(uuid);
    }, this.#stateDelayMs);
    timer.unref?.();
    this.#timers.set(uuid, timer);
  }

  // ------------------------------------------------------------------------------- internals

  /** Ends a transition: start, reconfigure or stop the poller, then the stable state. */
  #settle(uuid: string): void {
    const previous = this.#settling.get(uuid) ?? Promise.resolve();
    const next = previous.then(async () => {
      const mapping = this.store.get(uuid);
      if (mapping === undefined || this.#closed) return;
      if (mapping.deleting || !mapping.enabled) {
        const poller = this.#pollers.get(uuid);
        this.#pollers.delete(uuid);
        await poller?.stop();
        if (this.#closed) return;
        if (mapping.deleting) {
          this.store.delete(uuid);
          this.#trace.publish('esm.state', { uuid, state: 'Deleted' });
          return;
        }
        mapping.config.State = 'Disabled';
      } else {
        const poller = this.#pollers.get(uuid);
        if (poller) poller.reconfigure();
        else this.#startPoller(mapping);
        mapping.config.State = 'Enabled';
      }
      this.store.save();
      this.#trace.publish('esm.state', { uuid, state: mapping.config.State });
    });
    const tracked = next.finally(() => {
      if (this.#settling.get(uuid) === tracked) this.#settling.delete(uuid);
    });
    this.#settling.set(uuid, tracked);
  }

  #startPoller(mapping: MappingRecord): void {
    const source = this.#source(mapping);
    if (source === undefined) {
      this.#trace.publish('esm.error', {
        uuid: mapping.config.UUID,
        message: `No ${mapping.kind} source in this local cloud: ${mapping.config.EventSourceArn} is not polled.`,
      });
      return;
    }
    const poller = new MappingPoller(mapping, source, {
      trace: this.#trace,
      invoke: this.#invoke,
      s3PutObject: this.#s3PutObject,
      retryDelayMs: this.#retryDelayMs,
      changed: () => this.store.saveSoon(),
    });
    this.#pollers.set(mapping.config.UUID, poller);
    poller.start();
  }

  #source(mapping: MappingRecord): StreamSource | undefined {
    const streamArn = mapping.config.EventSourceArn;
    if (mapping.kind === 'dynamodb') {
      const store = this.#sources.dynamodb;
      if (!store) return undefined;
      return {
        store,
        lambdaRecord: (record: ShardRecord<unknown>) => dynamodbLambdaRecord(record.payload, streamArn),
        filterView: (lambdaRecord) => lambdaRecord,
      };
    }
    const kinesis = this.#sources.kinesis;
    if (!kinesis) return undefined;
    return {
      store: kinesis.store as ShardStore<unknown>,
      lambdaRecord: (record, shardId) =>
        kinesis.toLambdaRecord(record, {
          streamArn,
          shardId,
          region: this.region,
          functionArn: mapping.config.FunctionArn,
        }) as unknown as Record<string, unknown>,
      filterView: kinesisFilterView,
    };
  }
}
