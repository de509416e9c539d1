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

  /** The node of a principal for an access check: the function it runs as, or its role's node. */
  principal(principal: unknown): PathElement {
    if (typeof principal !== 'string') return undefined;
    const role = nameFromArn(principal);
    return this.#executionRoles.get(role) ?? this.#byName.get(role) ?? CLIENT_NODE;
  }
}

/** What the mapper remembers between steps: event source mappings seen in batches. */
export interface TraceMapState {
  readonly mappings: Map<string, { source: PathElement; fn: PathElement }>;
}

export const newTraceMapState = (): TraceMapState => ({ mappings: new Map() });

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
      return [CLIENT_NODE, index.node(detail.poolId), index.node(detail.roleArn)];
    case 'iam.denied':
      return [index.principal(detail.principal), index.node(detail.resource)];
    default:
      break;
  }
  switch (service) {
    case 's3':
      return [index.caller(detail.caller), index.node(detail.bucket)];
    case 'dynamodb':
      return [index.caller(detail.caller), index.node(detail.table)];
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
    const report = parseReportLine(record.detail.line);
    if (report !== undefined) {
      messages.push({
        type: 'lambda.report',
        time: record.time,
        requestId: report.requestId,
        detail: { functionName: record.detail.functionName, ...report },
        ...place,
      });
    }
  }
  return messages;
}
