import {
  ACCOUNT_ID,
  DEFAULT_REGION,
  type RequestAuthorization,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../edge/types.ts';
import { dispatchJson, type JsonServiceProtocol } from '../shared/json-protocol.ts';
import type { TraceBus } from '../trace/bus.ts';
import { createLogGroup } from './actions/createLogGroup.ts';
import { createLogStream } from './actions/createLogStream.ts';
import { deleteLogGroup } from './actions/deleteLogGroup.ts';
import { deleteLogStream } from './actions/deleteLogStream.ts';
import { describeLogGroups } from './actions/describeLogGroups.ts';
import { describeLogStreams } from './actions/describeLogStreams.ts';
import { filterLogEvents } from './actions/filterLogEvents.ts';
import { getLogEvents } from './actions/getLogEvents.ts';
import { putLogEvents } from './actions/putLogEvents.ts';
import { deleteRetentionPolicy, putRetentionPolicy } from './actions/retentionPolicy.ts';
import type { Action, LogsContext } from './context.ts';
import { LogsError, MESSAGES } from './errors.ts';
import { LOGS_PARAMETERS } from './parameters.ts';
import { type LogGroupRecord, LogStore, type LogStreamRecord } from './store.ts';
import { parseJsonBody } from './validation.ts';

const TARGET_PREFIX = 'Logs_20140328.';

/** Every supported operation, by its X-Amz-Target name. */
export const ACTIONS: Readonly<Record<string, Action>> = {
  CreateLogGroup: createLogGroup,
  CreateLogStream: createLogStream,
  DeleteLogGroup: deleteLogGroup,
  DeleteLogStream: deleteLogStream,
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  PutLogEvents: putLogEvents,
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
  PutRetentionPolicy: putRetentionPolicy,
  DeleteRetentionPolicy: deleteRetentionPolicy,
};

/** Operations of the CloudWatch Logs API the local cloud knows of but does not implement: NotImplemented, never silence. */
const NOT_IMPLEMENTED = new Set([
  'AssociateKmsKey',
  'CreateExportTask',
  'DeleteDestination',
  'DeleteMetricFilter',
  'DeleteResourcePolicy',
  'DeleteSubscriptionFilter',
  'DescribeDestinations',
  'DescribeExportTasks',
  'DescribeMetricFilters',
  'DescribeQueries',
  'DescribeResourcePolicies',
  'DescribeSubscriptionFilters',
  'DisassociateKmsKey',
  'GetLogGroupFields',
  'GetLogRecord',
  'GetQueryResults',
  'ListTagsForResource',
  'ListTagsLogGroup',
  'PutDestination',
  'PutMetricFilter',
  'PutResourcePolicy',
  'PutSubscriptionFilter',
  'StartLiveTail',
  'StartQuery',
  'StopQuery',
  'TagLogGroup',
  'TagResource',
  'TestMetricFilter',
  'UntagLogGroup',
  'UntagResource',
]);

/** Operations whose IAM resource is one log stream (Service Authorization Reference: `log-stream`). */
const STREAM_ACTIONS = new Set(['PutLogEvents', 'GetLogEvents', 'DeleteLogStream']);

/** Lines buffered for Lambda before they are stored at once, whatever the timer says. */
const MAX_PENDING_LINES = 10_000;
/**
 * How long Lambda's lines wait to be stored together: invocations back to back share one store
 * and one `logs.put` (each has START, END and REPORT at least). Nothing reads them sooner: every
 * request to this service stores what is pending first.
 */
const LAMBDA_BATCH_MS = 50;

export interface LogsServiceOptions {
  readonly trace: TraceBus;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Log groups persist under `<dataDir>/logs/`; undefined keeps them in memory. */
  readonly dataDir?: string;
  /** Bytes of events kept in memory at most: past it the oldest go. @default 64 MiB */
  readonly maxBytes?: number;
  /** Log streams kept at most. @default 50,000 */
  readonly maxStreams?: number;
  /** The clock (tests move it). @default Date.now */
  readonly now?: () => number;
}

interface Pending {
  readonly group: string;
  readonly stream: string;
  readonly events: { timestamp: number; message: string }[];
}

/**
 * Amazon CloudWatch Logs on the local cloud: the JSON 1.1 API (`X-Amz-Target: Logs_20140328.<Op>`)
 * over a {@link LogStore}, and the sink the local Lambda writes its functions' log lines to
 * ({@link LogsService.write}: buffered, stored within {@link LAMBDA_BATCH_MS} so that an
 * invocation never waits for it).
 */
export class LogsService implements Service, LogsContext {
  readonly signingNames = ['logs'] as const;
  readonly region: string;
  readonly trace: TraceBus;
  readonly store: LogStore;
  readonly #pending = new Map<string, Pending>();
  #pendingLines = 0;
  #flushScheduled: NodeJS.Timeout | undefined;
  /** The batch the last line went to (one of #pending). */
  #last: Pending | undefined;
  #closed = false;

  constructor({ trace, region = DEFAULT_REGION, dataDir, maxBytes, maxStreams, now }: LogsServiceOptions) {
    this.trace = trace;
    this.region = region;
    this.store = new LogStore({ dataDir, maxBytes, maxStreams, now });
  }

  // ------------------------------------------------------------------------------- LogsContext

  groupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${ACCOUNT_ID}:log-group:${name}:*`;
  }

  findGroup(input: Readonly<Record<string, unknown>>, member?: 'logGroupName' | 'logGroupIdentifier'): LogGroupRecord {
    const name = typeof input.logGroupName === 'string' ? input.logGroupName : undefined;
    const identifier = typeof input.logGroupIdentifier === 'string' ? input.logGroupIdentifier : undefined;
    if (member === undefined && name !== undefined && identifier !== undefined) {
      throw new LogsError(
        'InvalidParameterException',
        'LogGroupName and LogGroupIdentifier are mutually exclusive: specify only one of them.',
      );
    }
    const wanted = member === 'logGroupName' ? name : (name ?? groupNameOf(identifier));
    if (wanted === undefined) {
      throw new LogsError(
        'InvalidParameterException',
        member === 'logGroupName'
          ? "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null"
          : 'Either logGroupName or logGroupIdentifier must be specified.',
      );
    }
    const group = this.store.group(wanted);
    if (group === undefined) throw new LogsError('ResourceNotFoundException', MESSAGES.groupNotFound);
    return group;
  }

  findStream(group: LogGroupRecord, name: string): LogStreamRecord {
    const stream = group.streams.get(name);
    if (stream === undefined) throw new LogsError('ResourceNotFoundException', MESSAGES.streamNotFound);
    return stream;
  }

  published(group: string, stream: string, count: number, bytes: number, source: string, requestId?: string): void {
    this.trace.publish('logs.put', { logGroup: group, logStream: stream, events: count, bytes, source }, requestId);
  }

  // ------------------------------------------------------------------------------- Lambda's sink

  /**
   * One log line of a function, as Lambda writes it: into `logGroup` (created when absent, as
   * Lambda does), stream `logStream` (one per execution environment, likewise). Buffered: the
   * lines are stored together within {@link LAMBDA_BATCH_MS}, off the invocation's path, or as
   * soon as a request to this service could read them.
   */
  write(logGroup: string, logStream: string, message: string, timestamp = Date.now()): void {
    if (this.#closed || message === '') return;
    // An invocation's lines come one after another to the same stream: no key to build for them.
    let pending = this.#last;
    if (pending === undefined || pending.group !== logGroup || pending.stream !== logStream) {
      const key = `${logGroup}\n${logStream}`;
      pending = this.#pending.get(key);
      if (pending === undefined) {
        pending = { group: logGroup, stream: logStream, events: [] };
        this.#pending.set(key, pending);
      }
      this.#last = pending;
    }
    pending.events.push({ timestamp, message });
    this.#pendingLines += 1;
    if (this.#pendingLines >= MAX_PENDING_LINES) this.flush();
    else if (this.#flushScheduled === undefined) {
      this.#flushScheduled = setTimeout(() => this.flush(), LAMBDA_BATCH_MS);
      this.#flushScheduled.unref();
    }
  }

  /** Stores what {@link write} buffered (tests and `close` call it to be sure nothing is pending). */
  flush(): void {
    if (this.#flushScheduled !== undefined) clearTimeout(this.#flushScheduled);
    this.#flushScheduled = undefined;
    const batches = [...this.#pending.values()];
    this.#pending.clear();
    this.#last = undefined;
    this.#pendingLines = 0;
    for (const { group: groupName, stream: streamName, events } of batches) {
      try {
        let group = this.store.group(groupName);
        group ??= this.store.createGroup(groupName);
        let stream = group.streams.get(streamName);
        if (stream === undefined) {
          if (this.store.streamCount >= this.store.maxStreams) throw new Error('the local log stream limit is reached');
          stream = this.store.createStream(group, streamName);
        }
        // Lines arrive in order; a clock step backwards must not unsort a batch.
        events.sort((a, b) => a.timestamp - b.timestamp);
        const bytes = this.store.append(group, stream, events);
        this.published(groupName, streamName, events.length, bytes, 'lambda');
      } catch (error) {
        this.trace.publish('logs.dropped', {
          logGroup: groupName,
          logStream: streamName,
          events: events.length,
          reason: (error as Error).message,
        });
      }
    }
  }

  // ------------------------------------------------------------------------------- Service

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    const started = Date.now();
    const context = { requestId: request.requestId, caller: request.caller };
    return dispatchJson(request, this.#protocol, {
      run: (action, input) => {
        // Lambda's lines written so far are visible to the caller, as soon as it asks.
        if (this.#pendingLines > 0) this.flush();
        return action(this, input, context);
      },
      done: ({ operation, input, status, error }) =>
        this.#publish(request.requestId, operation, input, status, started, error),
    });
  }

  readonly #protocol: JsonServiceProtocol<Action> = {
    targetPrefix: TARGET_PREFIX,
    title: 'CloudWatch Logs',
    actions: ACTIONS,
    notImplemented: NOT_IMPLEMENTED,
    parameters: LOGS_PARAMETERS,
    parseBody: parseJsonBody,
    error: (code, message) => new LogsError(code, message),
    refuseParameter: (message) => new LogsError('InvalidParameterException', message),
    from: (thrown) => LogsError.from(thrown),
  };

  /**
   * The IAM action (`logs:<Operation>`) and its resource, for the edge's policy check: a log
   * group's ARN with its `:*` suffix (as policies name it), a log stream's ARN for the actions on
   * one stream, and `log-group:*` for DescribeLogGroups.
   */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
    const operation = target.slice(TARGET_PREFIX.length);
    if (ACTIONS[operation] === undefined && !NOT_IMPLEMENTED.has(operation)) return undefined;
    const action = `logs:${operation}`;
    if (operation === 'DescribeLogGroups') {
      return { action, resources: [`arn:aws:logs:${this.region}:${ACCOUNT_ID}:log-group:*`] };
    }
    let input: Readonly<Record<string, unknown>>;
    try {
      input = parseJsonBody(request.body);
    } catch {
      return undefined; // the action answers the malformed body itself
    }
    const group =
      typeof input.logGroupName === 'string'
        ? input.logGroupName
        : typeof input.logGroupIdentifier === 'string'
          ? groupNameOf(input.logGroupIdentifier)
          : undefined;
    if (group === undefined) return { action, resources: ['*'] };
    const groupArn = this.groupArn(group);
    if (STREAM_ACTIONS.has(operation) && typeof input.logStreamName === 'string') {
      return { action, resources: [`${groupArn.slice(0, -1)}log-stream:${input.logStreamName}`] };
    }
    return { action, resources: [groupArn] };
  }

  async close(): Promise<void> {
    this.flush();
    this.#closed = true;
    this.store.close();
  }

  #publish(
    requestId: string,
    operation: string,
    input: Readonly<Record<string, unknown>>,
    status: number,
    started: number,
    error?: string,
  ): void {
    const logGroup =
      typeof input.logGroupName === 'string'
        ? input.logGroupName
        : typeof input.logGroupIdentifier === 'string'
          ? groupNameOf(input.logGroupIdentifier)
          : undefined;
    const logStream = typeof input.logStreamName === 'string' ? input.logStreamName : undefined;
    this.trace.publish(
      'logs.request',
      {
        operation,
        ...(logGroup === undefined ? {} : { logGroup }),
        ...(logStream === undefined ? {} : { logStream }),
        status,
        durationMs: Date.now() - started,
        ...(error ? { error } : {}),
      },
      requestId,
    );
  }
}

/** `arn:aws:logs:…:log-group:NAME[:*]` → `NAME`; a plain name stays as it is. */
function groupNameOf(identifier: string | undefined): string | undefined {
  if (identifier === undefined || !identifier.startsWith('arn:')) return identifier;
  return /:log-group:([^:]+)/.exec(identifier)?.[1] ?? identifier;
}
