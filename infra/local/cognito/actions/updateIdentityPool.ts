import { type Action, describePool, type IdentityPool } from '../context.ts';
import { CognitoIdentityError } from '../errors.ts';
import { IDENTITY_POOL_ID, IDENTITY_POOL_MEMBERS, validate } from '../validation.ts';
import { poolConfiguration } from './createIdentityPool.ts';

/**
 * UpdateIdentityPool: replaces the pool's configuration with the request's (members left out are
 * cleared), keeping its roles. A developer provider name, once set, cannot change (API reference,
 * CreateIdentityPool DeveloperProviderName); left out, it stays.
 */
export const updateIdentityPool: Action = (context, input) => {
  validate(input, { IdentityPoolId: { ...IDENTITY_POOL_ID, required: true }, ...IDENTITY_POOL_MEMBERS });
  const pool = context.pool(input.IdentityPoolId as string);
  const configuration = poolConfiguration(input);
  const developer = pool.DeveloperProviderName;
  if (
    developer !== undefined &&
    configuration.DeveloperProviderName !== undefined &&
    configuration.DeveloperProviderName !== developer
  ) {
    throw new CognitoIdentityError(
      'InvalidParameterException',
      `The developer provider name of an identity pool cannot change once set (it is '${developer}').`,
    );
  }
  const updated: IdentityPool = {
    IdentityPoolId: pool.IdentityPoolId,
    ...configuration,
    ...(developer === undefined ? {} : { DeveloperProviderName: developer }),
    Roles: pool.Roles,
    ...(pool.RoleMappings === undefined ? {} : { RoleMappings: pool.RoleMappings }),
    createdAt: pool.createdAt,
  };
  context.store.putPool(updated);
  return describePool(updated);
};
