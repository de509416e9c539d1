// From the cloud's trace steps to what the workbench shows: which scenario a step belongs to, and
// which nodes and edges of its flow diagram light up. Resources are matched by their deployed
// names (bucket, table, stream, function, API id, identity pool id, role), in names or ARNs;
// callers by their credentials (an execution role stands for its function).
import type { TraceMessage } from '../lib/workbench-api.ts';
import { CLIENT_NODE } from './flow.ts';
import { parseReportLine } from './report.ts';
import type { TraceRecord } from './runtime.ts';
import type { ScenarioGraph } from './scenario-info.ts';

/** A node of one scenario's diagram. */
interface NodeRef {
  readonly scenario: ScenarioGraph;
  readonly node: string;
}

/** A step's path through the diagram: resources, or the client (whoever sent the event). */
type PathElement = NodeRef | typeof CLIENT_NODE | undefined;

/** `arn:aws:lambda:…:function:name:qualifier` → `name`; other ARNs likewise; a plain name stays. */
export function nameFromArn(value: string): string {
  if (!value.startsWith('arn:')) return value;
  const parts = value.split(':');
  const service = parts[2];
  const resource = parts.slice(5).join(':');
  switch (service) {
    case 'lambda':
      return parts[6] ?? resource;
    case 's3':
      return resource.split('/')[0] ?? resource;
    case 'dynamodb':
    case 'kinesis':
      return resource.split('/')[1] ?? resource;
    case 'iam':
      // role/path/name
      return resource.split('/').at(-1) ?? resource;
    case 'sts':
      // assumed-role/name/session
      return resource.split('/')[1] ?? resource;
    case 'cognito-identity':
      return resource.split('/')[1] ?? resource;
    default:
      return resource;
  }
}

/** Deployed names (and execution roles) of every deployed scenario, to look trace steps up in. */
export class TraceIndex {
  readonly #byName = new Map<string, NodeRef>();
  readonly #executionRoles = new Map<string, NodeRef>();

  constructor(graphs: readonly ScenarioGraph[]) {
    for (const scenario of graphs) {
      for (const node of scenario.graph.nodes) {
        if (node.resourceName !== undefined) this.#byName.set(node.resourceName, { scenario, node: node.id });
      }
      for (const [role, fn] of scenario.executionRoles) this.#executionRoles.set(role, { scenario, node: fn });
    }
  }

  /** The node a name or ARN stands for. */
  node(value: unknown): NodeRef | undefined {
    if (typeof value !== 'string' || value === '') return undefined;
    return this.#byName.get(value) ?? this.#byName.get(nameFromArn(value));
  }

  /**
   * Who made a call, from its principal ARN: a function (by its execution role), an identity-pool
   * role (the app, i.e. the client) or, for the administrator's keys and unsigned calls, the client.
   */
  caller(principal: unknown): PathElement {
    if (typeof principal !== 'string' || !principal.includes(':assumed-role/')) return CLIENT_NODE;
    const role = nameFromArn(principal);
    const fn = this.#executionRoles.get(role);
    if (fn !== undefined) return fn;
    return CLIENT_NODE;
  }

  /**
   * What invokes a function, as its diagram draws it: the one arrow into it (bucket, table, stream,
   * API or client), or nothing when there are several.
   */
  invoker(fn: PathElement): PathElement {
    if (typeof fn !== 'object') return undefined;
    const from = fn.scenario.graph.edges.filter((edge) => edge.to === fn.node).map((edge) => edge.from);
    return from.length === 1 ? this.#element(fn.scenario, from[0] as string) : undefined;
  }

  /**
   * Who wrote to a bucket or table seen changed (AWS mode sees the change, not the call): of the
   * functions and client with an arrow into it (not a read), the function seen starting last, or the
   * only one.
   */
  writer(resource: PathElement, started: ReadonlyMap<string, number>): PathElement {
    if (typeof resource !== 'object') return undefined;
    const from = resource.scenario.graph.edges
      .filter((edge) => edge.to === resource.node && edge.label !== 'reads')
      .map((edge) => edge.from);
    let latest: string | undefined;
    for (const id of from) {
      const at = started.get(id);
      if (at !== undefined && (latest === undefined || at > (started.get(latest) ?? 0))) latest = id;
    }
    const chosen = latest ?? (from.length === 1 ? from[0] : undefined);
    return chosen === undefined ? undefined : this.#element(resource.scenario, chosen);
  }

  #element(scenario: ScenarioGraph, id: string): PathElement {
    return id === CLIENT_NODE ? CLIENT_NODE : { scenario, node: id };
  }

  /** The node of a principal for an access check: the function it runs as, or its role's node. */
  principal(principal: unknown): PathElement {
    if (typeof principal !== 'string') return undefined;
    const role = nameFromArn(principal);
    return this.#executionRoles.get(role) ?? this.#byName.get(role) ?? CLIENT_NODE;
  }
}

/** What the mapper remembers between steps: event source mappings seen in batches, functions seen starting. */
export interface TraceMapState {
  readonly mappings: Map<string, { source: PathElement; fn: PathElement }>;
  /** Function node id → when its logs last said it started (AWS mode, to tell who wrote a change). */
  readonly started: Map<string, number>;
}

export const newTraceMapState = (): TraceMapState => ({ mappings: new Map(), started: new Map() });

/** Longest string kept in a streamed step's detail (a learner may print megabytes on one line). */
export const MAX_DETAIL_STRING = 16 * 1024;

function trimDetail(detail: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(detail)) {
    if (value === undefined) continue;
    out[key] =
      typeof value === 'string' && value.length > MAX_DETAIL_STRING
        ? `${value.slice(0, MAX_DETAIL_STRING)}… (${value.length - MAX_DETAIL_STRING} more characters)`
        : value;
  }
  return out;
}

/** Node and edge ids (`from>to`) to light up for a path, in the scenario of its first resource. */
function highlightPath(path: readonly PathElement[]): { scenario?: string; highlight?: string[] } {
  const first = path.find((element): element is NodeRef => typeof element === 'object');
  if (first === undefined) return {};
  const scenario = first.scenario;
  const ids = path.map((element) =>
    element === CLIENT_NODE ? CLIENT_NODE : element?.scenario === scenario ? element.node : undefined,
  );
  const edges = new Set(scenario.graph.edges.map((edge) => `${edge.from}>${edge.to}`));
  const lit = new Set<string>();
  const arrows = new Set<string>();
  ids.forEach((id, index) => {
    const next = ids[index + 1];
    if (id !== undefined && next !== undefined && edges.has(`${id}>${next}`)) arrows.add(`${id}>${next}`);
  });
  for (const id of ids) {
    if (id === undefined) continue;
    // The client lights up only when it has an arrow on the path (it is not every caller's box).
    if (id === CLIENT_NODE && ![...arrows].some((arrow) => arrow.startsWith(`${CLIENT_NODE}>`))) continue;
    lit.add(id);
  }
  return { scenario: scenario.scenario, highlight: [...lit, ...arrows] };
}

/** The path of one step through the diagrams. */
function pathOf(record: TraceRecord, index: TraceIndex, state: TraceMapState): PathElement[] {
  const detail = record.detail;
  const fnOf = () => index.node(detail.functionName ?? detail.functionArn ?? detail.functionRef ?? detail.FunctionName);
  const [service] = record.type.split('.');
  switch (record.type) {
    case 's3.notification':
      return [index.node(detail.bucket), fnOf()];
    case 'lambda.invoke.start': {
      // Seen in the function's logs (AWS mode): it came along the diagram's arrow into the function.
      if (detail.observed !== undefined) return [index.invoker(fnOf()), fnOf()];
      // A direct synchronous invoke (the mobile app's) comes from the client; others from their source.
      const direct = detail.source === undefined && detail.invocationType === 'RequestResponse';
      return direct ? [CLIENT_NODE, fnOf()] : [fnOf()];
    }
    case 'esm.batch': {
      const source = index.node(detail.eventSourceArn);
      const fn = fnOf();
      if (typeof detail.uuid === 'string') state.mappings.set(detail.uuid, { source, fn });
      return [source, fn];
    }
    case 'esm.onfailure': {
      const mapping = typeof detail.uuid === 'string' ? state.mappings.get(detail.uuid) : undefined;
      const bucket = index.node(detail.bucket ?? detail.destination);
      return bucket ? [mapping?.fn ?? fnOf(), bucket] : [mapping?.source, mapping?.fn ?? fnOf()];
    }
    case 'dynamodb.stream.record':
      return [index.node(detail.table)];
    case 'kinesis.record':
      return [CLIENT_NODE, index.node(detail.stream)];
    case 'apigateway.request':
      return [CLIENT_NODE, index.node(detail.apiId)];
    case 'apigateway.integration':
      return [index.node(detail.apiId), fnOf()];
    case 'cognito.credentials':
    case 'sts.credentials':
      return [CLIENT_NODE, index.node(detail.poolId), index.node(detail.roleArn)];
    case 'iam.denied':
      return [index.principal(detail.principal), index.node(detail.resource)];
    default:
      break;
  }
  switch (service) {
    case 's3': {
      const bucket = index.node(detail.bucket);
      if (detail.observed !== undefined) return [index.writer(bucket, state.started), bucket];
      return [index.caller(detail.caller), bucket];
    }
    case 'dynamodb': {
      const table = index.node(detail.table);
      if (detail.observed !== undefined) return [index.writer(table, state.started), table];
      return [index.caller(detail.caller), table];
    }
    case 'kinesis':
      return [index.node(detail.stream)];
    case 'cognito':
      return [CLIENT_NODE, index.node(detail.poolId)];
    case 'apigateway':
      return [index.node(detail.apiId)];
    case 'lambda':
      return [fnOf()];
    case 'esm': {
      const mapping = typeof detail.uuid === 'string' ? state.mappings.get(detail.uuid) : undefined;
      return mapping ? [mapping.source, mapping.fn] : [fnOf()];
    }
    default:
      return [];
  }
}

/**
 * The messages one trace step becomes: itself with `scenario` and `highlight`, plus — for a
 * REPORT log line — a `lambda.report` step with the line parsed (and its estimated cost).
 */
export function mapTrace(record: TraceRecord, index: TraceIndex, state: TraceMapState): TraceMessage[] {
  const place = highlightPath(pathOf(record, index, state));
  const message: TraceMessage = {
    type: record.type,
    time: record.time,
    ...(record.requestId !== undefined ? { requestId: record.requestId } : {}),
    detail: trimDetail(record.detail),
    ...place,
  };
  const messages = [message];
  if (record.type === 'lambda.log' && typeof record.detail.line === 'string') {
    const line = record.detail.line;
    const functionName = record.detail.functionName;
    // Read back from CloudWatch Logs (AWS mode), START and REPORT are all there is of an invocation.
    const observed = record.detail.source === 'cloudwatch-logs';
    if (observed && line.startsWith('START RequestId:')) {
      const fn = index.node(functionName);
      if (fn !== undefined) state.started.set(fn.node, record.time);
      const start: TraceRecord = {
        type: 'lambda.invoke.start',
        time: record.time,
        ...(record.requestId !== undefined ? { requestId: record.requestId } : {}),
        detail: { functionName, observed: 'CloudWatch Logs', version: /Version: (\S+)/.exec(line)?.[1] },
      };
      // Before the line itself: the live feed opens the invocation's card on its start.
      messages.unshift({ ...start, detail: trimDetail(start.detail), ...highlightPath(pathOf(start, index, state)) });
    }
    const report = parseReportLine(line);
    if (report !== undefined) {
      messages.push({
        type: 'lambda.report',
        time: record.time,
        requestId: report.requestId,
        detail: { functionName, ...report },
        ...place,
      });
      if (observed) {
        messages.push({
          type: 'lambda.invoke.end',
          time: record.time,
          requestId: report.requestId,
          detail: {
            functionName,
            duration: report.durationMs,
            billedDuration: report.billedDurationMs,
            memorySizeMB: report.memorySizeMb,
            maxMemoryUsedMB: report.maxMemoryUsedMb,
            ...(report.initDurationMs !== undefined ? { initDuration: report.initDurationMs } : {}),
            cold: report.coldStart,
            observed: 'CloudWatch Logs',
          },
          ...place,
        });
      }
    }
  }
  return messages;
}
