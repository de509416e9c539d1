import { type Action, keyDigits } from '../context.ts';
import { LogsError } from '../errors.ts';
import { DAY_MS, EVENT_OVERHEAD_BYTES } from '../store.ts';
import { LOG_GROUP_NAME, LOG_STREAM_NAME, type Rules, validate } from '../validation.ts';

/** PutLogEvents' limits (API reference): 1,048,576 bytes a batch, 1 MB an event, 10,000 events. */
export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_EVENT_BYTES = 1_048_576;
export const MAX_BATCH_EVENTS = 10_000;
/** Events more than 14 days old or 2 hours ahead are rejected; a batch may span 24 hours at most. */
export const MAX_AGE_MS = 14 * DAY_MS;
export const MAX_AHEAD_MS = 2 * 60 * 60 * 1000;
export const MAX_SPAN_MS = DAY_MS;

const RULES: Rules = {
  logGroupName: { ...LOG_GROUP_NAME, required: true },
  logStreamName: { ...LOG_STREAM_NAME, required: true },
  logEvents: {
    type: 'array',
    required: true,
    minLength: 1,
    maxLength: MAX_BATCH_EVENTS,
    members: {
      timestamp: { type: 'integer', required: true, min: 0 },
      message: { type: 'string', required: true, minLength: 1 },
    },
  },
  sequenceToken: { type: 'string', minLength: 1 },
};

interface InputEvent {
  readonly timestamp: number;
  readonly message: string;
}

/**
 * PutLogEvents: a batch in chronological order. Events too old (14 days, or the group's
 * retention) or too far ahead (2 hours) are left out and reported in `rejectedLogEventsInfo`, the
 * rest stored; the sequence token is ignored, as AWS now ignores it.
 */
export const putLogEvents: Action = (context, input, request) => {
  validate(input, RULES);
  const group = context.findGroup(input, 'logGroupName');
  const stream = context.findStream(group, input.logStreamName as string);
  const events = input.logEvents as readonly InputEvent[];

  let total = 0;
  for (const event of events) {
    const size = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (size > MAX_EVENT_BYTES) {
      throw new LogsError(
        'InvalidParameterException',
        `Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`,
      );
    }
    total += size;
  }
  if (total > MAX_BATCH_BYTES) {
    throw new LogsError(
      'InvalidParameterException',
      `Upload too large: ${total} bytes exceeds limit of ${MAX_BATCH_BYTES}`,
    );
  }
  for (let index = 1; index < events.length; index += 1) {
    if (events[index]!.timestamp < events[index - 1]!.timestamp) {
      throw new LogsError(
        'InvalidParameterException',
        'Log events in a single PutLogEvents request must be in chronological order.',
      );
    }
  }

  const now = context.store.now();
  const oldest = now - MAX_AGE_MS;
  const retained = group.retentionInDays === undefined ? undefined : now - group.retentionInDays * DAY_MS;
  const newest = now + MAX_AHEAD_MS;
  let tooOld = 0;
  let expired = 0;
  let tooNewStart: number | undefined;
  const accepted: InputEvent[] = [];
  events.forEach((event, index) => {
    if (event.timestamp < oldest) tooOld = index + 1;
    if (retained !== undefined && event.timestamp < retained) expired = index + 1;
    if (event.timestamp > newest) tooNewStart ??= index;
    if (
      event.timestamp >= oldest &&
      (retained === undefined || event.timestamp >= retained) &&
      event.timestamp <= newest
    )
      accepted.push(event);
  });
  if (accepted.length > 1 && accepted.at(-1)!.timestamp - accepted[0]!.timestamp > MAX_SPAN_MS) {
    throw new LogsError(
      'InvalidParameterException',
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
  }
  const bytes = context.store.append(group, stream, accepted);
  if (accepted.length > 0) context.published(group.name, stream.name, accepted.length, bytes, 'api', request.requestId);
  const rejected = {
    ...(tooNewStart === undefined ? {} : { tooNewLogEventStartIndex: tooNewStart }),
    ...(tooOld === 0 ? {} : { tooOldLogEventEndIndex: tooOld }),
    ...(expired === 0 ? {} : { expiredLogEventEndIndex: expired }),
  };
  return {
    nextSequenceToken: keyDigits(BigInt(stream.uploads)),
    ...(Object.keys(rejected).length === 0 ? {} : { rejectedLogEventsInfo: rejected }),
  };
};
