import { LambdaError } from './errors.ts';

/**
 * Field rules for a request body, as data (like dynalite's validations/*.js). Constraints and
 * member names follow the Lambda API reference; messages follow AWS's
 * `1 validation error detected: Value '…' at '…' failed to satisfy constraint: …` format.
 */
export interface FieldRule {
  readonly type: 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'stringMap';
  readonly required?: boolean;
  readonly pattern?: RegExp;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  /** Rules for the members of an object field. */
  readonly members?: Readonly<Record<string, FieldRule>>;
}

export type Rules = Readonly<Record<string, FieldRule>>;

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function check(value: unknown, rule: FieldRule, path: string, errors: string[]): void {
  const at = (constraint: string) =>
    errors.push(`Value '${show(value)}' at '${path}' failed to satisfy constraint: ${constraint}`);
  if (value === undefined || value === null) {
    if (rule.required) errors.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string')
        throw new LambdaError(
          'InvalidRequestContentException',
          `Could not parse request body into json: '${path}' must be a string`,
        );
      if (rule.minLength !== undefined && value.length < rule.minLength)
        at(`Member must have length greater than or equal to ${rule.minLength}`);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        at(`Member must have length less than or equal to ${rule.maxLength}`);
      if (rule.pattern && !new RegExp(`^(?:${rule.pattern.source})$`).test(value))
        at(`Member must satisfy regular expression pattern: ${rule.pattern.source}`);
      if (rule.enum && !rule.enum.includes(value)) at(`Member must satisfy enum value set: [${rule.enum.join(', ')}]`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw new LambdaError(
          'InvalidRequestContentException',
          `Could not parse request body into json: '${path}' must be an integer`,
        );
      if (rule.min !== undefined && value < rule.min) at(`Member must have value greater than or equal to ${rule.min}`);
      if (rule.max !== undefined && value > rule.max) at(`Member must have value less than or equal to ${rule.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean')
        throw new LambdaError(
          'InvalidRequestContentException',
          `Could not parse request body into json: '${path}' must be a boolean`,
        );
      return;
    case 'array':
      if (!Array.isArray(value))
        throw new LambdaError(
          'InvalidRequestContentException',
          `Could not parse request body into json: '${path}' must be a list`,
        );
      if (rule.minLength !== undefined && value.length < rule.minLength)
        at(`Member must have length greater than or equal to ${rule.minLength}`);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        at(`Member must have length less than or equal to ${rule.maxLength}`);
      if (rule.enum)
        for (const item of value)
          if (!rule.enum.includes(item)) at(`Member must satisfy enum value set: [${rule.enum.join(', ')}]`);
      return;
    case 'stringMap':
      if (
        typeof value !== 'object' ||
        Array.isArray(value) ||
        Object.values(value).some((v) => typeof v !== 'string')
      ) {
        throw new LambdaError(
          'InvalidRequestContentException',
          `Could not parse request body into json: '${path}' must be a map of strings`,
        );
      }
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value))
        throw new LambdaError(
          'InvalidRequestContentException',
          `Could not parse request body into json: '${path}' must be an object`,
        );
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
    throw new LambdaError('ValidationException', `${count}: ${errors.join('; ')}`);
  }
}

/** Parses a JSON request body (empty → `{}`); anything else is InvalidRequestContentException. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new LambdaError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new LambdaError(
      'InvalidRequestContentException',
      'Could not parse request body into json: expected a JSON object',
    );
  }
  return parsed as Record<string, unknown>;
}
