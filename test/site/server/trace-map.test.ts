import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import { buildFlowGraph, executionRoles, type Template } from '../../../site/server/flow.ts';
import type { TraceRecord } from '../../../site/server/runtime.ts';
import type { ScenarioGraph } from '../../../site/server/scenario-info.ts';
import { mapTrace, nameFromArn, newTraceMapState, TraceIndex } from '../../../site/server/trace-map.ts';
import { synthesizedAssembly } from '../../infra/local/deploy/assembly.ts';

const ACCOUNT = '000000000000';
/** Every resource deployed under a recognisable physical name: `p-<logical id>` (lowercase, as buckets are). */
const physical = (logicalId: string) => `p-${logicalId.toLowerCase()}`;

let index: TraceIndex;
const templates = new Map<ScenarioId, Template>();
/** The logical id of the node labelled `label` in a scenario. */
let idOf: (scenario: ScenarioId, label: string) => string;

beforeAll(async () => {
  const assembly = await synthesizedAssembly();
  const graphs: ScenarioGraph[] = [];
  for (const scenario of Object.keys(SCENARIOS) as ScenarioId[]) {
    const template = JSON.parse(
      readFileSync(join(assembly, `${SCENARIOS[scenario].stack}.template.json`), 'utf8'),
    ) as Template;
    templates.set(scenario, template);
    const resources = Object.fromEntries(Object.keys(template.Resources ?? {}).map((id) => [id, physical(id)]));
    const roles = new Map([...executionRoles(template)].map(([role, fn]) => [physical(role), fn]));
    graphs.push({ scenario, graph: buildFlowGraph(template, { resources }), executionRoles: roles });
  }
  index = new TraceIndex(graphs);
  idOf = (scenario, label) => {
    const node = graphs.find((graph) => graph.scenario === scenario)?.graph.nodes.find((n) => n.label === label);
    if (node === undefined) throw new Error(`no node '${label}' in ${scenario}`);
    return node.id;
  };
}, 240_000);

const record = (type: string, detail: Record<string, unknown>, requestId = 'req-1'): TraceRecord => ({
  type,
  time: 1_700_000_000_000,
  requestId,
  detail,
});
const map = (type: string, detail: Record<string, unknown>, state = newTraceMapState()) =>
  mapTrace(record(type, detail), index, state);
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

describe('trace steps → scenario and highlighted nodes and edges', () => {
  it('an upload: the client writes the photos bucket', () => {
    const bucket = idOf('thumbnails', 'Photos bucket');
    const [message] = map('s3.request', {
      operation: 'PutObject',
      bucket: physical(bucket),
      key: 'cat.jpg',
      status: 200,
      caller: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(message).toMatchObject({ type: 's3.request', scenario: 'thumbnails', requestId: 'req-1' });
    expect(message?.highlight).toEqual(['client', bucket, `client>${bucket}`]);
  });

  it('the notification: photos bucket → thumbnail function', () => {
    const bucket = idOf('thumbnails', 'Photos bucket');
    const fn = idOf('thumbnails', 'Thumbnail function');
    const [message] = map('s3.notification', {
      bucket: physical(bucket),
      key: 'cat.jpg',
      functionArn: fnArn(physical(fn)),
    });
    expect(message?.highlight).toEqual([bucket, fn, `${bucket}>${fn}`]);
  });

  it('the function writing the thumbnail, recognised by its execution role session', () => {
    const fn = idOf('thumbnails', 'Thumbnail function');
    const thumbnails = idOf('thumbnails', 'Thumbnails bucket');
    const role = [...executionRoles(templates.get('thumbnails')!)].find(([, f]) => f === fn)![0];
    const [message] = map('s3.request', {
      operation: 'PutObject',
      bucket: physical(thumbnails),
      caller: `arn:aws:sts::${ACCOUNT}:assumed-role/${physical(role)}/${physical(fn)}`,
    });
    expect(message?.highlight).toEqual([fn, thumbnails, `${fn}>${thumbnails}`]);
  });

  it('lambda steps light the function; a REPORT log line adds a parsed lambda.report step', () => {
    const fn = idOf('thumbnails', 'Thumbnail function');
    const line =
      'REPORT RequestId: 6f1a2b3c-0000-4000-8000-000000000001\tDuration: 250.00 ms\tBilled Duration: 250 ms\tMemory Size: 1024 MB\tMax Memory Used: 120 MB\tInit Duration: 300.00 ms\t';
    const messages = map('lambda.log', { functionName: physical(fn), line });
    expect(messages.map((message) => message.type)).toEqual(['lambda.log', 'lambda.report']);
    expect(messages[1]).toMatchObject({
      scenario: 'thumbnails',
      requestId: '6f1a2b3c-0000-4000-8000-000000000001',
      highlight: [fn],
      detail: { functionName: physical(fn), durationMs: 250, coldStart: true, memorySizeMb: 1024 },
    });
    expect(
      map('lambda.invoke.start', { functionName: physical(fn), invocationType: 'Event', source: 'aws:s3' })[0]
        ?.highlight,
    ).toEqual([fn]);
  });

  it('an event source mapping batch: table stream → function, remembered for the batch result', () => {
    const table = idOf('stream-metrics', 'Orders table');
    const fn = idOf('stream-metrics', 'Metrics function');
    const state = newTraceMapState();
    const streamArn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${physical(table)}/stream/2024-01-01T00:00:00.000`;
    const [batch] = map(
      'esm.batch',
      { uuid: 'u-1', functionArn: fnArn(physical(fn)), eventSourceArn: streamArn, size: 3 },
      state,
    );
    expect(batch).toMatchObject({ scenario: 'stream-metrics', highlight: [table, fn, `${table}>${fn}`] });
    const [result] = map('esm.invoke.result', { uuid: 'u-1', ok: true }, state);
    expect(result?.highlight).toEqual([table, fn, `${table}>${fn}`]);
  });

  it('a Kinesis record put by the client', () => {
    const stream = idOf('stream-metrics', 'Click stream');
    const [message] = map('kinesis.record', { stream: physical(stream), shardId: 'shardId-000000000000' });
    expect(message?.highlight).toEqual(['client', stream, `client>${stream}`]);
  });

  it('API Gateway: client → API, then API → function', () => {
    const api = idOf('web-backend', 'HTTP API');
    const fn = idOf('web-backend', 'API function');
    expect(map('apigateway.request', { apiId: physical(api), method: 'GET', path: '/items' })[0]?.highlight).toEqual([
      'client',
      api,
      `client>${api}`,
    ]);
    expect(
      map('apigateway.integration', { apiId: physical(api), functionArn: fnArn(physical(fn)) })[0]?.highlight,
    ).toEqual([api, fn, `${api}>${fn}`]);
  });

  it('Cognito: GetId lights the pool, credentials light the role the pool hands out', () => {
    const pool = idOf('mobile-clicks', 'Identity pool');
    const role = idOf('mobile-clicks', 'Unauthenticated role');
    expect(map('cognito.identity', { poolId: physical(pool), new: true })[0]).toMatchObject({
      scenario: 'mobile-clicks',
      highlight: ['client', pool, `client>${pool}`],
    });
    // The enhanced flow's credentials from Cognito, and the basic flow's from STS for the pool's token.
    for (const type of ['cognito.credentials', 'sts.credentials']) {
      expect(
        map(type, {
          poolId: physical(pool),
          roleArn: `arn:aws:iam::${ACCOUNT}:role/${physical(role)}`,
        })[0]?.highlight,
        type,
      ).toEqual(['client', pool, role, `client>${pool}`, `${pool}>${role}`]);
    }
  });

  it('the mobile app invoking the function directly', () => {
    const fn = idOf('mobile-clicks', 'Clicks function');
    const [message] = map('lambda.invoke.start', { functionName: physical(fn), invocationType: 'RequestResponse' });
    expect(message?.highlight).toEqual(['client', fn, `client>${fn}`]);
  });

  it('IAM access denied: the function (by its role) and the resource it was refused', () => {
    const fn = idOf('mobile-clicks', 'Clicks function');
    const table = idOf('mobile-clicks', 'Clicks table');
    const role = [...executionRoles(templates.get('mobile-clicks')!)].find(([, f]) => f === fn)![0];
    const [message] = map('iam.denied', {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${physical(role)}/${physical(fn)}`,
      action: 'dynamodb:DeleteItem',
      resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${physical(table)}`,
      reason: 'no statement allows it',
    });
    expect(message).toMatchObject({
      scenario: 'mobile-clicks',
      highlight: [fn, table, `${fn}>${table}`],
      detail: { action: 'dynamodb:DeleteItem', reason: 'no statement allows it' },
    });
  });

  it('a client write to a table with no arrow from the client lights only the table', () => {
    const table = idOf('web-backend', 'Items table');
    expect(map('dynamodb.request', { operation: 'PutItem', table: physical(table) })[0]?.highlight).toEqual([table]);
  });

  it('steps about nothing deployed carry no scenario; huge log lines are cut', () => {
    const [message] = map('s3.request', { bucket: 'some-other-bucket', operation: 'ListObjectsV2' });
    expect(message).not.toHaveProperty('scenario');
    expect(message).not.toHaveProperty('highlight');
    const [log] = map('lambda.log', { functionName: 'x', line: 'y'.repeat(100_000) });
    expect(String(log?.detail.line).length).toBeLessThan(17_000);
    expect(String(log?.detail.line)).toMatch(/more characters\)$/);
  });
});

describe('what AWS mode observes (log lines read back from CloudWatch Logs, bucket and table changes)', () => {
  const line = (fn: string, text: string, state = newTraceMapState()) =>
    map('lambda.log', { functionName: physical(fn), line: text, source: 'cloudwatch-logs' }, state);

  it('a START line is the function starting, along the arrow into it', () => {
    const bucket = idOf('thumbnails', 'Photos bucket');
    const fn = idOf('thumbnails', 'Thumbnail function');
    const state = newTraceMapState();
    const messages = line(fn, 'START RequestId: 8f5b3c2e-0000-4000-8000-000000000001 Version: $LATEST', state);
    expect(messages.map((m) => m.type)).toEqual(['lambda.invoke.start', 'lambda.log']);
    expect(messages[0]).toMatchObject({
      scenario: 'thumbnails',
      detail: { functionName: physical(fn), observed: 'CloudWatch Logs', version: '$LATEST' },
    });
    expect(messages[0]?.highlight).toEqual([bucket, fn, `${bucket}>${fn}`]);
    expect(state.started.get(fn)).toBe(1_700_000_000_000);
    // The same line from the local cloud's own bus is only a log line (it reports the start itself).
    expect(map('lambda.log', { functionName: physical(fn), line: 'START RequestId: x Version: $LATEST' })).toHaveLength(
      1,
    );
  });

  it('a REPORT line is the end of the invocation, with its durations', () => {
    const fn = idOf('web-backend', 'API function');
    const messages = line(
      fn,
      'REPORT RequestId: 8f5b3c2e-0000-4000-8000-000000000002\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB',
    );
    expect(messages.map((m) => m.type)).toEqual(['lambda.log', 'lambda.report', 'lambda.invoke.end']);
    expect(messages[2]?.detail).toMatchObject({
      duration: 12.34,
      billedDuration: 13,
      memorySizeMB: 256,
      maxMemoryUsedMB: 80,
      cold: false,
      observed: 'CloudWatch Logs',
    });
  });

  it('a new object seen in a bucket: written by the only writer, or by the function seen starting last', () => {
    const photos = idOf('thumbnails', 'Photos bucket');
    const thumbnails = idOf('thumbnails', 'Thumbnails bucket');
    const fn = idOf('thumbnails', 'Thumbnail function');
    const seen = (bucket: string, state = newTraceMapState()) =>
      map(
        's3.request',
        { operation: 'PutObject', bucket: physical(bucket), key: 'cat.jpg', observed: 'the bucket listing' },
        state,
      )[0]?.highlight;
    // The photo: the client uploads (the function only reads the photos bucket).
    expect(seen(photos)).toEqual(['client', photos, `client>${photos}`]);
    expect(seen(thumbnails)).toEqual([fn, thumbnails, `${fn}>${thumbnails}`]);

    // Two functions write the metrics table: the one that started last.
    const metrics = idOf('stream-metrics', 'Metrics table');
    const orders = idOf('stream-metrics', 'Metrics function');
    const clicks = idOf('stream-metrics', 'Click metrics function');
    const item = (state: ReturnType<typeof newTraceMapState>) =>
      map('dynamodb.request', { operation: 'UpdateItem', table: physical(metrics), observed: 'a table scan' }, state)[0]
        ?.highlight;
    expect(item(newTraceMapState())).toEqual([metrics]);
    const state = newTraceMapState();
    state.started.set(orders, 1);
    state.started.set(clicks, 2);
    expect(item(state)).toEqual([clicks, metrics, `${clicks}>${metrics}`]);
  });
});

describe('names in ARNs', () => {
  it.each([
    ['arn:aws:lambda:us-east-1:1:function:fn-name', 'fn-name'],
    ['arn:aws:lambda:us-east-1:1:function:fn-name:$LATEST', 'fn-name'],
    ['arn:aws:s3:::bucket-name/some/key.jpg', 'bucket-name'],
    ['arn:aws:dynamodb:us-east-1:1:table/orders/stream/2024', 'orders'],
    ['arn:aws:kinesis:us-east-1:1:stream/clicks', 'clicks'],
    ['arn:aws:iam::1:role/service-role/my-role', 'my-role'],
    ['arn:aws:sts::1:assumed-role/my-role/session', 'my-role'],
    ['plain-name', 'plain-name'],
  ])('%s → %s', (arn, name) => {
    expect(nameFromArn(arn)).toBe(name);
  });
});
