import type { Action } from '../context.ts';
import { LOG_GROUP_NAME, type Rules, validate } from '../validation.ts';

const RULES: Rules = { logGroupName: { ...LOG_GROUP_NAME, required: true } };

/** DeleteLogGroup: the group, its streams and their events, at once. */
export const deleteLogGroup: Action = (context, input) => {
  validate(input, RULES);
  const group = context.findGroup(input, 'logGroupName');
  context.store.deleteGroup(group.name);
  return {};
};
