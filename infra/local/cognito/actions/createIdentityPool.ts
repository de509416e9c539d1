import { type Action, describePool, type IdentityPool } from '../context.ts';
import { IDENTITY_POOL_MEMBERS, validate } from '../validation.ts';

/**
 * CreateIdentityPool: a new pool `<region>:<uuid>` with the given configuration and no roles yet
 * (SetIdentityPoolRoles attaches them). AWS allows several pools of one name.
 */
export const createIdentityPool: Action = (context, input) => {
  validate(input, IDENTITY_POOL_MEMBERS);
  const pool: IdentityPool = {
    IdentityPoolId: context.newPoolId(),
    ...poolConfiguration(input),
    Roles: {},
    createdAt: context.now(),
  };
  context.store.putPool(pool);
  return describePool(pool);
};

export type PoolConfiguration = Omit<IdentityPool, 'IdentityPoolId' | 'Roles' | 'RoleMappings' | 'createdAt'>;

/** The configuration members of the IdentityPool shape, as a request gives them. */
export function poolConfiguration(input: Readonly<Record<string, unknown>>): PoolConfiguration {
  const optional = <T>(name: string) =>
    input[name] === undefined || input[name] === null ? {} : { [name]: input[name] as T };
  return {
    IdentityPoolName: input.IdentityPoolName as string,
    AllowUnauthenticatedIdentities: input.AllowUnauthenticatedIdentities as boolean,
    ...optional<boolean>('AllowClassicFlow'),
    ...optional<Record<string, string>>('SupportedLoginProviders'),
    ...optional<string>('DeveloperProviderName'),
    ...optional<string[]>('OpenIdConnectProviderARNs'),
    ...optional<IdentityPool['CognitoIdentityProviders']>('CognitoIdentityProviders'),
    ...optional<string[]>('SamlProviderARNs'),
    ...optional<Record<string, string>>('IdentityPoolTags'),
  };
}
