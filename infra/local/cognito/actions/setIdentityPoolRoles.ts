import type { Action, RoleType } from '../context.ts';
import { CognitoIdentityError } from '../errors.ts';
import { ARN, IDENTITY_POOL_ID, type Rules, validate } from '../validation.ts';

const RULES: Rules = {
  IdentityPoolId: { ...IDENTITY_POOL_ID, required: true },
  Roles: {
    type: 'map',
    required: true,
    maxLength: 2,
    key: { type: 'string', minLength: 1, maxLength: 128, pattern: /(un)?authenticated/ },
    value: ARN,
  },
  RoleMappings: { type: 'map', maxLength: 10 },
};

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/;

/**
 * SetIdentityPoolRoles: the `unauthenticated` and `authenticated` roles replace the pool's roles.
 * Role mappings are stored and answered back, but resolve nothing here: they map tokens of external
 * providers, which the local cloud does not verify.
 */
export const setIdentityPoolRoles: Action = (context, input) => {
  validate(input, RULES);
  const pool = context.pool(input.IdentityPoolId as string);
  const roles = input.Roles as Record<RoleType, string>;
  for (const arn of Object.values(roles)) {
    if (!ROLE_ARN.test(arn)) throw new CognitoIdentityError('InvalidParameterException', `Invalid role ARN: ${arn}`);
  }
  pool.Roles = { ...roles };
  if (input.RoleMappings === undefined) delete pool.RoleMappings;
  else pool.RoleMappings = input.RoleMappings as Record<string, unknown>;
  context.store.putPool(pool);
  return {};
};
