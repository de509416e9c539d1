import { existsSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import {
  ACCOUNT_ID,
  DEFAULT_REGION,
  type RequestAuthorization,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../edge/types.ts';
import { checkJsonParameters, type ServiceParameters } from '../shared/parameters.ts';
import { ShardStore } from '../streams/shard-store.ts';
import type { TraceBus } from '../trace/bus.ts';
import { DYNAMODB_ACTIONS, STREAMS_ACTIONS, UNSUPPORTED_DYNAMODB_OPERATIONS } from './actions/index.ts';
import type { DynamoDBAction, DynamoDBContext } from './context.ts';
import { DynaliteEngine } from './engine.ts';
import { DynamoDBError, validationError } from './errors.ts';
import { checkNesting } from './nesting.ts';
import { DYNAMODB_PARAMETERS, DYNAMODB_STREAMS_PARAMETERS } from './parameters.ts';
import type { DynamoDBStreamRecord } from './stream-record.ts';
import { TableStreams } from './streams.ts';
import { TableTransitions } from './transitions.ts';

export type { DynamoDBStreamRecord } from './stream-record.ts';
export type { TableStream } from './streams.ts';

export interface DynamoDBServiceOptions {
  /** Tables persist under `<dataDir>/dynamodb/` (LevelDB). @default undefined — in memory */
  readonly dataDir?: string;
  readonly trace: TraceBus;
  /** @default DEFAULT_REGION ('us-east-1') */
  readonly region?: string;
  /** The shard engine holding the stream records (pass one to share it or to inject a clock). @default a new ShardStore */
  readonly streams?: ShardStore<DynamoDBStreamRecord>;
  /** How long a table stays UPDATING after UpdateTable (0: never). @default DEFAULT_TABLE_UPDATE_MS */
  readonly tableUpdateMs?: number;
}

const DYNAMODB_PREFIX = 'DynamoDB_20120810.';
const STREAMS_PREFIX = 'DynamoDBStreams_20120810.';

/**
 * The local cloud's DynamoDB (JSON 1.0 API, tables by dynalite) and DynamoDB Streams. Both sign as `dynamodb`,
 * so requests are told apart by `X-Amz-Target`. Every table write with a stream on appends a record to the
 * table's stream in the shard engine, where GetRecords and the Lambda event source mapping poller read it.
 */
export class DynamoDBService implements Service {
  readonly signingNames = ['dynamodb'] as const;
  /** The tables' streams: metadata (`get(arn)`, `list(table)`) and the shard engine (`streamRecords`). */
  readonly tableStreams: TableStreams;
  readonly #engine: DynaliteEngine;
  readonly #trace: TraceBus;
  readonly #region: string;
  readonly #context: DynamoDBContext;
  readonly #ready: Promise<void>;

  constructor({
    dataDir,
    trace,
    region = DEFAULT_REGION,
    streams = new ShardStore(),
    tableUpdateMs,
  }: DynamoDBServiceOptions) {
    this.#trace = trace;
    this.#region = region;
    this.tableStreams = new TableStreams({ store: streams, region, trace });
    const path = dataDir === undefined ? undefined : `${dataDir}/dynamodb`;
    this.#engine = new DynaliteEngine({
      path,
      region,
      wantsChanges: (table) => this.tableStreams.isEnabled(table),
      onItemWrite: (table, oldItem, newItem) => {
        try {
          this.tableStreams.capture(table, oldItem, newItem);
        } catch (error) {
          // The write itself succeeded; a failure to record it must not turn into a failed write.
          this.#trace.publish('dynamodb.error', {
            table,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      },
    });
    this.#context = {
      engine: this.#engine,
      streams: this.tableStreams,
      region,
      transitions: new TableTransitions({ updateMs: tableUpdateMs }),
    };
    // Tables on disk are loaded now (their streams must be known to mappings); with none, the
    // engine loads on the first request that needs it.
    this.#ready = path !== undefined && existsSync(path) ? this.#restore() : Promise.resolve();
    this.#ready.catch(() => {});
  }

  /** The shard engine with every table's stream records (what the event source mapping poller reads). */
  get streamRecords(): ShardStore<DynamoDBStreamRecord> {
    return this.tableStreams.store;
  }

  /** Resolves once stored tables and their stream settings are loaded. */
  ready(): Promise<void> {
    return this.#ready;
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    let operation = 'Unknown';
    let table: string | undefined;
    let response: ServiceResponse;
    try {
      await this.#ready;
      if (request.method === 'GET') {
        // dynalite's (and DynamoDB's) health check answer.
        return {
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: `healthy: dynamodb.${this.#region}.amazonaws.com `,
        };
      }
      const target = header(request, 'x-amz-target') ?? '';
      const input = parseBody(request.body);
      let action: DynamoDBAction | undefined;
      let parameters: ServiceParameters = DYNAMODB_PARAMETERS;
      if (target.startsWith(DYNAMODB_PREFIX)) {
        operation = target.slice(DYNAMODB_PREFIX.length);
        action = Object.hasOwn(DYNAMODB_ACTIONS, operation) ? DYNAMODB_ACTIONS[operation] : undefined;
        if (action === undefined && UNSUPPORTED_DYNAMODB_OPERATIONS.includes(operation)) {
          throw new DynamoDBError(
            'UnknownOperationException',
            `The local cloud's DynamoDB does not support ${operation} (its engine, dynalite, has no transactions, PartiQL, TTL, backups or global tables).`,
          );
        }
      } else if (target.startsWith(STREAMS_PREFIX)) {
        operation = target.slice(STREAMS_PREFIX.length);
        action = Object.hasOwn(STREAMS_ACTIONS, operation) ? STREAMS_ACTIONS[operation] : undefined;
        parameters = DYNAMODB_STREAMS_PARAMETERS;
      }
      if (action === undefined) {
        throw new DynamoDBError(
          'UnknownOperationException',
          target === '' ? 'Missing X-Amz-Target header.' : `Unknown operation: ${target}`,
        );
      }
      table = tableOf(input);
      checkJsonParameters(parameters, operation, input, validationError);
      checkNesting(input);
      const output = await action(this.#context, input);
      response = json(request, 200, output);
    } catch (thrown) {
      const error = DynamoDBError.from(thrown);
      if (error.status >= 500) {
        const cause = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
        this.#trace.publish('dynamodb.error', { operation, table, error: cause }, request.requestId);
      }
      response = json(request, error.status, error.toBody());
    }
    this.#trace.publish(
      'dynamodb.request',
      { operation, table, status: response.status, caller: request.caller.principalArn },
      request.requestId,
    );
    return response;
  }

  /**
   * The IAM action (`dynamodb:<Operation>`, Streams' operations included) and resources of a request,
   * for the edge's policy check: the table's ARN (`…:table/<name>`, `…/index/<name>` when a Query or
   * Scan names an index), every table of a batch, the stream's ARN for Streams, `*` for the List
   * operations. Requests that name no known operation are left to `handle`.
   */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    const target = header(request, 'x-amz-target') ?? '';
    const operation = target.startsWith(DYNAMODB_PREFIX)
      ? target.slice(DYNAMODB_PREFIX.length)
      : target.startsWith(STREAMS_PREFIX)
        ? target.slice(STREAMS_PREFIX.length)
        : undefined;
    if (operation === undefined || !/^[A-Za-z]+$/.test(operation)) return undefined;
    let input: Record<string, unknown>;
    try {
      input = parseBody(request.body);
    } catch {
      return undefined;
    }
    const action = `dynamodb:${operation}`;
    const table = (name: string) => `arn:aws:dynamodb:${this.#region}:${ACCOUNT_ID}:table/${name}`;
    if (operation === 'ListTables' || operation === 'ListStreams') return { action, resources: ['*'] };
    if (typeof input.TableName === 'string') {
      const index = typeof input.IndexName === 'string' ? `/index/${input.IndexName}` : '';
      return { action, resources: [`${table(input.TableName)}${index}`] };
    }
    if (input.RequestItems !== null && typeof input.RequestItems === 'object') {
      return { action, resources: Object.keys(input.RequestItems).map(table) };
    }
    if (typeof input.StreamArn === 'string') return { action, resources: [input.StreamArn] };
    if (typeof input.ResourceArn === 'string') return { action, resources: [input.ResourceArn] };
    if (typeof input.ShardIterator === 'string') {
      try {
        return { action, resources: [this.streamRecords.iteratorTarget(input.ShardIterator).streamArn] };
      } catch {
        return undefined; // GetRecords answers the invalid iterator itself
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.#ready.catch(() => {});
    await this.#engine.close();
  }

  /** Loads stored tables: reopens their streams (empty: records live in memory) and settles interrupted states. */
  async #restore(): Promise<void> {
    for (const table of await this.#engine.listTables()) {
      if (table.TableStatus === 'DELETING') {
        await this.#engine.deleteTableRecord(table.TableName);
        continue;
      }
      if (table.TableStatus !== 'ACTIVE') {
        await this.#engine.updateTableRecord(table.TableName, (stored) => {
          if (stored) stored.TableStatus = 'ACTIVE';
        });
        table.TableStatus = 'ACTIVE';
      }
      this.tableStreams.open(table);
    }
  }
}

function header(request: ServiceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseBody(body: Buffer): Record<string, unknown> {
  let input: unknown;
  try {
    input = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
  } catch {
    throw new DynamoDBError('SerializationException', 'The request body is not valid JSON.');
  }
  if (input === undefined) throw new DynamoDBError('SerializationException', 'The request body is empty.');
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new DynamoDBError('SerializationException', 'The request body must be a JSON object.');
  }
  return input as Record<string, unknown>;
}

/** The table a request is about, for the trace. */
function tableOf(input: Record<string, unknown>): string | undefined {
  if (typeof input.TableName === 'string') return input.TableName;
  if (typeof input.StreamArn === 'string') return /:table\/([^/]+)\/stream\//.exec(input.StreamArn)?.[1];
  if (input.RequestItems !== null && typeof input.RequestItems === 'object') {
    return Object.keys(input.RequestItems).join(',') || undefined;
  }
  return undefined;
}

function json(request: ServiceRequest, status: number, output: unknown): ServiceResponse {
  const body = JSON.stringify(output);
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': request.requestId,
      // SDKs may verify this checksum of the body.
      'x-amz-crc32': crc32(body),
    },
    body,
  };
}
