// What the flow diagram shows for each trace message, without the DOM: which nodes and arrows are
// lit (and until when), and one line of text per step, so the journey reads without the picture.
import type { FlowGraph, FlowNode, TraceMessage } from '../../../lib/workbench-api.ts';

/** How long a node or arrow stays lit after the last step that named it. */
export const HOLD_MS = 1800;

/**
 * Lit node and edge ids with their expiry times. `light` is called per trace message; `active`
 * answers what to draw at a given time; `nextExpiry` when to redraw.
 */
export class HighlightTracker {
  readonly #until = new Map<string, number>();
  readonly #hold: number;
  readonly #known: ReadonlySet<string> | undefined;

  /** @param known ids that exist in the diagram (others are ignored); all ids when undefined */
  constructor(known?: Iterable<string>, holdMs = HOLD_MS) {
    this.#known = known === undefined ? undefined : new Set(known);
    this.#hold = holdMs;
  }

  /** Lights `ids` from `now`; returns the ids that exist in the diagram. */
  light(ids: readonly string[], now: number): string[] {
    const lit = ids.filter((id) => this.#known === undefined || this.#known.has(id));
    for (const id of lit) this.#until.set(id, now + this.#hold);
    return lit;
  }

  /** Ids still lit at `now` (expired ones are forgotten). */
  active(now: number): Set<string> {
    const lit = new Set<string>();
    for (const [id, until] of this.#until) {
      if (until > now) lit.add(id);
      else this.#until.delete(id);
    }
    return lit;
  }

  /** When the next id goes dark, or undefined when none is lit. */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const until of this.#until.values()) if (next === undefined || until < next) next = until;
    return next;
  }

  clear(): void {
    this.#until.clear();
  }
}

const READS = /^(List|Get|Head|Describe|Scan|Query|BatchGet)/;

/**
 * Whether a step is the workbench looking around rather than the event travelling: a read (list,
 * get, scan …) not made by one of the scenario's functions — the resources panel refreshing, an
 * image preview loading. Those neither light up nor go in the step log; a function reading the
 * photo that triggered it does.
 */
export function isBackgroundRead(message: TraceMessage, graph: FlowGraph): boolean {
  if (!message.type.endsWith('.request')) return false;
  const operation = message.detail.operation;
  if (typeof operation !== 'string' || !READS.test(operation)) return false;
  const functions = new Set(graph.nodes.filter((node) => node.kind === 'function').map((node) => node.id));
  return !(message.highlight ?? []).some((id) => id.includes('>') && functions.has(id.slice(0, id.indexOf('>'))));
}

/** Whether a trace message belongs on this scenario's diagram. */
export function isForScenario(message: TraceMessage, scenario: string): boolean {
  return message.scenario === undefined || message.scenario === scenario;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** The diagram's node for a physical name, ARN or logical id, if any. */
export function findNode(graph: FlowGraph, ref: string | undefined): FlowNode | undefined {
  if (ref === undefined) return undefined;
  const name = ref.startsWith('arn:') ? (ref.split(':').at(ref.includes(':function:') ? 6 : -1) ?? ref) : ref;
  const tail = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  return graph.nodes.find((node) => node.id === ref || node.resourceName === name || node.resourceName === tail);
}

/** A node's label for a physical name / ARN, or the short name itself. */
function nameOf(graph: FlowGraph, ref: unknown): string {
  const value = text(ref);
  if (value === undefined) return '?';
  const node = findNode(graph, value);
  if (node) return node.label;
  if (value.startsWith('arn:')) return value.split(/[:/]/).at(-1) ?? value;
  return value;
}

const SOURCES: Readonly<Record<string, string>> = {
  'aws:s3': 'S3 → notification',
  esm: 'Event source mapping → batch',
  apigateway: 'HTTP API → integration',
};

/** Milliseconds as a learner reads them. */
const ms = (value: unknown): string => {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)} ms` : '';
};

const statusOf = (detail: Readonly<Record<string, unknown>>): string =>
  detail.error !== undefined
    ? ` → ${text(detail.error) ?? 'error'}`
    : detail.status !== undefined
      ? ` → ${detail.status}`
      : '';

/**
 * One line describing a trace message (e.g. `S3 → notification → ThumbnailFunction (Event,
 * attempt 1)`), or undefined for steps the step log leaves out (every log line of a function, the
 * cloud's own housekeeping).
 */
export function describeTrace(message: TraceMessage, graph: FlowGraph): string | undefined {
  const d = message.detail;
  switch (message.type) {
    // Every log line (the results panel has them), and steps another line already tells.
    case 'lambda.log':
    case 'lambda.report':
    case 'logs.put':
    case 's3.object.created':
    case 'cloud.started':
    case 'esm.state':
      return undefined;
    case 'lambda.invoke.start': {
      if (d.observed !== undefined) {
        // AWS mode sees only the START line: the arrow into the function tells where it came from.
        const fn = findNode(graph, text(d.functionName));
        const arrow = fn && message.highlight?.find((id) => id.endsWith(`>${fn.id}`));
        const from = arrow ? graph.nodes.find((node) => node.id === arrow.slice(0, arrow.indexOf('>'))) : undefined;
        return `${from ? `${from.label} → ` : ''}${nameOf(graph, d.functionName)} started (seen in ${text(d.observed)})`;
      }
      const source = SOURCES[text(d.source) ?? ''] ?? 'Invoke';
      const parts = [text(d.invocationType) ?? 'RequestResponse', `attempt ${text(d.attempt) ?? '1'}`];
      if (d.cold === true) parts.push('cold start');
      return `${source} → ${nameOf(graph, d.functionName)} (${parts.join(', ')})`;
    }
    case 'lambda.invoke.end': {
      const error = d.error as { errorType?: unknown; errorMessage?: unknown } | undefined;
      const name = nameOf(graph, d.functionName);
      if (d.timedOut === true) return `${name} timed out after ${ms(d.duration)}`;
      if (error) return `${name} failed in ${ms(d.duration)}: ${text(error.errorType)}: ${text(error.errorMessage)}`;
      if (d.observed !== undefined)
        return `${name} finished in ${ms(d.duration)} (billed ${ms(d.billedDuration)}; its REPORT line)`;
      return `${name} returned in ${ms(d.duration)} (billed ${ms(d.billedDuration)})`;
    }
    case 'lambda.async.retry':
      return `Lambda retries ${nameOf(graph, d.functionName)} in ${ms(d.delayMs)} (attempt ${text(d.attempt)}) after ${text(d.errorType) ?? 'an error'}`;
    case 'lambda.async.dropped':
      return `Lambda drops the event for ${nameOf(graph, d.functionName ?? d.functionRef)}: ${text(d.reason)}`;
    case 'lambda.error':
      return `Lambda error: ${text(d.message)}`;
    case 's3.request':
      if (d.observed !== undefined) {
        const change = d.operation === 'DeleteObject' ? 'gone from' : 'new in';
        return `${text(d.key) ?? '?'} ${change} ${nameOf(graph, d.bucket)} (seen in ${text(d.observed)})`;
      }
      return `S3 ${text(d.operation)} ${nameOf(graph, d.bucket)}${d.key ? `/${text(d.key)}` : ''}${statusOf(d)}`;
    case 's3.error':
      return `S3 ${text(d.operation)} ${nameOf(graph, d.bucket)} failed: ${text(d.error)}`;
    case 's3.notification':
      return d.error !== undefined
        ? `${nameOf(graph, d.bucket)} could not notify ${nameOf(graph, d.functionArn)}: ${text(d.error)}`
        : `${nameOf(graph, d.bucket)} → ${text(d.eventName) ?? 'ObjectCreated'} ${text(d.key) ?? ''} → ${nameOf(graph, d.functionArn)}`;
    case 'dynamodb.request':
      if (d.observed !== undefined) {
        const change = d.operation === 'DeleteItem' ? 'deleted' : d.operation === 'UpdateItem' ? 'changed' : 'new';
        const key = d.key && typeof d.key === 'object' ? ` ${Object.values(d.key).map(String).join(' / ')}` : '';
        return `${nameOf(graph, d.table)}: item${key} ${change} (seen in ${text(d.observed)})`;
      }
      return `DynamoDB ${text(d.operation)} ${nameOf(graph, d.table)}${statusOf(d)}`;
    case 'dynamodb.error':
      return `DynamoDB ${text(d.operation)} ${nameOf(graph, d.table)} failed: ${text(d.error)}`;
    case 'dynamodb.stream.record':
      return `${nameOf(graph, d.table)} stream ← ${text(d.eventName)} record`;
    case 'kinesis.record':
      return `${nameOf(graph, d.stream)} ← record (partition key ${text(d.partitionKey)})`;
    case 'kinesis.request':
      return `Kinesis ${text(d.operation)} ${nameOf(graph, d.stream)}${statusOf(d)}`;
    case 'esm.batch':
      return `Event source mapping → ${nameOf(graph, d.functionArn)}: batch of ${text(d.size)} record${d.size === 1 ? '' : 's'} (attempt ${text(d.attempt) ?? '1'})`;
    case 'esm.invoke.result':
      return d.ok === true
        ? `Event source mapping: batch done (attempt ${text(d.attempt) ?? '1'})`
        : `Event source mapping: batch ${text(d.outcome) ?? 'failed'}${d.error ? ` (${text(d.error)})` : ''} — it will retry`;
    case 'esm.bisect':
      return 'Event source mapping splits the failed batch in two';
    case 'esm.onfailure':
      return `Event source mapping gives up on a batch${d.bucket ? ` → ${nameOf(graph, d.bucket)}` : ''}`;
    case 'esm.error':
      return `Event source mapping error: ${text(d.message) ?? text(d.error) ?? ''}`;
    case 'apigateway.integration':
      return `HTTP API route ${text(d.routeKey)} → ${nameOf(graph, d.functionArn)} (payload ${text(d.payloadFormatVersion) ?? '2.0'})`;
    case 'apigateway.request':
      return `HTTP API ${text(d.method)} ${text(d.path)}${statusOf(d)}${d.durationMs !== undefined ? ` (${ms(d.durationMs)})` : ''}`;
    case 'cognito.request':
      return `Cognito ${text(d.operation)}${d.signed === false ? ' (unsigned)' : ''}${statusOf(d)}`;
    case 'cognito.identity':
      return `Identity pool → ${d.new === true ? 'new' : 'known'} identity ${text(d.identityId)}`;
    case 'cognito.credentials':
      return `Identity pool → temporary credentials for ${nameOf(graph, d.roleArn)} (expire ${text(d.expiration)})`;
    case 'sts.credentials':
      return `STS → temporary credentials for ${nameOf(graph, d.roleArn)}, for the identity pool’s token (expire ${text(d.expiration)})`;
    case 'iam.denied':
      return `IAM denies ${text(d.action)} on ${nameOf(graph, d.resource)} to ${text(d.principal)}`;
    case 'edge.error':
      return `Local cloud refused a ${text(d.service)} request: ${text(d.code)}`;
    default:
      return message.type;
  }
}
