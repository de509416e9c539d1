import { parseJsonBody as parseJsonObject } from '../shared/json-protocol.ts';
import type { FieldRule } from '../shared/validation.ts';
import { validator } from '../shared/validation.ts';
import { LogsError } from './errors.ts';

/**
 * Field rules for request bodies, as data (the shared engine: ../shared/validation.ts), with the
 * CloudWatch Logs API reference's constraints. CloudWatch Logs reports broken constraints as an
 * InvalidParameterException carrying the usual `1 validation error detected: …` message; a value
 * of the wrong JSON type is a SerializationException, as AWS's JSON 1.1 decoder answers.
 */
export type { FieldRule, Rules } from '../shared/validation.ts';

import type { Rules } from '../shared/validation.ts';

/** As AWS writes it in its messages (a regex literal would lose the escapes to the formatter). */
// biome-ignore lint/complexity/useRegexLiterals: the source must keep AWS's spelling, `[\.\-_/#A-Za-z0-9]+`
export const GROUP_NAME_PATTERN = new RegExp('[\\.\\-_/#A-Za-z0-9]+');
export const LOG_GROUP_NAME: FieldRule = {
  type: 'string',
  minLength: 1,
  maxLength: 512,
  pattern: GROUP_NAME_PATTERN,
};
export const LOG_STREAM_NAME: FieldRule = { type: 'string', minLength: 1, maxLength: 512, pattern: /[^:*]*/ };
/** A log group's name or ARN (`logGroupIdentifier`). */
export const LOG_GROUP_IDENTIFIER: FieldRule = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  pattern: /[\w#+=/:,.@-]*/,
};
export const NEXT_TOKEN: FieldRule = { type: 'string', minLength: 1 };
export const TIMESTAMP_MS: FieldRule = { type: 'integer', min: 0 };

/** The retention periods PutRetentionPolicy (and CreateLogGroup's CloudFormation resource) accept, in days. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const validateRulesOnly = validator({
  expected: {
    integer: 'an integer',
    number: 'a number',
    boolean: 'a boolean',
    array: 'a list',
    object: 'a structure',
    map: 'a map',
    stringMap: 'a map of strings',
  },
  typeError: (path, expected) => new LogsError('SerializationException', `Expected ${expected} at '${path}'.`),
  validationError: (message) => new LogsError('InvalidParameterException', message),
  quoteArrays: false,
});

/**
 * Throws InvalidParameterException listing every rule the input breaks (AWS reports them all at
 * once); a `null` inside a list is `Member must not be null`, as AWS says.
 */
export function validate(input: Readonly<Record<string, unknown>>, rules: Rules): void {
  const nulls: string[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const value = input[name];
    if (rule.type !== 'array' || !Array.isArray(value)) continue;
    value.forEach((item, index) => {
      if (item === null || item === undefined) {
        nulls.push(`Value null at '${name}.${index + 1}.member' failed to satisfy constraint: Member must not be null`);
      }
    });
  }
  if (nulls.length > 0) {
    const count = nulls.length === 1 ? '1 validation error detected' : `${nulls.length} validation errors detected`;
    throw new LogsError('InvalidParameterException', `${count}: ${nulls.join('; ')}`);
  }
  validateRulesOnly(input, rules);
}

/** Parses a JSON 1.1 request body (empty → `{}`); anything else is a SerializationException. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  return parseJsonObject(body, {
    malformed: (cause) =>
      new LogsError('SerializationException', `Malformed request body: ${cause.message}`, { cause }),
    notAnObject: () => new LogsError('SerializationException', 'Malformed request body: expected a JSON object.'),
  });
}
