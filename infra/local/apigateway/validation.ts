import { parseJsonBody as parseJsonObject } from '../shared/json-protocol.ts';
import { ApiGatewayError } from './errors.ts';

/**
 * Field rules for a request body, as data (like dynalite's validations/*.js). Names are the wire's
 * lowerCamelCase members; constraints are the API Gateway V2 API reference's. A value of the wrong
 * JSON type, a missing required member or a value out of range is a BadRequestException, as
 * API Gateway answers.
 */
export interface FieldRule {
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'strings' | 'map';
  readonly required?: boolean;
  readonly pattern?: RegExp;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  /** Members of an object field. */
  readonly members?: Rules;
}

export type Rules = Readonly<Record<string, FieldRule>>;

/** CORS configuration of an HTTP API (the `Cors` shape). */
export const CORS_RULES: Rules = {
  allowCredentials: { type: 'boolean' },
  allowHeaders: { type: 'strings' },
  allowMethods: { type: 'strings' },
  allowOrigins: { type: 'strings' },
  exposeHeaders: { type: 'strings' },
  maxAge: { type: 'integer', min: -1, max: 86400 },
};

export const API_NAME: FieldRule = { type: 'string', maxLength: 128 };

const describe = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

function check(value: unknown, rule: FieldRule, path: string): void {
  if (value === undefined || value === null) {
    if (rule.required) throw new ApiGatewayError('BadRequestException', `${path} is a required parameter.`);
    return;
  }
  const wrongType = (expected: string) =>
    new ApiGatewayError('BadRequestException', `Invalid value '${describe(value)}' for ${path}: expected ${expected}.`);
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') throw wrongType('a string');
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        throw new ApiGatewayError('BadRequestException', `${path} must be at most ${rule.maxLength} characters long.`);
      if (rule.pattern && !rule.pattern.test(value))
        throw new ApiGatewayError('BadRequestException', `Invalid ${path}: '${value}'.`);
      if (rule.enum && !rule.enum.includes(value))
        throw new ApiGatewayError(
          'BadRequestException',
          `Invalid ${path}: '${value}'. Valid values are ${rule.enum.map((v) => `'${v}'`).join(', ')}.`,
        );
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType('an integer');
      if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max))
        throw new ApiGatewayError('BadRequestException', `${path} must be between ${rule.min} and ${rule.max}.`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType('a number');
      if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max))
        throw new ApiGatewayError('BadRequestException', `${path} must be between ${rule.min} and ${rule.max}.`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType('a boolean');
      return;
    case 'strings':
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw wrongType('a list of strings');
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string'))
        throw wrongType('a map of strings');
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) throw wrongType('an object');
      if (rule.members) validate(value as Record<string, unknown>, rule.members, `${path}.`);
      return;
  }
}

/** Checks `body` against `rules`; throws the first violation as a BadRequestException. */
export function validate(body: Readonly<Record<string, unknown>>, rules: Rules, prefix = ''): void {
  for (const [name, rule] of Object.entries(rules)) check(body[name], rule, `${prefix}${name}`);
}

/** Parses a REST-JSON request body (empty means `{}`). */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  return parseJsonObject(body, {
    malformed: (cause) =>
      new ApiGatewayError('BadRequestException', 'Could not parse request body into json.', { cause }),
    notAnObject: () => new ApiGatewayError('BadRequestException', 'The request body must be a JSON object.'),
  });
}
