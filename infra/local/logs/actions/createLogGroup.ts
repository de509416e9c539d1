import type { Action } from '../context.ts';
import { LogsError, MESSAGES } from '../errors.ts';
import { LOG_GROUP_NAME, type Rules, validate } from '../validation.ts';

/** Log groups the local store holds at most (AWS's quota is 1,000,000 per account and region). */
export const MAX_LOG_GROUPS = 10_000;

const RULES: Rules = {
  logGroupName: { ...LOG_GROUP_NAME, required: true },
  kmsKeyId: { type: 'string', maxLength: 256 },
  tags: {
    type: 'map',
    minLength: 1,
    maxLength: 50,
    key: { type: 'string', minLength: 1, maxLength: 128 },
    value: { type: 'string', maxLength: 256 },
  },
  logGroupClass: { type: 'string', enum: ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] },
  deletionProtectionEnabled: { type: 'boolean' },
};

/** CreateLogGroup: an empty group; ResourceAlreadyExistsException when the name is taken. */
export const createLogGroup: Action = (context, input) => {
  validate(input, RULES);
  const name = input.logGroupName as string;
  if (context.store.group(name) !== undefined)
    throw new LogsError('ResourceAlreadyExistsException', MESSAGES.groupExists);
  if (context.store.groups().length >= MAX_LOG_GROUPS) {
    throw new LogsError('LimitExceededException', 'Resource limit exceeded.');
  }
  context.store.createGroup(name, {
    logGroupClass: input.logGroupClass as string | undefined,
    kmsKeyId: input.kmsKeyId as string | undefined,
    tags: input.tags as Record<string, string> | undefined,
  });
  return {};
};
