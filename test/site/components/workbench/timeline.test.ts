// The timeline's model (site/components/workbench/results/timeline.ts): trace steps folded into one
// entry per event with each invocation once, retries grouped under their event, the Run's own
// invocation pinned and paired with the notification its sample upload set off, filters, the bound
// and Clear; plus the lesson's words for names and step types, and the one-line lesson notes.
import { describe, expect, it } from 'vitest';
import { lessonNote } from '../../../../site/components/workbench/results/lesson-notes.ts';
import { LessonNames, resourceNameOf } from '../../../../site/components/workbench/results/names.ts';
import { outcomeOf, Timeline } from '../../../../site/components/workbench/results/timeline.ts';
import { stepWords } from '../../../../site/components/workbench/trace-words.ts';
import type { FlowGraph, InvokeResult, TraceMessage } from '../../../../site/lib/workbench-api.ts';

const THUMBS = 'LambdaWorkbook-Thumbnail-ThumbnailsThumbnailFuncti-I2LK7AY2F572H';
const METRICS = 'LambdaWorkbook-StreamMetrics-MetricsFn-ABC';
const graph: FlowGraph = {
  nodes: [
    { id: 'Fn', kind: 'function', label: 'Thumbnail function', resourceName: THUMBS },
    { id: 'Photos', kind: 'bucket', label: 'Photos bucket', resourceName: 'photos-123' },
    { id: 'Metrics', kind: 'function', label: 'Metrics function', resourceName: METRICS },
    { id: 'Orders', kind: 'table', label: 'Orders table', resourceName: 'Orders-1' },
  ],
  edges: [],
};
const names = new LessonNames(graph, [{ name: THUMBS }, { name: METRICS }]);
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders-1/stream/2026-01-01T00:00:00.000';

let clock = 1_000;
const step = (type: string, detail: Record<string, unknown>, requestId?: string): TraceMessage => ({
  type,
  time: ++clock,
  ...(requestId !== undefined ? { requestId } : {}),
  detail,
});
const start = (requestId: string, extra: Record<string, unknown> = {}) =>
  step(
    'lambda.invoke.start',
    { functionName: THUMBS, invocationType: 'RequestResponse', cold: false, attempt: 1, ...extra },
    requestId,
  );
const end = (requestId: string, extra: Record<string, unknown> = {}) =>
  step(
    'lambda.invoke.end',
    {
      functionName: THUMBS,
      duration: 12.5,
      billedDuration: 13,
      memorySizeMB: 128,
      maxMemoryUsedMB: 70,
      cold: false,
      ...extra,
    },
    requestId,
  );
const log = (requestId: string, line: string) => step('lambda.log', { functionName: THUMBS, line }, requestId);
const failure = { error: { errorType: 'Error', errorMessage: 'boom' } };

/** Feeds steps; the number of invocations across every event. */
function feed(timeline: Timeline, ...messages: TraceMessage[]): number {
  for (const message of messages) timeline.apply(message);
  return timeline.all().reduce((sum, event) => sum + event.invocations.length, 0);
}

describe('Timeline', () => {
  it('makes one entry per invocation with its figures and log, however many steps tell of it', () => {
    const timeline = new Timeline(names);
    const total = feed(
      timeline,
      start('r1'),
      log('r1', 'START RequestId: r1 Version: $LATEST'),
      log('r1', 'hello'),
      step(
        'lambda.report',
        { functionName: THUMBS, durationMs: 12.5, billedDurationMs: 13, memorySizeMb: 128, maxMemoryUsedMb: 70 },
        'r1',
      ),
      end('r1'),
      // A reconnecting stream replays the start: not a second invocation.
      start('r1'),
    );
    expect(total).toBe(1);
    const [event] = timeline.list();
    expect(event?.invocations[0]).toMatchObject({
      status: 'succeeded',
      durationMs: 12.5,
      billedDurationMs: 13,
      maxMemoryUsedMb: 70,
      cold: false,
      logs: ['START RequestId: r1 Version: $LATEST', 'hello'],
    });
    expect(event?.trigger.kind).toBe('direct');
    expect(outcomeOf(event!)).toBe('succeeded');
  });

  it('groups an async event’s retries under it, ending with Dropped … RetriesExhausted', () => {
    const timeline = new Timeline(names);
    const async = { invocationType: 'Event', source: 'aws:s3' };
    const total = feed(
      timeline,
      step('s3.notification', {
        bucket: 'photos-123',
        key: 'cat.jpg',
        eventName: 'ObjectCreated:Put',
        invocationId: 'a1',
        functionArn: THUMBS,
      }),
      start('a1', { ...async, attempt: 1 }),
      end('a1', failure),
      step('lambda.async.retry', { functionName: THUMBS, attempt: 2, delayMs: 100, errorType: 'Error' }, 'a1'),
    );
    expect(total).toBe(1);
    expect(outcomeOf(timeline.list()[0]!)).toBe('running');
    feed(
      timeline,
      start('a1', { ...async, attempt: 2 }),
      end('a1', failure),
      step('lambda.async.retry', { functionName: THUMBS, attempt: 3, delayMs: 100, errorType: 'Error' }, 'a1'),
      start('a1', { ...async, attempt: 3 }),
      end('a1', failure),
      step('lambda.async.dropped', { functionName: THUMBS, reason: 'RetriesExhausted', attempts: 3 }, 'a1'),
    );
    const events = timeline.list();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.invocations.map((invocation) => [invocation.attempt, invocation.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    expect(event?.trigger.text).toBe('S3 notification: ObjectCreated:Put of cat.jpg in Photos bucket');
    expect(event?.dropped).toEqual({ reason: 'RetriesExhausted', attempts: 3 });
    expect(event?.notes.at(-1)?.text).toMatch(/^Dropped after 3 attempts: RetriesExhausted — /);
    // Each note knows its place among the attempts: a retry after the attempt that failed, the drop last.
    expect(event?.notes.map((note) => note.after)).toEqual([1, 2, 3]);
    expect(event?.notes.filter((note) => note.text.startsWith('Attempt'))).toHaveLength(2);
    expect(outcomeOf(event!)).toBe('failed');
  });

  it('groups a stream batch’s attempts (a new request id each) by its records, and its discard', () => {
    const timeline = new Timeline(names);
    const batch = (requestId: string, attempt: number) =>
      step(
        'esm.batch',
        {
          uuid: 'm1',
          shardId: 's1',
          functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${METRICS}`,
          eventSourceArn: STREAM_ARN,
          size: 3,
          firstSequence: '100',
          lastSequence: '300',
          attempt,
        },
        requestId,
      );
    const metricsStart = (requestId: string) => start(requestId, { functionName: METRICS, source: 'esm' });
    const total = feed(
      timeline,
      batch('b1', 1),
      metricsStart('b1'),
      end('b1', { ...failure, functionName: METRICS }),
      step('esm.invoke.result', { uuid: 'm1', shardId: 's1', ok: false, outcome: 'failed', error: 'boom' }, 'b1'),
      batch('b2', 2),
      metricsStart('b2'),
      end('b2', { ...failure, functionName: METRICS }),
      step('esm.onfailure', {
        uuid: 'm1',
        shardId: 's1',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
        startSequenceNumber: '100',
        endSequenceNumber: '300',
        delivered: false,
      }),
    );
    expect(total).toBe(2);
    const [event] = timeline.list();
    expect(timeline.list()).toHaveLength(1);
    expect(event?.functionName).toBe(METRICS);
    expect(event?.trigger.text).toBe('Batch of 3 records from Orders table');
    expect(event?.invocations.map((invocation) => invocation.attempt)).toEqual([1, 1]);
    expect(event?.dropped?.reason).toBe('RetryAttemptsExhausted');
    expect(outcomeOf(event!)).toBe('failed');
  });

  it('pins the Run’s own invocation and pairs it with the notification its sample upload set off', () => {
    const timeline = new Timeline(names);
    const run = timeline.runStarted(THUMBS, 'RequestResponse');
    feed(
      timeline,
      step('s3.notification', {
        bucket: 'photos-123',
        key: 'sample.jpg',
        eventName: 'ObjectCreated:Put',
        invocationId: 'n1',
        functionArn: THUMBS,
      }),
      start('n1', { invocationType: 'Event', source: 'aws:s3' }),
      start('r1'),
      end('n1'),
    );
    // Claimed by the Run before its answer arrives: pinned already, not listed.
    expect(timeline.pinned?.key).toBe('r1');
    const result: InvokeResult = {
      requestId: 'r1',
      statusCode: 200,
      payload: { ok: true },
      logs: 'START RequestId: r1 Version: $LATEST\nEND RequestId: r1\nREPORT RequestId: r1\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n',
      durationMs: 20,
      prepared: ['PutObject photos-123/sample.jpg (1,234 bytes)'],
    };
    const event = timeline.runFinished(run, THUMBS, result, 'RequestResponse');
    expect(event.run).toBe(1);
    expect(event.trigger.kind).toBe('run');
    expect(event.invocations).toHaveLength(1);
    expect(event.invocations[0]).toMatchObject({ status: 'succeeded', durationMs: 5, maxMemoryUsedMb: 60 });
    // The trace's copy of the log lines does not double the log.
    feed(timeline, log('r1', 'START RequestId: r1 Version: $LATEST'), end('r1'));
    expect(event.invocations[0]?.logs).toHaveLength(3);
    const listed = timeline.list();
    expect(listed.map((other) => other.key)).toEqual(['n1']);
    expect(listed[0]?.setOffByRun).toBe(1);
    expect(listed[0]?.trigger.kind).toBe('s3');

    // The next Run unpins this one: it goes back into the list, still once.
    timeline.runStarted(THUMBS, 'RequestResponse');
    expect(timeline.pinned).toBeUndefined();
    expect(
      timeline
        .list()
        .map((other) => other.key)
        .sort(),
    ).toEqual(['n1', 'r1']);
  });

  it('keeps the Run’s invocation once when its answer comes before the trace tells of it (AWS mode)', () => {
    const timeline = new Timeline(names);
    const run = timeline.runStarted(THUMBS, 'RequestResponse');
    timeline.runFinished(
      run,
      THUMBS,
      { requestId: 'late', statusCode: 200, logs: '', durationMs: 3 },
      'RequestResponse',
    );
    // CloudWatch Logs shows its START line seconds later: no attempt number, the same request id.
    feed(timeline, start('late', { observed: 'CloudWatch Logs', attempt: undefined, invocationType: undefined }));
    expect(timeline.pinned?.invocations).toHaveLength(1);
    expect(timeline.pinned?.invocations[0]?.observed).toBe('CloudWatch Logs');
    // A later START with the same id is Lambda's retry of the event: a second attempt.
    feed(timeline, start('late', { observed: 'CloudWatch Logs', attempt: undefined, invocationType: undefined }));
    expect(timeline.pinned?.invocations.map((invocation) => invocation.attempt)).toEqual([1, 2]);
  });

  it('filters by function and by outcome', () => {
    const timeline = new Timeline(names);
    feed(
      timeline,
      start('ok'),
      end('ok'),
      start('bad'),
      end('bad', failure),
      start('m', { functionName: METRICS }),
      end('m', { functionName: METRICS }),
      start('slow'),
    );
    expect(timeline.list()).toHaveLength(4);
    expect(timeline.list({ functionName: METRICS }).map((event) => event.key)).toEqual(['m']);
    expect(timeline.list({ functionName: THUMBS, outcome: 'succeeded' }).map((event) => event.key)).toEqual(['ok']);
    expect(timeline.list({ outcome: 'failed' }).map((event) => event.key)).toEqual(['bad']);
    expect(timeline.list({ outcome: 'running' }).map((event) => event.key)).toEqual(['slow']);
  });

  it('keeps the newest events up to its limit, counts those dropped, and keeps the pinned Run', () => {
    const timeline = new Timeline(names, { limit: 3 });
    const run = timeline.runStarted(THUMBS, 'RequestResponse');
    feed(timeline, start('run'), end('run'));
    timeline.runFinished(
      run,
      THUMBS,
      { requestId: 'run', statusCode: 200, logs: '', durationMs: 1 },
      'RequestResponse',
    );
    for (let i = 0; i < 5; i++) feed(timeline, start(`e${i}`), end(`e${i}`));
    expect(timeline.all()).toHaveLength(3);
    expect(timeline.droppedEvents).toBe(3);
    expect(timeline.pinned?.key).toBe('run');
    expect(timeline.list().map((event) => event.key)).toEqual(['e4', 'e3']);
    // A step of a dropped event does not bring it back half-made.
    expect(timeline.apply(end('e0'))).toBe(false);
  });

  it('keeps at most logLimit lines per invocation and counts the rest', () => {
    const timeline = new Timeline(names, { logLimit: 2 });
    feed(timeline, start('r'), log('r', 'a'), log('r', 'b'), log('r', 'c'), log('r', 'd'));
    expect(timeline.list()[0]?.invocations[0]).toMatchObject({ logs: ['a', 'b'], droppedLogLines: 2 });
  });

  it('clears everything, pinned Run and counts included', () => {
    const timeline = new Timeline(names, { limit: 1 });
    feed(timeline, start('a'), start('b'), step('observer.notice', { message: 'AWS is slow' }));
    expect(timeline.droppedEvents).toBe(1);
    timeline.clear();
    expect(timeline.all()).toEqual([]);
    expect(timeline.droppedEvents).toBe(0);
    expect(timeline.notices).toEqual([]);
    expect(feed(timeline, start('c'))).toBe(1);
  });

  it('tells an init phase that timed out from a handler that failed (Duration 0 with an Init Duration)', () => {
    const timeline = new Timeline(names);
    feed(
      timeline,
      start('i', { cold: true }),
      end('i', {
        duration: 0,
        billedDuration: 0,
        initDuration: 10_001,
        cold: true,
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: 'RequestId: i Error: Task timed out after 10.00 seconds',
        },
      }),
    );
    const invocation = timeline.list()[0]!.invocations[0]!;
    expect(invocation).toMatchObject({ initFailed: true, status: 'timed-out' });
    expect(lessonNote(invocation)?.id).toBe('init-timeout');
    expect(lessonNote(invocation)?.text).toMatch(/^The init phase timed out/);
  });

  it('attaches an access denied to the function’s running invocation (its role session names it)', () => {
    const timeline = new Timeline(names);
    feed(
      timeline,
      start('d'),
      step('iam.denied', {
        principal: `arn:aws:sts::000000000000:assumed-role/ThumbRole/${THUMBS}`,
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::photos-123/x.jpg',
      }),
    );
    expect(timeline.list()[0]?.notes[0]?.text).toBe('Access denied: s3:PutObject on Photos bucket.');
    expect(timeline.notices).toEqual([]);
  });
});

describe('lessonNote', () => {
  const seen = (lines: string[]) => ({ status: 'succeeded' as const, logs: lines });
  const line = (fields: Record<string, unknown>) =>
    `2026-12-07T09:00:00.000Z\tr1\tINFO\t${JSON.stringify({ level: 'INFO', message: 'batch aggregated', ...fields })}`;

  it('says why a re-run stream sample counts nothing: the records were already applied', () => {
    const note = lessonNote(seen([line({ records: 3, applied: 0, duplicates: 3 })]));
    expect(note?.id).toBe('idempotency');
    expect(note?.text).toMatch(/^Nothing was counted: these 3 records were already applied\./);
    expect(note?.text).toContain('idempotency');
    expect(lessonNote(seen([line({ records: 1, applied: 0, duplicates: 1 })]))?.text).toMatch(
      /^Nothing was counted: this record was already applied\./,
    );
  });

  it('counts the Kinesis handler’s repeats (records neither applied nor skipped)', () => {
    expect(lessonNote(seen([line({ records: 4, applied: 1, skipped: 1 })]))?.text).toMatch(
      /^2 records were already applied/,
    );
  });

  it('says nothing when every record counted', () => {
    expect(lessonNote(seen([line({ records: 3, applied: 3, duplicates: 0 })]))).toBeUndefined();
    expect(lessonNote(seen(['plain text', 'not {json']))).toBeUndefined();
  });
});

describe('the lesson’s words', () => {
  it('names resources as the lesson does, from names and ARNs, the physical name otherwise', () => {
    expect(names.label(THUMBS)).toBe('Thumbnail function');
    expect(names.label(`arn:aws:lambda:us-east-1:000000000000:function:${THUMBS}:$LATEST`)).toBe('Thumbnail function');
    expect(names.label(STREAM_ARN)).toBe('Orders table');
    expect(names.label('arn:aws:s3:::photos-123')).toBe('Photos bucket');
    expect(names.label('unknown-fn')).toBe('unknown-fn');
    // The manifest's title wins over the diagram's label (the diagram may be of an edited stack).
    const titled = new LessonNames(graph, [{ name: METRICS, title: 'Order metrics function' }]);
    expect(titled.label(METRICS)).toBe('Order metrics function');
    expect(titled.functions).toEqual([{ physical: METRICS, label: 'Order metrics function' }]);
    expect(names.functions).toEqual([
      { physical: THUMBS, label: 'Thumbnail function' },
      { physical: METRICS, label: 'Metrics function' },
    ]);
    expect(resourceNameOf('arn:aws:kinesis:us-east-1:000000000000:stream/Clicks')).toBe('Clicks');
  });

  it.each([
    'lambda.function.updated',
    'lambda.invoke.start',
    'esm.checkpoint.reset',
    'logs.put',
    'lambda.something.new',
    'madeup.step',
  ])('never shows the step type %s as a dotted name', (type) => {
    const words = stepWords(type);
    expect(words).not.toContain('.');
    expect(words.length).toBeGreaterThan(3);
  });

  it('says what an update is', () => {
    expect(stepWords('lambda.function.updated')).toBe('Function’s code or configuration updated');
  });
});
