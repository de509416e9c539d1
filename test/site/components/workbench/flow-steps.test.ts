import { describe, expect, it } from 'vitest';
import {
  describeTrace,
  findNode,
  isBackgroundRead,
  isForScenario,
} from '../../../../site/components/workbench/flow/steps.ts';
import type { FlowGraph, TraceMessage } from '../../../../site/lib/workbench-api.ts';

const GRAPH: FlowGraph = {
  nodes: [
    { id: 'client', kind: 'client', label: 'Client' },
    { id: 'Photos', kind: 'bucket', label: 'Photos bucket', resourceName: 'photos-1a2b' },
    { id: 'Thumbs', kind: 'bucket', label: 'Thumbnails bucket', resourceName: 'thumbs-3c4d' },
    { id: 'Fn', kind: 'function', label: 'ThumbnailFunction', resourceName: 'LambdaWorkbook-Thumbnails-Fn-X1' },
  ],
  edges: [
    { from: 'client', to: 'Photos' },
    { from: 'Photos', to: 'Fn' },
  ],
};

const message = (type: string, detail: Record<string, unknown>, extra: Partial<TraceMessage> = {}): TraceMessage => ({
  type,
  time: 1_715_678_467_512,
  detail,
  ...extra,
});

describe('step log lines', () => {
  it('tells an S3-triggered invocation the way the lesson does', () => {
    const line = describeTrace(
      message('lambda.invoke.start', {
        functionName: 'LambdaWorkbook-Thumbnails-Fn-X1',
        invocationType: 'Event',
        attempt: 1,
        source: 'aws:s3',
        cold: false,
      }),
      GRAPH,
    );
    expect(line).toBe('S3 → notification → ThumbnailFunction (Event, attempt 1)');
  });

  it('names resources by their diagram labels, from names and ARNs', () => {
    expect(findNode(GRAPH, 'arn:aws:lambda:us-east-1:000000000000:function:LambdaWorkbook-Thumbnails-Fn-X1')?.id).toBe(
      'Fn',
    );
    expect(findNode(GRAPH, 'arn:aws:s3:::thumbs-3c4d')?.id).toBe('Thumbs');
    expect(
      describeTrace(
        message('s3.request', { operation: 'PutObject', bucket: 'thumbs-3c4d', key: 'cat.jpg', status: 200 }),
        GRAPH,
      ),
    ).toBe('PutObject cat.jpg in Thumbnails bucket');
    // Who called, from the step's arrow; a failure says so, a success needs no status code.
    expect(
      describeTrace(
        message(
          's3.request',
          { operation: 'GetObject', bucket: 'photos-1a2b', key: 'cat.jpg', status: 403, error: 'AccessDenied' },
          { highlight: ['Fn', 'Photos', 'Fn>Photos'] },
        ),
        { ...GRAPH, edges: [...GRAPH.edges, { from: 'Fn', to: 'Photos' }] },
      ),
    ).toBe('ThumbnailFunction: GetObject cat.jpg in Photos bucket → failed: AccessDenied');
    expect(
      describeTrace(
        message('s3.notification', {
          bucket: 'photos-1a2b',
          key: 'cat.jpg',
          eventName: 'ObjectCreated:Put',
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:LambdaWorkbook-Thumbnails-Fn-X1',
        }),
        GRAPH,
      ),
    ).toBe('Photos bucket → ObjectCreated:Put cat.jpg → ThumbnailFunction');
  });

  it('describes failures, retries, denials and cold starts', () => {
    expect(
      describeTrace(
        message('lambda.invoke.end', {
          functionName: 'LambdaWorkbook-Thumbnails-Fn-X1',
          duration: 12.345,
          error: { errorType: 'AccessDenied', errorMessage: 'no s3:PutObject' },
        }),
        GRAPH,
      ),
    ).toBe('ThumbnailFunction failed in 12 ms: AccessDenied: no s3:PutObject');
    expect(
      describeTrace(
        message('lambda.async.retry', {
          functionName: 'LambdaWorkbook-Thumbnails-Fn-X1',
          attempt: 2,
          delayMs: 1000,
          errorType: 'Error',
        }),
        GRAPH,
      ),
    ).toBe('Lambda retries ThumbnailFunction in 1000 ms (attempt 2) after Error');
    expect(
      describeTrace(
        message('iam.denied', {
          action: 'lambda:InvokeFunction',
          resource: 'arn:aws:lambda:us-east-1:0:function:Other',
          principal: 'guest',
        }),
        GRAPH,
      ),
    ).toBe('IAM denies lambda:InvokeFunction on Other to guest');
    expect(
      describeTrace(
        message('lambda.invoke.start', { functionName: 'x', invocationType: 'RequestResponse', cold: true }),
        GRAPH,
      ),
    ).toBe('Invoke → x (RequestResponse, attempt 1, cold start)');
    expect(describeTrace(message('esm.batch', { functionArn: 'f', size: 1, attempt: 2 }), GRAPH)).toBe(
      'Event source mapping → f: batch of 1 record (attempt 2)',
    );
  });

  it('leaves log lines out and puts an unknown step in words, not its type', () => {
    expect(describeTrace(message('lambda.log', { line: 'START' }), GRAPH)).toBeUndefined();
    expect(describeTrace(message('something.new', {}), GRAPH)).toBe('Something: new');
  });

  it('tells the workbench looking around from the event travelling', () => {
    const read = (operation: string, highlight: string[]) =>
      isBackgroundRead(message('s3.request', { operation, bucket: 'photos-1a2b' }, { highlight }), GRAPH);
    // The resources panel listing a bucket, a preview loading (the admin credentials stand for the client).
    expect(read('ListObjectsV2', ['client', 'Photos', 'client>Photos'])).toBe(true);
    expect(read('GetObject', ['Thumbs'])).toBe(true);
    // The function reading the photo that triggered it, and any write.
    expect(read('GetObject', ['Fn', 'Photos', 'Fn>Photos'])).toBe(false);
    expect(read('PutObject', ['client', 'Photos', 'client>Photos'])).toBe(false);
    expect(isBackgroundRead(message('lambda.invoke.start', { operation: 'GetObject' }), GRAPH)).toBe(false);
  });

  it('tells where the phone’s credentials came from', () => {
    expect(
      describeTrace(
        message('sts.credentials', {
          roleArn: 'arn:aws:iam::000000000000:role/unauth-role',
          expiration: '2026-11-27T10:00:00.000Z',
        }),
        GRAPH,
      ),
    ).toBe(
      'STS → temporary credentials for unauth-role, for the identity pool’s token (expire 2026-11-27T10:00:00.000Z)',
    );
  });

  it('tells what AWS mode observed, and how', () => {
    expect(
      describeTrace(
        message(
          'lambda.invoke.start',
          { functionName: 'LambdaWorkbook-Thumbnails-Fn-X1', observed: 'CloudWatch Logs' },
          { highlight: ['Photos', 'Fn', 'Photos>Fn'] },
        ),
        GRAPH,
      ),
    ).toBe('Photos bucket → ThumbnailFunction started (seen in CloudWatch Logs)');
    expect(
      describeTrace(
        message('lambda.invoke.start', {
          functionName: 'LambdaWorkbook-Thumbnails-Fn-X1',
          observed: 'CloudWatch Logs',
        }),
        GRAPH,
      ),
    ).toBe('ThumbnailFunction started (seen in CloudWatch Logs)');
    expect(
      describeTrace(
        message('lambda.invoke.end', {
          functionName: 'LambdaWorkbook-Thumbnails-Fn-X1',
          duration: 312.5,
          billedDuration: 313,
          observed: 'CloudWatch Logs',
        }),
        GRAPH,
      ),
    ).toBe('ThumbnailFunction finished in 313 ms (billed 313 ms; its REPORT line)');
    const s3 = (operation: string) =>
      describeTrace(
        message('s3.request', { operation, bucket: 'thumbs-3c4d', key: 'cat.jpg', observed: 'the bucket listing' }),
        GRAPH,
      );
    expect(s3('PutObject')).toBe('cat.jpg new in Thumbnails bucket (seen in the bucket listing)');
    expect(s3('DeleteObject')).toBe('cat.jpg gone from Thumbnails bucket (seen in the bucket listing)');
    expect(
      describeTrace(
        message('dynamodb.request', {
          operation: 'UpdateItem',
          table: 'metrics',
          key: { metric: 'orders', period: 'all' },
          observed: 'a table scan',
        }),
        GRAPH,
      ),
    ).toBe('metrics: item orders / all changed (seen in a table scan)');
  });

  it('keeps other scenarios out', () => {
    expect(isForScenario(message('x', {}, { scenario: 'thumbnails' }), 'thumbnails')).toBe(true);
    expect(isForScenario(message('x', {}, { scenario: 'web-backend' }), 'thumbnails')).toBe(false);
    expect(isForScenario(message('x', {}), 'thumbnails')).toBe(true);
  });
});

describe('step log lines in the lesson’s words', () => {
  // Every kind of step the local cloud and the workbook's observers publish (infra/local, site/server).
  const TYPES = [
    'apigateway.api',
    'apigateway.error',
    'edge.browser-refused',
    'esm.checkpoint.reset',
    'lambda.alias.created',
    'lambda.alias.deleted',
    'lambda.alias.updated',
    'lambda.async.destination',
    'lambda.async.throttled',
    'lambda.concurrency.reserved',
    'lambda.function.created',
    'lambda.function.deleted',
    'lambda.function.updated',
    'lambda.permission.added',
    'lambda.permission.removed',
    'lambda.recursion.stopped',
    'lambda.throttled',
    'lambda.version.deleted',
    'lambda.version.published',
    'logs.dropped',
    'logs.request',
    'observer.notice',
    'sts.request',
    'trace.dropped',
    'some.future.step',
  ];

  it.each(TYPES)('%s: never the raw step type', (type) => {
    const line = describeTrace(
      message(type, { functionName: 'LambdaWorkbook-Thumbnails-Fn-X1', message: 'AWS is slow', change: 'code' }),
      GRAPH,
    );
    if (line !== undefined) {
      expect(line).not.toContain(type);
      expect(line).not.toMatch(/^[a-z]+\.[a-z.-]+$/);
    }
  });

  it('says what a deploy did, naming the function as the lesson does', () => {
    const fn = { functionName: 'LambdaWorkbook-Thumbnails-Fn-X1' };
    expect(describeTrace(message('lambda.function.updated', { ...fn, change: 'code' }), GRAPH)).toBe(
      'ThumbnailFunction: new code deployed',
    );
    expect(describeTrace(message('lambda.function.updated', { ...fn, change: 'configuration' }), GRAPH)).toBe(
      'ThumbnailFunction: new configuration',
    );
    expect(
      describeTrace(
        message('lambda.permission.added', { ...fn, statement: { Principal: { Service: 's3.amazonaws.com' } } }),
        GRAPH,
      ),
    ).toBe('ThumbnailFunction: its resource-based policy now lets s3.amazonaws.com invoke it');
    expect(describeTrace(message('some.future.step', {}), GRAPH)).toBe('Some: future step');
  });
});
