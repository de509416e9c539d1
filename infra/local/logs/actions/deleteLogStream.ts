import type { Action } from '../context.ts';
import { LOG_GROUP_NAME, LOG_STREAM_NAME, type Rules, validate } from '../validation.ts';

const RULES: Rules = {
  logGroupName: { ...LOG_GROUP_NAME, required: true },
  logStreamName: { ...LOG_STREAM_NAME, required: true },
};

/** DeleteLogStream: the stream and its events. */
export const deleteLogStream: Action = (context, input) => {
  validate(input, RULES);
  const group = context.findGroup(input, 'logGroupName');
  const stream = context.findStream(group, input.logStreamName as string);
  context.store.deleteStream(group, stream.name);
  return {};
};
