import type { Action } from '../context.ts';
import { IDENTITY_POOL_ID, validate } from '../validation.ts';

/** GetIdentityPoolRoles: the roles (and role mappings) SetIdentityPoolRoles attached. */
export const getIdentityPoolRoles: Action = (context, input) => {
  validate(input, { IdentityPoolId: { ...IDENTITY_POOL_ID, required: true } });
  const pool = context.pool(input.IdentityPoolId as string);
  return {
    IdentityPoolId: pool.IdentityPoolId,
    Roles: pool.Roles,
    ...(pool.RoleMappings === undefined ? {} : { RoleMappings: pool.RoleMappings }),
  };
};
