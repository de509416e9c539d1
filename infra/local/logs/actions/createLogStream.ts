import type { Action } from '../context.ts';
import { LogsError, MESSAGES } from '../errors.ts';
import { LOG_GROUP_NAME, LOG_STREAM_NAME, type Rules, validate } from '../validation.ts';

const RULES: Rules = {
  logGroupName: { ...LOG_GROUP_NAME, required: true },
  logStreamName: { ...LOG_STREAM_NAME, required: true },
};

/** CreateLogStream: an empty stream in an existing group. */
export const createLogStream: Action = (context, input) => {
  validate(input, RULES);
  const group = context.findGroup(input, 'logGroupName');
  const name = input.logStreamName as string;
  if (group.streams.has(name)) throw new LogsError('ResourceAlreadyExistsException', MESSAGES.streamExists);
  if (context.store.streamCount >= context.store.maxStreams) {
    throw new LogsError('LimitExceededException', 'Resource limit exceeded.');
  }
  context.store.createStream(group, name);
  return {};
};
