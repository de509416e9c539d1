// What the workbook can observe of a deployed sandbox: the functions' CloudWatch Logs. While
// anyone listens, it reads FilterLogEvents on the scenarios' log groups and publishes each new
// line as the local cloud's trace bus does (`lambda.log` with the function name and the line), so
// the workbench renders AWS and the local cloud alike. FilterLogEvents is an account-wide quota a
// whole class shares: ./observation-schedule.ts decides when to look and at which groups, within
// this learner's budget, and how long to back off when AWS throttles (said to the learner).
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { isThrottle, ObservationSchedule, throttleNotice } from './observation-schedule.ts';
import { createPollingSource } from './polling-source.ts';
import type { TraceRecord, TraceSource } from './runtime.ts';
import { clientConfig, type Target } from './target.ts';

export interface ObservedLogGroup {
  readonly logGroupName: string;
  readonly functionName: string;
  /** The scenario the function belongs to (a nudge for it makes its group hot). */
  readonly scenario?: string;
}

export interface LogObserverOptions {
  readonly target: Target;
  /** The log groups to watch (read again on every poll: deployments change them). */
  readonly logGroups: () => readonly ObservedLogGroup[];
  /** A fixed cadence instead of the budgeted schedule (tests). */
  readonly intervalMs?: number;
  /** FilterLogEvents calls per second this learner may make (see learnerBudget). @default 1 */
  readonly budgetPerSecond?: number;
  /** The schedule's clock and dice (tests). */
  readonly now?: () => number;
  readonly random?: () => number;
  /** How far back the first poll looks. @default 10 s */
  readonly lookBackMs?: number;
  /** Inject a client (tests). */
  readonly send?: (command: FilterLogEventsCommand) => Promise<FilterLogEventsCommandOutput>;
  /** Called with each poll error (a missing group is not one). @default ignored */
  readonly onError?: (error: unknown, group: ObservedLogGroup) => void;
  /** @default 200 */
  readonly keep?: number;
}

export interface LogObserver extends TraceSource {
  /** Reads every log group once now (tests, and the first look after a subscription). */
  poll(): Promise<void>;
  /** Something happened to `scenario` (or to any): watch its log groups closely for a while. */
  nudge(scenario?: string): void;
  /** FilterLogEvents calls made so far (the simulation's account). */
  readonly calls: number;
  close(): void;
}

/** `<ISO time>\t<request id>\t<LEVEL>\t<message>`, or a START/END/REPORT line. */
const REQUEST_ID = /^(?:START|END|REPORT) RequestId: ([0-9a-f-]{36})|^\S+\t([0-9a-f-]{36})\t/;

export function requestIdOf(line: string): string | undefined {
  const match = REQUEST_ID.exec(line);
  return match?.[1] ?? match?.[2];
}

export function createLogObserver(options: LogObserverOptions): LogObserver {
  const now = options.now ?? Date.now;
  const fixed = options.intervalMs;
  const schedule = new ObservationSchedule({
    budgetPerSecond: fixed !== undefined ? Number.POSITIVE_INFINITY : (options.budgetPerSecond ?? 1),
    now,
    ...(options.random ? { random: options.random } : {}),
    ...(fixed !== undefined ? { minIntervalMs: fixed, idleIntervalMs: fixed } : {}),
  });
  let calls = 0;
  let nextDelay = 0;
  /** The next look reads every group (the first after a subscription, and `poll()`). */
  let fullLook = true;
  let looking = false;
  let client: CloudWatchLogsClient | undefined;
  const send =
    options.send ??
    ((command: FilterLogEventsCommand) => {
      client ??= new CloudWatchLogsClient(clientConfig(options.target));
      return client.send(command);
    });
  /** Per log group: the newest timestamp read, and the ids of events at or after it (dedupe). */
  const cursors = new Map<string, { since: number; seen: Set<string> }>();

  async function pollGroup(
    group: ObservedLogGroup,
    publish: (record: TraceRecord) => void,
    closed: () => boolean,
  ): Promise<void> {
    let cursor = cursors.get(group.logGroupName);
    if (!cursor) {
      cursor = { since: now() - (options.lookBackMs ?? 10_000), seen: new Set() };
      cursors.set(group.logGroupName, cursor);
    }
    let nextToken: string | undefined;
    const found: { timestamp: number; eventId: string; message: string }[] = [];
    do {
      let page: FilterLogEventsCommandOutput;
      try {
        calls++;
        page = await send(
          new FilterLogEventsCommand({
            logGroupName: group.logGroupName,
            startTime: cursor.since,
            nextToken,
            limit: 1000,
          }),
        );
      } catch (error) {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return; // no invocation yet
        throw error;
      }
      for (const event of page.events ?? []) {
        if (event.eventId === undefined || event.timestamp === undefined || event.message === undefined) continue;
        if (cursor.seen.has(event.eventId)) continue;
        found.push({ timestamp: event.timestamp, eventId: event.eventId, message: event.message });
      }
      nextToken = page.nextToken;
    } while (nextToken && !closed());
    found.sort((a, b) => a.timestamp - b.timestamp);
    for (const event of found) {
      if (event.timestamp > cursor.since) {
        cursor.since = event.timestamp;
        cursor.seen.clear();
      }
      cursor.seen.add(event.eventId);
      const line = event.message.replace(/\n$/, '');
      schedule.sawLine(group.logGroupName, line);
      publish({
        type: 'lambda.log',
        time: event.timestamp,
        requestId: requestIdOf(line),
        detail: { functionName: group.functionName, line, source: 'cloudwatch-logs' },
      });
    }
  }

  /** One look: the groups the schedule picks (all of them in a full look). */
  async function look(publish: (record: TraceRecord) => void, closed: () => boolean): Promise<void> {
    const groups = options.logGroups();
    const names = schedule.groupsToRead(groups.map((group) => group.logGroupName));
    const toRead = fullLook ? groups : groups.filter((group) => names.includes(group.logGroupName));
    fullLook = false;
    looking = true;
    const before = calls;
    for (const group of toRead) {
      if (closed()) return;
      try {
        await pollGroup(group, publish, closed);
      } catch (error) {
        if (isThrottle(error)) {
          // Never a silent gap: the learner reads why the logs come later.
          nextDelay = schedule.afterThrottle();
          publish({
            type: 'observer.notice',
            time: now(),
            detail: {
              service: 'CloudWatch Logs',
              message: throttleNotice('CloudWatch Logs', nextDelay),
              delayMs: nextDelay,
              tone: 'error',
            },
          });
          return;
        }
        options.onError?.(error, group);
      }
    }
    nextDelay = schedule.afterLook(calls - before);
  }
  const source = createPollingSource({
    ...(options.keep !== undefined ? { keep: options.keep } : {}),
    interval: () => nextDelay,
    look: (publish, closed) =>
      look(publish, closed).finally(() => {
        looking = false;
      }),
    onClose: () => client?.destroy(),
  });
  return {
    subscribe: source.subscribe,
    recent: source.recent,
    poll() {
      // Joining the look in progress reads what it reads (the first after a subscription is full).
      if (!looking) fullLook = true;
      return source.poll();
    },
    nudge(scenario) {
      for (const group of options.logGroups()) {
        if (scenario === undefined || group.scenario === undefined || group.scenario === scenario) {
          schedule.markActive(group.logGroupName);
        }
      }
      source.wake(schedule.wakeDelay());
    },
    get calls() {
      return calls;
    },
    close: source.close,
  };
}
