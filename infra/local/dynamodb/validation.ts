import { DynamoDBError } from './errors.ts';

/**
 * Field rules for the members this service validates itself (the DynamoDB Streams API and StreamSpecification),
 * declared as data like dynalite's validations/*.js. Wrong JSON types answer SerializationException; broken
 * constraints are gathered into AWS's "N validation errors detected: Value … at '…' failed to satisfy
 * constraint: …" (format recorded: test/recordings/aws/dynamodb-error-validation-empty-parameters.json).
 */
export interface FieldRule {
  readonly type: 'String' | 'Integer' | 'Boolean' | 'Structure';
  readonly required?: boolean;
  readonly enum?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  /** Members of a Structure. */
  readonly members?: Rules;
}

export type Rules = Readonly<Record<string, FieldRule>>;

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function typeError(value: unknown, type: FieldRule['type']): DynamoDBError {
  let message: string;
  if (Array.isArray(value)) message = `Unrecognized collection type class java.lang.${type}`;
  else if (typeof value === 'object') message = 'Start of structure or map found where not expected';
  else if (typeof value === 'boolean') message = `${value ? 'TRUE' : 'FALSE'}_VALUE cannot be converted to ${type}`;
  else if (typeof value === 'number')
    message = `${Number.isInteger(value) ? 'NUMBER' : 'DECIMAL'}_VALUE cannot be converted to ${type}`;
  else message = `STRING_VALUE cannot be converted to ${type}`;
  return new DynamoDBError('SerializationException', message);
}

function checkType(value: unknown, rule: FieldRule): void {
  const ok =
    (rule.type === 'String' && typeof value === 'string') ||
    (rule.type === 'Integer' && typeof value === 'number' && Number.isFinite(value)) ||
    (rule.type === 'Boolean' && typeof value === 'boolean') ||
    (rule.type === 'Structure' && typeof value === 'object' && value !== null && !Array.isArray(value));
  if (!ok) throw typeError(value, rule.type);
}

function describe(value: unknown): string {
  return value === undefined || value === null ? 'null' : `'${String(value)}'`;
}

function collect(input: Readonly<Record<string, unknown>>, rules: Rules, path: string, errors: string[]): void {
  for (const [name, rule] of Object.entries(rules)) {
    const value = input[name];
    const at = `${path}${lowerFirst(name)}`;
    const fail = (constraint: string) =>
      errors.push(`Value ${describe(value)} at '${at}' failed to satisfy constraint: Member must ${constraint}`);
    if (value === undefined || value === null) {
      if (rule.required) fail('not be null');
      continue;
    }
    checkType(value, rule);
    if (typeof value === 'string') {
      if (rule.enum && !rule.enum.includes(value)) fail(`satisfy enum value set: [${rule.enum.join(', ')}]`);
      if (rule.minLength !== undefined && value.length < rule.minLength)
        fail(`have length greater than or equal to ${rule.minLength}`);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        fail(`have length less than or equal to ${rule.maxLength}`);
      if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern})$`).test(value))
        fail(`satisfy regular expression pattern: ${rule.pattern}`);
    }
    if (typeof value === 'number') {
      if (rule.min !== undefined && value < rule.min) fail(`have value greater than or equal to ${rule.min}`);
      if (rule.max !== undefined && value > rule.max) fail(`have value less than or equal to ${rule.max}`);
    }
    if (rule.members) collect(value as Record<string, unknown>, rule.members, `${at}.`, errors);
  }
}

/** Throws SerializationException or ValidationException (all constraint failures in one message, as AWS). */
export function validateInput(input: Readonly<Record<string, unknown>>, rules: Rules): void {
  const errors: string[] = [];
  collect(input, rules, '', errors);
  if (errors.length > 0) {
    const count = `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected`;
    throw new DynamoDBError('ValidationException', `${count}: ${errors.join('; ')}`);
  }
}

/** Members shared by several operations (limits from the DynamoDB Streams API reference). */
export const STREAM_ARN: FieldRule = { type: 'String', minLength: 37, maxLength: 1024 };
export const SHARD_ID: FieldRule = { type: 'String', minLength: 28, maxLength: 65 };
export const SEQUENCE_NUMBER: FieldRule = { type: 'String', minLength: 21, maxLength: 40 };
export const TABLE_NAME: FieldRule = { type: 'String', minLength: 3, maxLength: 255, pattern: '[a-zA-Z0-9_.-]+' };

export const STREAM_SPECIFICATION: FieldRule = {
  type: 'Structure',
  members: {
    StreamEnabled: { type: 'Boolean', required: true },
    StreamViewType: { type: 'String', enum: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] },
  },
};
