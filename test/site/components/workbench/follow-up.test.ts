import { describe, expect, it } from 'vitest';
import {
  followingFunctions,
  followUpText,
  formatSeconds,
  startedFunction,
  waitHint,
} from '../../../../site/components/workbench/triggers/follow-up.ts';
import type { FlowGraph, TraceMessage } from '../../../../site/lib/workbench-api.ts';

/** The stream-metrics diagram's shape: two sources the client writes, each polled by its function. */
const GRAPH: FlowGraph = {
  nodes: [
    { id: 'client', kind: 'client', label: 'Client' },
    { id: 'Orders', kind: 'table', label: 'Orders table', resourceName: 'orders-1' },
    { id: 'Metrics', kind: 'table', label: 'Metrics table', resourceName: 'metrics-1' },
    { id: 'Clicks', kind: 'stream', label: 'Click stream', resourceName: 'clicks-1' },
    { id: 'MetricsFn', kind: 'function', label: 'Metrics function', resourceName: 'metrics-fn' },
    { id: 'ClickFn', kind: 'function', label: 'Click metrics function', resourceName: 'click-fn' },
  ],
  edges: [
    { from: 'client', to: 'Orders' },
    { from: 'Orders', to: 'MetricsFn' },
    { from: 'client', to: 'Clicks' },
    { from: 'Clicks', to: 'ClickFn' },
    { from: 'MetricsFn', to: 'Metrics' },
    { from: 'ClickFn', to: 'Metrics' },
  ],
};

const message = (type: string, detail: Record<string, unknown>): TraceMessage => ({ type, time: 0, detail });

describe('what follows a trigger', () => {
  it('finds the functions a trigger sets off from the diagram’s arrows', () => {
    expect(followingFunctions(GRAPH, 'put-item').map((fn) => fn.id)).toEqual(['MetricsFn']);
    expect(followingFunctions(GRAPH, 'delete-item').map((fn) => fn.id)).toEqual(['MetricsFn']);
    expect(followingFunctions(GRAPH, 'kinesis-record').map((fn) => fn.id)).toEqual(['ClickFn']);
    // No bucket the client writes: nothing to wait for.
    expect(followingFunctions(GRAPH, 'upload')).toEqual([]);
  });

  it('recognises the start of one of them, by name or ARN, from the cloud or from its logs', () => {
    const functions = followingFunctions(GRAPH, 'put-item');
    expect(startedFunction(message('lambda.invoke.start', { functionName: 'metrics-fn' }), functions)?.id).toBe(
      'MetricsFn',
    );
    expect(
      startedFunction(
        message('lambda.invoke.start', { functionName: 'arn:aws:lambda:us-east-1:1:function:metrics-fn' }),
        functions,
      )?.id,
    ).toBe('MetricsFn');
    expect(
      startedFunction(message('lambda.log', { functionName: 'metrics-fn', line: 'START RequestId: x' }), functions)?.id,
    ).toBe('MetricsFn');
    expect(startedFunction(message('lambda.log', { functionName: 'metrics-fn', line: 'hello' }), functions)).toBe(
      undefined,
    );
    expect(startedFunction(message('lambda.invoke.start', { functionName: 'click-fn' }), functions)).toBe(undefined);
    expect(startedFunction(message('lambda.invoke.end', { functionName: 'metrics-fn' }), functions)).toBe(undefined);
  });

  it('says why the wait takes what it takes, and what came of it', () => {
    expect(waitHint('upload', 'aws')).toMatch(/on AWS that usually takes about a second/);
    expect(waitHint('kinesis-record', 'aws')).toMatch(/polls each shard about once a second/);
    expect(waitHint('put-item', 'local')).toMatch(/local cloud/);
    expect(formatSeconds(1234)).toBe('1.2 s');
    expect(formatSeconds(14_400)).toBe('14 s');
    expect(followUpText('Metrics function', 2100, 'aws')).toBe('Metrics function started 2.1 s later.');
    expect(followUpText('Metrics function', undefined, 'aws')).toMatch(/has not started after 60 s.*CloudWatch/);
    expect(followUpText('Metrics function', undefined, 'local')).toMatch(/has not started after 60 s.*live feed/);
  });
});
