// What the workbook can observe of a deployed sandbox: the functions' CloudWatch Logs. While
// anyone listens, it polls FilterLogEvents on the scenarios' log groups and publishes each new
// line as the local cloud's trace bus does (`lambda.log` with the function name and the line), so
// the workbench renders AWS and the local cloud alike.
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { createPollingSource } from './polling-source.ts';
import type { TraceRecord, TraceSource } from './runtime.ts';
import { clientConfig, type Target } from './target.ts';

export interface ObservedLogGroup {
  readonly logGroupName: string;
  readonly functionName: string;
}

export interface LogObserverOptions {
  readonly target: Target;
  /** The log groups to watch (read again on every poll: deployments change them). */
  readonly logGroups: () => readonly ObservedLogGroup[];
  /** @default 1000 */
  readonly intervalMs?: number;
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
  /** Polls once now (tests, and the first poll after a subscription). */
  poll(): Promise<void>;
  close(): void;
}

/** `<ISO time>\t<request id>\t<LEVEL>\t<message>`, or a START/END/REPORT line. */
const REQUEST_ID = /^(?:START|END|REPORT) RequestId: ([0-9a-f-]{36})|^\S+\t([0-9a-f-]{36})\t/;

export function requestIdOf(line: string): string | undefined {
  const match = REQUEST_ID.exec(line);
  return match?.[1] ?? match?.[2];
}

export function createLogObserver(options: LogObserverOptions): LogObserver {
  const intervalMs = options.intervalMs ?? 1000;
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
      cursor = { since: Date.now() - (options.lookBackMs ?? 10_000), seen: new Set() };
      cursors.set(group.logGroupName, cursor);
    }
    let nextToken: string | undefined;
    const found: { timestamp: number; eventId: string; message: string }[] = [];
    do {
      let page: FilterLogEventsCommandOutput;
      try {
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
      publish({
        type: 'lambda.log',
        time: event.timestamp,
        requestId: requestIdOf(line),
        detail: { functionName: group.functionName, line, source: 'cloudwatch-logs' },
      });
    }
  }

  const source = createPollingSource({
    ...(options.keep !== undefined ? { keep: options.keep } : {}),
    interval: () => intervalMs,
    async look(publish, closed) {
      for (const group of options.logGroups()) {
        if (closed()) return;
        try {
          await pollGroup(group, publish, closed);
        } catch (error) {
          options.onError?.(error, group);
        }
      }
    },
    onClose: () => client?.destroy(),
  });
  return { subscribe: source.subscribe, recent: source.recent, poll: source.poll, close: source.close };
}
