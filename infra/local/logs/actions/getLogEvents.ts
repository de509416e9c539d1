import { type Action, eventKey, firstAfter, firstAtOrAfter, keyDigits, MAX_RESPONSE_BYTES } from '../context.ts';
import { LogsError, MESSAGES } from '../errors.ts';
import type { StoredEvent } from '../store.ts';
import {
  LOG_GROUP_IDENTIFIER,
  LOG_GROUP_NAME,
  LOG_STREAM_NAME,
  NEXT_TOKEN,
  type Rules,
  TIMESTAMP_MS,
  validate,
} from '../validation.ts';

const RULES: Rules = {
  logGroupName: LOG_GROUP_NAME,
  logGroupIdentifier: LOG_GROUP_IDENTIFIER,
  logStreamName: { ...LOG_STREAM_NAME, required: true },
  startTime: TIMESTAMP_MS,
  endTime: TIMESTAMP_MS,
  nextToken: NEXT_TOKEN,
  limit: { type: 'integer', min: 1, max: 10_000 },
  startFromHead: { type: 'boolean' },
  unmask: { type: 'boolean' },
};

/** `f/<56 digits>/s` (events after a position) or `b/<56 digits>/s` (events before it), as AWS's tokens look. */
const TOKEN = /^([fb])\/(\d{56})\/s$/;
const token = (direction: 'f' | 'b', key: bigint) => `${direction}/${keyDigits(key)}/s`;

/**
 * GetLogEvents: one stream's events in [startTime, endTime), `limit` (default: up to 10,000, 1 MB)
 * at a time — the latest first unless `startFromHead`. The tokens move forward or backward from a
 * page; at either end of the stream the token passed in comes back unchanged, which is how
 * callers know to stop.
 */
export const getLogEvents: Action = (context, input) => {
  validate(input, RULES);
  const group = context.findGroup(input);
  const stream = context.findStream(group, input.logStreamName as string);
  const start = input.startTime as number | undefined;
  const end = input.endTime as number | undefined;
  const limit = (input.limit as number | undefined) ?? 10_000;

  // The events in the time range (endTime excluded, as the API reference says).
  let from = start === undefined ? 0 : firstAtOrAfter(stream.events, start);
  let to = end === undefined ? stream.events.length : firstAtOrAfter(stream.events, end);
  let direction: 'f' | 'b' = input.startFromHead === true ? 'f' : 'b';
  let tokenKey: bigint | undefined;
  if (input.nextToken !== undefined) {
    const match = TOKEN.exec(input.nextToken as string);
    if (match === null) throw new LogsError('InvalidParameterException', MESSAGES.invalidToken);
    direction = match[1] as 'f' | 'b';
    tokenKey = BigInt(match[2]!);
    if (direction === 'f') from = Math.max(from, firstAfter(stream.events, tokenKey));
    else to = Math.min(to, firstAfter(stream.events, tokenKey - 1n));
  }

  const page: StoredEvent[] = [];
  let bytes = 0;
  const fits = (event: StoredEvent) =>
    page.length < limit && (page.length === 0 || bytes + event.bytes <= MAX_RESPONSE_BYTES);
  if (direction === 'f') {
    for (let index = from; index < to && fits(stream.events[index]!); index += 1) {
      page.push(stream.events[index]!);
      bytes += stream.events[index]!.bytes;
    }
  } else {
    for (let index = to - 1; index >= from && fits(stream.events[index]!); index -= 1) {
      page.push(stream.events[index]!);
      bytes += stream.events[index]!.bytes;
    }
    page.reverse();
  }

  let forward: string;
  let backward: string;
  if (page.length > 0) {
    forward = token('f', eventKey(page.at(-1)!));
    backward = token('b', eventKey(page[0]!));
  } else if (tokenKey !== undefined) {
    // At the end (or the start): the same token again, and its mirror at the same position.
    forward = direction === 'f' ? token('f', tokenKey) : token('f', tokenKey - 1n);
    backward = direction === 'b' ? token('b', tokenKey) : token('b', tokenKey + 1n);
  } else {
    forward = token('f', 0n);
    backward = token('b', 0n);
  }
  return {
    events: page.map((event) => ({
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
    })),
    nextForwardToken: forward,
    nextBackwardToken: backward,
  };
};
