import type { Caller } from '../edge/types.ts';
import type { TraceBus } from '../trace/bus.ts';
import type { LogGroupRecord, LogStore, LogStreamRecord, StoredEvent } from './store.ts';

/** What the actions see of the service. */
export interface LogsContext {
  readonly region: string;
  readonly store: LogStore;
  readonly trace: TraceBus;
  /** A log group's ARN as DescribeLogGroups' `arn` gives it (with the `:*` suffix). */
  groupArn(name: string): string;
  /** The group named by `logGroupName` or `logGroupIdentifier` (a name or an ARN); ResourceNotFoundException when absent. */
  findGroup(input: Readonly<Record<string, unknown>>, member?: 'logGroupName' | 'logGroupIdentifier'): LogGroupRecord;
  findStream(group: LogGroupRecord, name: string): LogStreamRecord;
  /** Tells the trace that events were stored. */
  published(group: string, stream: string, count: number, bytes: number, source: string, requestId?: string): void;
}

export interface ActionRequest {
  readonly requestId: string;
  readonly caller: Caller;
}

/** An action takes the parsed JSON 1.1 input and returns the output members. */
export type Action = (
  context: LogsContext,
  input: Readonly<Record<string, unknown>>,
  request: ActionRequest,
) => Record<string, unknown>;

/** Digits of an event's position (timestamp, then arrival): AWS's tokens and event ids are 56-digit numbers. */
export function eventKey(event: Pick<StoredEvent, 'timestamp' | 'seq'>): bigint {
  return BigInt(event.timestamp) * 10n ** 40n + BigInt(event.seq);
}

export function keyDigits(key: bigint): string {
  return (key < 0n ? 0n : key).toString().padStart(56, '0');
}

/** Index of the first event whose key is greater than `key` (events sorted by key). */
export function firstAfter(events: readonly StoredEvent[], key: bigint): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (eventKey(events[middle]!) <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first event at or after `timestamp`. */
export function firstAtOrAfter(events: readonly StoredEvent[], timestamp: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.timestamp < timestamp) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A response holds at most 1 MB of events (GetLogEvents, FilterLogEvents). */
export const MAX_RESPONSE_BYTES = 1_048_576;

export { decodeToken, encodeToken } from '../shared/json-protocol.ts';
