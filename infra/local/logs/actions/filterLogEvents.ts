import {
  type Action,
  decodeToken,
  encodeToken,
  eventKey,
  firstAfter,
  firstAtOrAfter,
  keyDigits,
  MAX_RESPONSE_BYTES,
} from '../context.ts';
import { LogsError, MESSAGES } from '../errors.ts';
import { compileFilterPattern, FilterPatternError, MAX_FILTER_PATTERN_LENGTH } from '../filter-pattern.ts';
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
  logStreamNames: { type: 'array', minLength: 1, maxLength: 100, value: LOG_STREAM_NAME },
  logStreamNamePrefix: LOG_STREAM_NAME,
  startTime: TIMESTAMP_MS,
  endTime: TIMESTAMP_MS,
  filterPattern: { type: 'string', maxLength: MAX_FILTER_PATTERN_LENGTH },
  nextToken: NEXT_TOKEN,
  limit: { type: 'integer', min: 1, max: 10_000 },
  interleaved: { type: 'boolean' },
  unmask: { type: 'boolean' },
};

interface Found {
  readonly stream: string;
  readonly event: StoredEvent;
}

/**
 * FilterLogEvents: the events of a group's streams (all, `logStreamNames`, or those starting
 * with `logStreamNamePrefix`) in [startTime, endTime] that match `filterPattern`, interleaved in
 * timestamp order, `limit` (default: up to 10,000, 1 MB) at a time; `nextToken` continues.
 */
export const filterLogEvents: Action = (context, input) => {
  validate(input, RULES);
  const names = input.logStreamNames as readonly string[] | undefined;
  const prefix = input.logStreamNamePrefix as string | undefined;
  if (names !== undefined && prefix !== undefined) {
    throw new LogsError(
      'InvalidParameterException',
      'logStreamNames and logStreamNamePrefix are mutually exclusive: specify at most one of them.',
    );
  }
  let matches: (message: string) => boolean;
  try {
    matches = compileFilterPattern(input.filterPattern as string | undefined);
  } catch (error) {
    if (error instanceof FilterPatternError) throw new LogsError('InvalidParameterException', error.message);
    throw error;
  }
  const group = context.findGroup(input);
  let after: bigint | undefined;
  if (input.nextToken !== undefined) {
    const token = decodeToken(input.nextToken as string);
    if (token?.group !== group.name || typeof token.after !== 'string' || !/^\d{56}$/.test(token.after)) {
      throw new LogsError('InvalidParameterException', MESSAGES.invalidToken);
    }
    after = BigInt(token.after);
  }
  const start = input.startTime as number | undefined;
  const end = input.endTime as number | undefined;
  const limit = (input.limit as number | undefined) ?? 10_000;

  // Candidates: each chosen stream's slice of the time range (endTime included), past the token.
  const candidates: Found[] = [];
  for (const stream of group.streams.values()) {
    if (names !== undefined && !names.includes(stream.name)) continue;
    if (prefix !== undefined && !stream.name.startsWith(prefix)) continue;
    const { events } = stream;
    let from = start === undefined ? 0 : firstAtOrAfter(events, start);
    if (after !== undefined) from = Math.max(from, firstAfter(events, after));
    const to = end === undefined ? events.length : firstAtOrAfter(events, end + 1);
    for (let index = from; index < to; index += 1) candidates.push({ stream: stream.name, event: events[index]! });
  }
  candidates.sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.seq - b.event.seq);

  const page: Found[] = [];
  let bytes = 0;
  let scanned = 0;
  for (const candidate of candidates) {
    if (page.length >= limit || (page.length > 0 && bytes + candidate.event.bytes > MAX_RESPONSE_BYTES)) break;
    scanned += 1;
    if (!matches(candidate.event.message)) continue;
    page.push(candidate);
    bytes += candidate.event.bytes;
  }
  const more = scanned < candidates.length;
  const last = candidates[scanned - 1]?.event;
  return {
    events: page.map(({ stream, event }) => ({
      logStreamName: stream,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: keyDigits(eventKey(event)),
    })),
    // Deprecated since 2020: AWS answers an empty list.
    searchedLogStreams: [],
    ...(more && last !== undefined
      ? { nextToken: encodeToken({ group: group.name, after: keyDigits(eventKey(last)) }) }
      : {}),
  };
};
