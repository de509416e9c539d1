import { CognitoIdentityError } from './errors.ts';

/**
 * Field rules for a request body, as data (like dynalite's validations/*.js). Constraints are the
 * Cognito Identity API reference's (its service model's shapes: length, pattern, range); messages
 * follow AWS's `1 validation error detected: Value '…' at 'identityPoolId' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: [\w-]+:[0-9a-f-]+` (recorded in SDK
 * issue reports). A value of the wrong JSON type is a SerializationException, as AWS's JSON 1.1
 * decoder answers.
 */
export interface FieldRule {
  readonly type: 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'map';
  readonly required?: boolean;
  readonly pattern?: RegExp;
  readonly minLength?: number;
  /** Characters for strings, items for arrays, entries for maps. */
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  /** Members of an object field, or of each item of an array field. */
  readonly members?: Rules;
  /** For maps: the rule every key follows. */
  readonly key?: FieldRule;
  /** For maps: the rule every value follows; for arrays of strings: every item's rule. */
  readonly value?: FieldRule;
}

export type Rules = Readonly<Record<string, FieldRule>>;

export const IDENTITY_POOL_ID: FieldRule = {
  type: 'string',
  minLength: 1,
  maxLength: 55,
  pattern: /[\w-]+:[0-9a-f-]+/,
};
export const IDENTITY_ID: FieldRule = { type: 'string', minLength: 1, maxLength: 55, pattern: /[\w-]+:[0-9a-f-]+/ };
export const IDENTITY_POOL_NAME: FieldRule = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: /[\w\s+=,.@-]+/,
};
export const DEVELOPER_PROVIDER_NAME: FieldRule = { type: 'string', minLength: 1, maxLength: 128, pattern: /[\w._-]+/ };
export const DEVELOPER_USER_IDENTIFIER: FieldRule = { type: 'string', minLength: 1, maxLength: 1024 };
export const ARN: FieldRule = { type: 'string', minLength: 20, maxLength: 2048 };
export const QUERY_LIMIT: FieldRule = { type: 'integer', min: 1, max: 60 };
export const PAGINATION_KEY: FieldRule = { type: 'string', minLength: 1, maxLength: 65535, pattern: /[\S]+/ };
export const ACCOUNT_ID: FieldRule = { type: 'string', minLength: 1, maxLength: 15, pattern: /\d+/ };
const PROVIDER_NAME: FieldRule = { type: 'string', minLength: 1, maxLength: 128 };
/** Logins: provider name → token (at most 10). */
export const LOGINS: FieldRule = {
  type: 'map',
  maxLength: 10,
  key: PROVIDER_NAME,
  value: { type: 'string', minLength: 1, maxLength: 50000 },
};
export const TOKEN_DURATION: FieldRule = { type: 'integer', min: 1, max: 86400 };

/** The members CreateIdentityPool and UpdateIdentityPool share (the IdentityPool shape). */
export const IDENTITY_POOL_MEMBERS: Rules = {
  IdentityPoolName: { ...IDENTITY_POOL_NAME, required: true },
  AllowUnauthenticatedIdentities: { type: 'boolean', required: true },
  AllowClassicFlow: { type: 'boolean' },
  SupportedLoginProviders: {
    type: 'map',
    maxLength: 10,
    key: PROVIDER_NAME,
    value: { type: 'string', minLength: 1, maxLength: 128, pattern: /[\w.;_/-]+/ },
  },
  DeveloperProviderName: DEVELOPER_PROVIDER_NAME,
  OpenIdConnectProviderARNs: { type: 'array', value: ARN },
  CognitoIdentityProviders: {
    type: 'array',
    members: {
      ProviderName: { type: 'string', minLength: 1, maxLength: 128, pattern: /[\w._:/-]+/ },
      ClientId: { type: 'string', minLength: 1, maxLength: 128, pattern: /[\w_]+/ },
      ServerSideTokenCheck: { type: 'boolean' },
    },
  },
  SamlProviderARNs: { type: 'array', value: ARN },
  IdentityPoolTags: {
    type: 'map',
    key: { type: 'string', minLength: 1, maxLength: 128 },
    value: { type: 'string', minLength: 0, maxLength: 256 },
  },
};

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

function serialization(path: string, expected: string): CognitoIdentityError {
  return new CognitoIdentityError('SerializationException', `Expected ${expected} at '${path}'.`);
}

/** The constraints a single value breaks (no JSON-type checks beyond its own rule). */
function constraints(value: unknown, rule: FieldRule, path: string): string[] {
  const broken: string[] = [];
  switch (rule.type) {
    case 'string': {
      if (typeof value !== 'string') throw serialization(path, 'a string');
      if (rule.minLength !== undefined && value.length < rule.minLength)
        broken.push(`Member must have length greater than or equal to ${rule.minLength}`);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        broken.push(`Member must have length less than or equal to ${rule.maxLength}`);
      if (rule.pattern && !new RegExp(`^(?:${rule.pattern.source})$`, 'u').test(value))
        broken.push(`Member must satisfy regular expression pattern: ${rule.pattern.source}`);
      return broken;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(path, 'an integer');
      if (rule.min !== undefined && value < rule.min)
        broken.push(`Member must have value greater than or equal to ${rule.min}`);
      if (rule.max !== undefined && value > rule.max)
        broken.push(`Member must have value less than or equal to ${rule.max}`);
      return broken;
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(path, 'a boolean');
      return broken;
    default:
      return broken;
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function check(value: unknown, rule: FieldRule, path: string, errors: string[]): void {
  if (value === undefined || value === null) {
    if (rule.required) errors.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  const report = (constraint: string) =>
    errors.push(`Value '${show(value)}' at '${path}' failed to satisfy constraint: ${constraint}`);
  switch (rule.type) {
    case 'array': {
      if (!Array.isArray(value)) throw serialization(path, 'a list');
      if (rule.minLength !== undefined && value.length < rule.minLength)
        report(`Member must have length greater than or equal to ${rule.minLength}`);
      if (rule.maxLength !== undefined && value.length > rule.maxLength)
        report(`Member must have length less than or equal to ${rule.maxLength}`);
      value.forEach((item, index) => {
        const at = `${path}.${index + 1}.member`;
        if (rule.members) check(item, { type: 'object', members: rule.members }, at, errors);
        else if (rule.value) check(item, rule.value, at, errors);
      });
      return;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serialization(path, 'a structure');
      for (const [name, member] of Object.entries(rule.members ?? {})) {
        check((value as Record<string, unknown>)[name], member, `${path}.${lowerFirst(name)}`, errors);
      }
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serialization(path, 'a map');
      const entries = Object.entries(value as Record<string, unknown>);
      if (rule.maxLength !== undefined && entries.length > rule.maxLength)
        report(`Member must have length less than or equal to ${rule.maxLength}`);
      const keys = new Set<string>();
      const values = new Set<string>();
      for (const [key, item] of entries) {
        if (rule.key) for (const broken of constraints(key, rule.key, path)) keys.add(broken);
        if (item === null || item === undefined) values.add('Member must not be null');
        else if (rule.value) for (const broken of constraints(item, rule.value, path)) values.add(broken);
      }
      if (keys.size > 0) report(`Map keys must satisfy constraint: [${[...keys].join(', ')}]`);
      if (values.size > 0) report(`Map value must satisfy constraint: [${[...values].join(', ')}]`);
      return;
    }
    default:
      for (const broken of constraints(value, rule, path)) report(broken);
  }
}

/** Throws ValidationException listing every rule the input breaks (AWS reports them all at once). */
export function validate(input: Readonly<Record<string, unknown>>, rules: Rules): void {
  const errors: string[] = [];
  for (const [name, rule] of Object.entries(rules)) check(input[name], rule, lowerFirst(name), errors);
  if (errors.length > 0) {
    const count = errors.length === 1 ? '1 validation error detected' : `${errors.length} validation errors detected`;
    throw new CognitoIdentityError('ValidationException', `${count}: ${errors.join('; ')}`);
  }
}

/** Parses a JSON 1.1 request body (empty → `{}`); anything else is a SerializationException. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new CognitoIdentityError('SerializationException', `Malformed request body: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CognitoIdentityError('SerializationException', 'Malformed request body: expected a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
