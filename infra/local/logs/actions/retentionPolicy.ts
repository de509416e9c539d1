import type { Action } from '../context.ts';
import { LogsError } from '../errors.ts';
import { LOG_GROUP_NAME, RETENTION_DAYS, type Rules, validate } from '../validation.ts';

const RULES: Rules = {
  logGroupName: { ...LOG_GROUP_NAME, required: true },
  retentionInDays: { type: 'integer', required: true },
};

/** PutRetentionPolicy: events older than `retentionInDays` days are deleted (here: at once). */
export const putRetentionPolicy: Action = (context, input) => {
  validate(input, RULES);
  const days = input.retentionInDays as number;
  if (!(RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new LogsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
  const group = context.findGroup(input, 'logGroupName');
  context.store.setRetention(group, days);
  return {};
};

/** DeleteRetentionPolicy: the group's events never expire again. */
export const deleteRetentionPolicy: Action = (context, input) => {
  validate(input, { logGroupName: RULES.logGroupName! });
  const group = context.findGroup(input, 'logGroupName');
  context.store.setRetention(group, undefined);
  return {};
};
