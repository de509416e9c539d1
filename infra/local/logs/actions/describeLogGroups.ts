import { type Action, decodeToken, encodeToken, type LogsContext } from '../context.ts';
import { LogsError, MESSAGES } from '../errors.ts';
import type { LogGroupRecord } from '../store.ts';
import { LOG_GROUP_IDENTIFIER, LOG_GROUP_NAME, NEXT_TOKEN, type Rules, validate } from '../validation.ts';

const RULES: Rules = {
  logGroupNamePrefix: LOG_GROUP_NAME,
  logGroupNamePattern: { type: 'string', maxLength: 512, pattern: /[.\-_/#A-Za-z0-9]*/ },
  logGroupIdentifiers: { type: 'array', minLength: 1, maxLength: 50, value: LOG_GROUP_IDENTIFIER },
  nextToken: NEXT_TOKEN,
  limit: { type: 'integer', min: 1, max: 50 },
  includeLinkedAccounts: { type: 'boolean' },
  logGroupClass: { type: 'string', enum: ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] },
  accountIdentifiers: { type: 'array' },
};

/** A log group as DescribeLogGroups answers it. */
export function describeGroup(context: LogsContext, group: LogGroupRecord): Record<string, unknown> {
  const arn = context.groupArn(group.name);
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
    metricFilterCount: 0,
    arn,
    storedBytes: group.bytes,
    ...(group.kmsKeyId === undefined ? {} : { kmsKeyId: group.kmsKeyId }),
    logGroupClass: group.logGroupClass,
    logGroupArn: arn.slice(0, -2),
  };
}

/**
 * DescribeLogGroups: groups in name order, `limit` (default 50) at a time, narrowed by a name
 * prefix, a case-insensitive name pattern (substring), or a list of names/ARNs.
 */
export const describeLogGroups: Action = (context, input) => {
  validate(input, RULES);
  const prefix = input.logGroupNamePrefix as string | undefined;
  const pattern = (input.logGroupNamePattern as string | undefined)?.toLowerCase();
  const identifiers = input.logGroupIdentifiers as readonly string[] | undefined;
  if ([prefix, pattern, identifiers].filter((value) => value !== undefined).length > 1) {
    throw new LogsError(
      'InvalidParameterException',
      'logGroupNamePrefix, logGroupNamePattern and logGroupIdentifiers are mutually exclusive: specify at most one of them.',
    );
  }
  let after: string | undefined;
  if (input.nextToken !== undefined) {
    const token = decodeToken(input.nextToken as string);
    if (typeof token?.after !== 'string') throw new LogsError('InvalidParameterException', MESSAGES.invalidToken);
    after = token.after;
  }
  const wanted =
    identifiers === undefined
      ? undefined
      : new Set(identifiers.map((id) => (id.startsWith('arn:') ? (/:log-group:([^:]+)/.exec(id)?.[1] ?? id) : id)));
  const limit = (input.limit as number | undefined) ?? 50;
  const all = context.store
    .groups()
    .filter((group) => prefix === undefined || group.name.startsWith(prefix))
    .filter((group) => pattern === undefined || group.name.toLowerCase().includes(pattern))
    .filter((group) => wanted === undefined || wanted.has(group.name))
    .filter((group) => input.logGroupClass === undefined || group.logGroupClass === input.logGroupClass)
    .filter((group) => after === undefined || group.name > after);
  const page = all.slice(0, limit);
  return {
    logGroups: page.map((group) => describeGroup(context, group)),
    ...(all.length > page.length ? { nextToken: encodeToken({ after: page.at(-1)!.name }) } : {}),
  };
};
