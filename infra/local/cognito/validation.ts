import { parseJsonBody as parseJsonObject } from '../shared/json-protocol.ts';
import type { FieldRule, Rules } from '../shared/validation.ts';
import { validator } from '../shared/validation.ts';
import { CognitoIdentityError } from './errors.ts';

/**
 * Field rules for a request body, as data (like dynalite's validations/*.js). Constraints are the
 * Cognito Identity API reference's (its service model's shapes: length, pattern, range); messages
 * follow AWS's `1 validation error detected: Value '…' at 'identityPoolId' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: [\w-]+:[0-9a-f-]+` (recorded in SDK
 * issue reports). A value of the wrong JSON type is a SerializationException, as AWS's JSON 1.1
 * decoder answers. The engine is shared: ../shared/validation.ts.
 */
export type { FieldRule, Rules } from '../shared/validation.ts';

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

/** Throws ValidationException listing every rule the input breaks (AWS reports them all at once). */
export const validate = validator({
  expected: { integer: 'an integer', array: 'a list', object: 'a structure', map: 'a map' },
  typeError: (path, expected) =>
    new CognitoIdentityError('SerializationException', `Expected ${expected} at '${path}'.`),
  validationError: (message) => new CognitoIdentityError('ValidationException', message),
  patternFlags: 'u',
});

/** Parses a JSON 1.1 request body (empty → `{}`); anything else is a SerializationException. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  return parseJsonObject(body, {
    malformed: (cause) =>
      new CognitoIdentityError('SerializationException', `Malformed request body: ${cause.message}`, { cause }),
    notAnObject: () =>
      new CognitoIdentityError('SerializationException', 'Malformed request body: expected a JSON object.'),
  });
}
