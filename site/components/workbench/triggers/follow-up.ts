// What follows a trigger, without the DOM: which of the scenario's functions an upload, an item or
// a stream record sets off (from the flow diagram's arrows), whether a trace message says one of
// them started, and what to tell the learner while waiting — honestly slower on AWS, where S3
// notifications and stream polling take a second or several.
import type { FlowGraph, FlowNode, TargetKind, TraceMessage, TriggerRequest } from '../../../lib/workbench-api.ts';

/** Triggers whose effect arrives later, through the cloud (an HTTP call answers by itself). */
export type AsyncTriggerKind = Exclude<TriggerRequest['kind'], 'http'>;

/** How long the workbench waits for the function before saying nothing came. */
export const FOLLOW_UP_TIMEOUT_MS = 60_000;

const SOURCE_KIND: Readonly<Record<AsyncTriggerKind, FlowNode['kind']>> = {
  upload: 'bucket',
  'put-item': 'table',
  'delete-item': 'table',
  'kinesis-record': 'stream',
};

/**
 * The functions a trigger sets off: those with an arrow from a resource of the trigger's kind that
 * the client writes to (photos bucket → thumbnail function; orders table → metrics function; click
 * stream → click metrics function).
 */
export function followingFunctions(graph: FlowGraph, kind: AsyncTriggerKind): FlowNode[] {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const sources = new Set(
    graph.edges
      .filter((edge) => edge.from === 'client' && byId.get(edge.to)?.kind === SOURCE_KIND[kind])
      .map((edge) => edge.to),
  );
  const found = new Map<string, FlowNode>();
  for (const edge of graph.edges) {
    const to = byId.get(edge.to);
    if (sources.has(edge.from) && to?.kind === 'function') found.set(to.id, to);
  }
  return [...found.values()];
}

/** The function node a trace message says started, if it is one of `functions`. */
export function startedFunction(message: TraceMessage, functions: readonly FlowNode[]): FlowNode | undefined {
  const d = message.detail;
  const started =
    message.type === 'lambda.invoke.start' ||
    (message.type === 'lambda.log' && typeof d.line === 'string' && d.line.startsWith('START RequestId:'));
  if (!started) return undefined;
  const name = typeof d.functionName === 'string' ? d.functionName : undefined;
  if (name === undefined) return undefined;
  const short = name.startsWith('arn:') ? name.split(':')[6] : name;
  return functions.find((fn) => fn.resourceName === short || fn.resourceName === name);
}

/** Why the wait is what it is, per trigger and target (one sentence, shown under the elapsed time). */
export function waitHint(kind: AsyncTriggerKind, target: TargetKind): string {
  if (target === 'local') {
    return kind === 'upload'
      ? 'S3 notifies Lambda asynchronously; the local cloud does it in milliseconds, AWS in about a second or more.'
      : 'Lambda reads the stream and hands the function a batch; the local cloud does it as soon as the record is written, AWS polls about once a second.';
  }
  switch (kind) {
    case 'upload':
      return 'S3 notifies Lambda asynchronously: on AWS that usually takes about a second, sometimes several. The logs are read back from CloudWatch Logs, which adds a second or two.';
    case 'put-item':
    case 'delete-item':
      return 'The change goes to the table’s stream, which Lambda polls: on AWS a record usually reaches the function within a second or a few. The logs are read back from CloudWatch Logs, which adds a second or two.';
    case 'kinesis-record':
      return 'Lambda polls each shard about once a second and hands the function a batch. The logs are read back from CloudWatch Logs, which adds a second or two.';
  }
}

/** `1.2 s`, `14 s`. */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
}

/** The outcome line once the function started, or once the wait ran out. */
export function followUpText(fn: string, elapsedMs: number | undefined, target: TargetKind): string {
  if (elapsedMs !== undefined) return `${fn} started ${formatSeconds(elapsedMs)} later.`;
  return target === 'aws'
    ? `${fn} has not started after ${formatSeconds(FOLLOW_UP_TIMEOUT_MS)}. Check that the stack is deployed as expected, and look at the function’s log group in the CloudWatch console.`
    : `${fn} has not started after ${formatSeconds(FOLLOW_UP_TIMEOUT_MS)}. Look at the live feed for errors (the trigger’s filter may not match, or the event source mapping may be disabled).`;
}
