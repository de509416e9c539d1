import type { FilterLogEventsCommand, FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { createLogObserver, requestIdOf } from '../../../site/server/log-observer.ts';
import type { TraceRecord } from '../../../site/server/runtime.ts';
import { localTarget } from '../../../site/server/target.ts';

const target = localTarget(
  { target: 'local', region: 'us-east-1', endpoint: 'http://127.0.0.1:1', stacks: {} },
  { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
);
const ID = '8f5e3c1a-0b7d-4e2f-9a61-2c4d5e6f7a8b';

interface Stored {
  readonly logGroupName: string;
  readonly timestamp: number;
  readonly eventId: string;
  readonly message: string;
}

/** FilterLogEvents over an array, two events per page, as AWS pages with nextToken. */
function fakeLogs(events: Stored[], missing: string[] = []) {
  const calls: FilterLogEventsCommand['input'][] = [];
  const send = async (command: FilterLogEventsCommand): Promise<FilterLogEventsCommandOutput> => {
    const input = command.input;
    calls.push(input);
    if (missing.includes(input.logGroupName ?? '')) {
      throw Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' });
    }
    const matching = events.filter(
      (e) => e.logGroupName === input.logGroupName && e.timestamp >= (input.startTime ?? 0),
    );
    const from = Number(input.nextToken ?? 0);
    const page = matching.slice(from, from + 2);
    return {
      events: page.map(({ timestamp, eventId, message }) => ({ timestamp, eventId, message, logStreamName: 's' })),
      ...(from + 2 < matching.length ? { nextToken: String(from + 2) } : {}),
      $metadata: {},
    };
  };
  return { send, calls };
}

describe('the CloudWatch Logs observer', () => {
  it('reads the request id of START/END/REPORT and of the runtime’s tab-separated lines', () => {
    expect(requestIdOf(`START RequestId: ${ID} Version: $LATEST`)).toBe(ID);
    expect(requestIdOf(`REPORT RequestId: ${ID}\tDuration: 2.00 ms`)).toBe(ID);
    expect(requestIdOf(`2026-11-27T05:00:00.000Z\t${ID}\tINFO\thello`)).toBe(ID);
    expect(requestIdOf('INIT_START Runtime Version: nodejs:24')).toBeUndefined();
  });

  it('publishes every new line once, in time order, across pages and polls', async () => {
    const now = Date.now();
    const events: Stored[] = [
      {
        logGroupName: '/aws/lambda/fn',
        timestamp: now,
        eventId: 'a',
        message: `START RequestId: ${ID} Version: $LATEST\n`,
      },
      {
        logGroupName: '/aws/lambda/fn',
        timestamp: now + 1,
        eventId: 'b',
        message: `2026-11-27T05:00:00.000Z\t${ID}\tINFO\thi\n`,
      },
      { logGroupName: '/aws/lambda/fn', timestamp: now + 1, eventId: 'c', message: `END RequestId: ${ID}\n` },
    ];
    const logs = fakeLogs(events);
    const observer = createLogObserver({
      target,
      logGroups: () => [{ logGroupName: '/aws/lambda/fn', functionName: 'fn' }],
      send: logs.send,
      intervalMs: 60_000,
    });
    const seen: TraceRecord[] = [];
    const unsubscribe = observer.subscribe((record) => seen.push(record));
    await observer.poll();
    expect(seen.map((r) => r.detail.line)).toEqual([
      `START RequestId: ${ID} Version: $LATEST`,
      `2026-11-27T05:00:00.000Z\t${ID}\tINFO\thi`,
      `END RequestId: ${ID}`,
    ]);
    expect(seen.every((r) => r.type === 'lambda.log' && r.requestId === ID && r.detail.functionName === 'fn')).toBe(
      true,
    );

    // The next poll starts at the newest timestamp seen: events at that same millisecond come back
    // and must not be published twice; a new one is.
    events.push({
      logGroupName: '/aws/lambda/fn',
      timestamp: now + 1,
      eventId: 'd',
      message: `REPORT RequestId: ${ID}\tDuration: 1.00 ms`,
    });
    await observer.poll();
    expect(seen.map((r) => r.detail.line).slice(3)).toEqual([`REPORT RequestId: ${ID}\tDuration: 1.00 ms`]);
    expect(logs.calls.at(-1)?.startTime).toBe(now + 1);
    expect(observer.recent()).toHaveLength(4);
    unsubscribe();
    observer.close();
  });

  it('waits quietly for a log group that does not exist yet, and reports other errors', async () => {
    const errors: unknown[] = [];
    const logs = fakeLogs([], ['/aws/lambda/new']);
    const observer = createLogObserver({
      target,
      logGroups: () => [
        { logGroupName: '/aws/lambda/new', functionName: 'new' },
        { logGroupName: '/aws/lambda/other', functionName: 'other' },
      ],
      send: async (command) => {
        if (command.input.logGroupName === '/aws/lambda/other')
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        return logs.send(command);
      },
      onError: (error) => errors.push(error),
    });
    await observer.poll();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).name).toBe('AccessDeniedException');
    observer.close();
  });

  it('polls only while someone listens', async () => {
    const logs = fakeLogs([]);
    const observer = createLogObserver({
      target,
      logGroups: () => [{ logGroupName: '/aws/lambda/fn', functionName: 'fn' }],
      send: logs.send,
      intervalMs: 5,
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(logs.calls).toHaveLength(0);
    const unsubscribe = observer.subscribe(() => {});
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(logs.calls.length).toBeGreaterThan(1);
    unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = logs.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(logs.calls.length).toBeLessThanOrEqual(after + 1);
    observer.close();
  });
});
