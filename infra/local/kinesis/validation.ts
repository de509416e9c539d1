import { KinesisError } from './errors.ts';

/**
 * Field rules for a request body, as data (like dynalite's validations/*.js). Constraints are the
 * Kinesis API reference's (length, pattern, range, enum); messages follow AWS's
 * `1 validation error detected: Value '…' at '…' failed to satisfy constraint: …`. A value of the
 * wrong JSON type is a SerializationException, as AWS's JSON 1.1 decoder answers.
 */
export interface FieldRule {
  readonly type: 'string' | 'integer' | 'boolean' | 'timestamp' | 'blob' | 'object' | 'array';
  readonly required?: boolean;
  readonly pattern?: RegExp;
  readonly minLength?: number;
  /** Characters for strings, decoded bytes for blobs, items for arrays. */
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  /** Members of an object field, or of each item of an array field. */
  readonly members?: Rules;
}

export type Rules = Readonly<Record<string, FieldRule>>;

export const STREAM_NAME: FieldRule = { type: 'string', minLength: 1, maxLength: 128, pattern: /[a-zA-Z0-9_.-]+/ };
export const STREAM_ARN: FieldRule = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  pattern: /arn:aws.*:kinesis:.*:\d{12}:stream\/\S+/,
};
export const SHARD_ID: FieldRule = { type: 'string', minLength: 1, maxLength: 128, pattern: /[a-zA-Z0-9_.-]+/ };
export const SEQUENCE_NUMBER: FieldRule = { type: 'string', pattern: /0|([1-9]\d{0,128})/ };
export const PARTITION_KEY: FieldRule = { type: 'string', required: true, minLength: 1, maxLength: 256 };
export const HASH_KEY: FieldRule = { type: 'string', pattern: /0|([1-9]\d{0,38})/ };
/** A record's data blob: at most 1 MiB before base64 (the default MaxRecordSizeInKiB). */
export const MAX_RECORD_BYTES = 1_048_576;
export const DATA: FieldRule = { type: 'blob', required: true, maxLength: MAX_RECORD_BYTES };

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function serialization(path: string, expected: string): KinesisError {
  return new KinesisError('SerializationException', `Expected ${expected} at '${path}'.`);
}

function check(value: unknown, rule: FieldRule, path: string, errors: string[]): void {
  const at = (constraint: string, shown = true) =>
    errors.push(
      `Value ${shown ? `'${typeof value === 'string' ? value : JSON.stringify(value)}' ` : ''}at '${path}' failed to satisfy constraint: ${constraint}`,
    );
  if (value === undefined || value === null) {
    if (rule.required) errors.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') throw serialization(path, 'a string');
      if (rule.minLength !== undefined && value.length < rule.minLength)
        at(`Member must have length greater than or equal to ${rule.minLength}`);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        at(`Member must have length less than or equal to ${rule.maxLength}`);
      if (rule.pattern && !new RegExp(`^(?:${rule.pattern.source})$`).test(value))
        at(`Member must satisfy regular expression pattern: ${rule.pattern.source}`);
      if (rule.enum && !rule.enum.includes(value)) at(`Member must satisfy enum value set: [${rule.enum.join(', ')}]`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(path, 'an integer');
      if (rule.min !== undefined && value < rule.min) at(`Member must have value greater than or equal to ${rule.min}`);
      if (rule.max !== undefined && value > rule.max) at(`Member must have value less than or equal to ${rule.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(path, 'a boolean');
      return;
    case 'timestamp':
      // JSON 1.1 sends timestamps as epoch seconds (fractional for milliseconds).
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw serialization(path, 'a timestamp in epoch seconds');
      return;
    case 'blob': {
      if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value))
        throw serialization(path, 'a base64-encoded blob');
      const bytes = (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
      // AWS leaves blob values out of the message (recorded in KPL issue reports: "Value at 'records.1.member.data'").
      if (rule.maxLength !== undefined && bytes > rule.maxLength)
        at(`Member must have length less than or equal to ${rule.maxLength}`, false);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) throw serialization(path, 'a list');
      if (rule.minLength !== undefined && value.length < rule.minLength)
        at(`Member must have length greater than or equal to ${rule.minLength}`, false);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        at(`Member must have length less than or equal to ${rule.maxLength}`, false);
      if (rule.members) {
        value.forEach((item, index) => {
          check(item, { type: 'object', members: rule.members }, `${path}.${index + 1}.member`, errors);
        });
      }
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) throw serialization(path, 'a structure');
      for (const [name, member] of Object.entries(rule.members ?? {})) {
        check((value as Record<string, unknown>)[name], member, `${path}.${lowerFirst(name)}`, errors);
      }
  }
}

/** Throws ValidationException listing every rule the input breaks (AWS reports them all at once). */
export function validate(input: Readonly<Record<string, unknown>>, rules: Rules): void {
  const errors: string[] = [];
  for (const [name, rule] of Object.entries(rules)) check(input[name], rule, lowerFirst(name), errors);
  if (errors.length > 0) {
    const count = errors.length === 1 ? '1 validation error detected' : `${errors.length} validation errors detected`;
    throw new KinesisError('ValidationException', `${count}: ${errors.join('; ')}`);
  }
}

/** Parses a JSON 1.1 request body (empty → `{}`); anything else is a SerializationException. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new KinesisError('SerializationException', `Malformed request body: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new KinesisError('SerializationException', 'Malformed request body: expected a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
