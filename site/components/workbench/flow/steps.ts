// What the flow diagram tells for each trace message, without the DOM: whether it belongs to the
// journey at all, and one line of text per step in the lesson's words, so the journey reads
// without the picture (player.ts decides when each step is lit).
import type { FlowGraph, FlowNode, TraceMessage } from '../../../lib/workbench-api.ts';

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

/** ` → failed: …` when a request failed; nothing when it succeeded (the line says what it did). */
const failureOf = (detail: Readonly<Record<string, unknown>>): string =>
  detail.error !== undefined
    ? ` → failed: ${text(detail.error) ?? 'error'}`
    : typeof detail.status === 'number' && detail.status >= 300
      ? ` → failed (HTTP ${detail.status})`
      : '';

/** `Thumbnail function: ` when the step's arrow into the resource says who called; else nothing. */
function callerOf(message: TraceMessage, graph: FlowGraph, ref: unknown): string {
  const target = findNode(graph, text(ref));
  const arrow = target && message.highlight?.find((id) => id.endsWith(`>${target.id}`));
  const from = arrow ? graph.nodes.find((node) => node.id === arrow.slice(0, arrow.indexOf('>'))) : undefined;
  return from ? `${from.label}: ` : '';
}

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
      return `${callerOf(message, graph, d.bucket)}${text(d.operation)} ${d.key ? `${text(d.key)} in ` : ''}${nameOf(graph, d.bucket)}${failureOf(d)}`;
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
      return `${callerOf(message, graph, d.table)}${text(d.operation)} on ${nameOf(graph, d.table)}${failureOf(d)}`;
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
    case 'lambda.function.created':
      return `${nameOf(graph, d.functionName)} created (${text(d.runtime) ?? 'runtime ?'})`;
    case 'lambda.function.updated':
      return d.change === 'configuration'
        ? `${nameOf(graph, d.functionName)}: new configuration`
        : `${nameOf(graph, d.functionName)}: new code deployed`;
    case 'lambda.function.deleted':
      return `${nameOf(graph, d.functionName)} deleted`;
    case 'lambda.permission.added': {
      const principal = (d.statement as { Principal?: { Service?: unknown; AWS?: unknown } } | undefined)?.Principal;
      const who = text(principal?.Service) ?? text(principal?.AWS);
      return `${nameOf(graph, d.functionName)}: its resource-based policy now lets ${who ?? 'another caller'} invoke it`;
    }
    case 'lambda.permission.removed':
      return `${nameOf(graph, d.functionName)}: permission ${text(d.sid) ?? ''} removed from its resource-based policy`;
    case 'lambda.version.published':
      return `${nameOf(graph, d.functionName)}: version ${text(d.version)} published`;
    case 'lambda.version.deleted':
      return `${nameOf(graph, d.functionName)}: version ${text(d.version)} deleted`;
    case 'lambda.alias.created':
    case 'lambda.alias.updated':
      return `${nameOf(graph, d.functionName)}: alias ${text(d.alias)} → version ${text(d.version)}`;
    case 'lambda.alias.deleted':
      return `${nameOf(graph, d.functionName)}: alias ${text(d.alias)} deleted`;
    case 'lambda.concurrency.reserved':
      return `${nameOf(graph, d.functionName)}: reserved concurrency set to ${text(d.reservedConcurrentExecutions)}`;
    case 'lambda.throttled':
      return `Lambda throttles ${nameOf(graph, d.functionName)}: ${text(d.limit) ?? 'its'} concurrent executions at most`;
    case 'lambda.async.throttled':
      return `Lambda throttles the event for ${nameOf(graph, d.functionName)} and tries again in ${ms(d.delayMs)}`;
    case 'lambda.async.destination':
      return d.delivered === true
        ? `Lambda sends the event for ${nameOf(graph, d.functionName)} to its ${text(d.condition) === 'OnSuccess' ? 'on-success' : 'on-failure'} destination`
        : `Lambda could not deliver to ${nameOf(graph, d.functionName)}’s destination: ${text(d.error) ?? ''}`;
    case 'lambda.recursion.stopped':
      return `Lambda stops a loop: ${nameOf(graph, d.functionName)} was invoked ${text(d.invocations)} times by its own writes`;
    case 'esm.checkpoint.reset':
      return 'Event source mapping reads the stream again from its oldest record (the stream was recreated)';
    case 's3.object.removed':
      return undefined;
    case 'sts.request':
      return `STS ${text(d.action)}${statusOf(d)}`;
    case 'trace.dropped':
      return `${text(d.count)} steps left out: ${text(d.reason) ?? 'the page fell behind'}`;
    case 'observer.notice':
      return text(d.message);
    default:
      return inWords(message.type);
  }
}

const SERVICE_NAMES: Readonly<Record<string, string>> = {
  lambda: 'Lambda',
  s3: 'S3',
  dynamodb: 'DynamoDB',
  esm: 'Event source mapping',
  apigateway: 'HTTP API',
  cognito: 'Cognito',
  sts: 'STS',
  iam: 'IAM',
  kinesis: 'Kinesis',
  logs: 'CloudWatch Logs',
  edge: 'Local cloud',
};

/** A step nothing above names, in words: `lambda.function.tagged` → `Lambda: function tagged`. */
export function inWords(type: string): string {
  const [service = '', ...rest] = type.split('.');
  const what = rest.join(' ').replace(/[-_]/g, ' ');
  return `${SERVICE_NAMES[service] ?? service.charAt(0).toUpperCase() + service.slice(1)}: ${what || 'step'}`;
}
