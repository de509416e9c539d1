import { type Action, decodeToken, encodeToken, keyDigits } from '../context.ts';
import { LogsError, MESSAGES } from '../errors.ts';
import type { LogStreamRecord } from '../store.ts';
import {
  LOG_GROUP_IDENTIFIER,
  LOG_GROUP_NAME,
  LOG_STREAM_NAME,
  NEXT_TOKEN,
  type Rules,
  validate,
} from '../validation.ts';

const RULES: Rules = {
  logGroupName: LOG_GROUP_NAME,
  logGroupIdentifier: LOG_GROUP_IDENTIFIER,
  logStreamNamePrefix: LOG_STREAM_NAME,
  orderBy: { type: 'string', enum: ['LogStreamName', 'LastEventTime'] },
  descending: { type: 'boolean' },
  nextToken: NEXT_TOKEN,
  limit: { type: 'integer', min: 1, max: 50 },
};

/** Sort position of a stream: its last event's time (0 without events) for LastEventTime, then its name. */
interface Position {
  readonly time: number;
  readonly name: string;
}

/**
 * DescribeLogStreams: a group's streams ordered by name (default) or by last event time,
 * ascending unless `descending`, `limit` (default 50) at a time; a name prefix only with the
 * name order, as on AWS.
 */
export const describeLogStreams: Action = (context, input) => {
  validate(input, RULES);
  const orderBy = (input.orderBy as string | undefined) ?? 'LogStreamName';
  const prefix = input.logStreamNamePrefix as string | undefined;
  if (orderBy === 'LastEventTime' && prefix !== undefined) {
    throw new LogsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  const group = context.findGroup(input);
  const byTime = orderBy === 'LastEventTime';
  const sign = input.descending === true ? -1 : 1;
  const position = (stream: LogStreamRecord): Position => ({
    time: byTime ? (stream.events.at(-1)?.timestamp ?? 0) : 0,
    name: stream.name,
  });
  const compare = (a: Position, b: Position) =>
    sign * (a.time - b.time || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  let after: Position | undefined;
  if (input.nextToken !== undefined) {
    const token = decodeToken(input.nextToken as string);
    if (token?.group !== group.name || typeof token.name !== 'string' || typeof token.time !== 'number') {
      throw new LogsError('InvalidParameterException', MESSAGES.invalidToken);
    }
    after = { time: token.time, name: token.name };
  }
  const limit = (input.limit as number | undefined) ?? 50;
  const all = [...group.streams.values()]
    .filter((stream) => prefix === undefined || stream.name.startsWith(prefix))
    .map((stream) => ({ stream, at: position(stream) }))
    .filter(({ at }) => after === undefined || compare(at, after) > 0)
    .sort((a, b) => compare(a.at, b.at));
  const page = all.slice(0, limit);
  const last = page.at(-1)?.at;
  return {
    logStreams: page.map(({ stream }) => {
      const first = stream.events[0];
      const lastEvent = stream.events.at(-1);
      return {
        logStreamName: stream.name,
        creationTime: stream.creationTime,
        ...(first === undefined ? {} : { firstEventTimestamp: first.timestamp }),
        ...(lastEvent === undefined ? {} : { lastEventTimestamp: lastEvent.timestamp }),
        ...(stream.lastIngestionTime === undefined ? {} : { lastIngestionTime: stream.lastIngestionTime }),
        uploadSequenceToken: keyDigits(BigInt(stream.uploads)),
        arn: `${context.groupArn(group.name).slice(0, -1)}log-stream:${stream.name}`,
        // Deprecated: AWS answers 0.
        storedBytes: 0,
      };
    }),
    ...(all.length > page.length && last !== undefined
      ? { nextToken: encodeToken({ group: group.name, time: last.time, name: last.name }) }
      : {}),
  };
};
