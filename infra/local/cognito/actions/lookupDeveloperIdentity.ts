import type { Action, Identity } from '../context.ts';
import { CognitoIdentityError } from '../errors.ts';
import {
  DEVELOPER_USER_IDENTIFIER,
  IDENTITY_ID,
  IDENTITY_POOL_ID,
  PAGINATION_KEY,
  QUERY_LIMIT,
  type Rules,
  validate,
} from '../validation.ts';

const RULES: Rules = {
  IdentityPoolId: { ...IDENTITY_POOL_ID, required: true },
  IdentityId: IDENTITY_ID,
  DeveloperUserIdentifier: DEVELOPER_USER_IDENTIFIER,
  MaxResults: QUERY_LIMIT,
  NextToken: PAGINATION_KEY,
};

/**
 * LookupDeveloperIdentity: the identity of a developer user, or the developer user of an identity
 * (each identity links at most one user of the pool's developer provider here). Both given must agree.
 */
export const lookupDeveloperIdentity: Action = (context, input) => {
  validate(input, RULES);
  const pool = context.pool(input.IdentityPoolId as string);
  const provider = pool.DeveloperProviderName;
  const user = input.DeveloperUserIdentifier as string | undefined;
  if (input.IdentityId === undefined && user === undefined) {
    throw new CognitoIdentityError(
      'InvalidParameterException',
      'Either IdentityId or DeveloperUserIdentifier must be provided.',
    );
  }
  let identity: Identity | undefined;
  if (input.IdentityId !== undefined) {
    identity = context.identity(input.IdentityId as string);
    if (identity.IdentityPoolId !== pool.IdentityPoolId) {
      throw new CognitoIdentityError('ResourceNotFoundException', `Identity '${identity.IdentityId}' not found.`);
    }
  }
  if (user !== undefined) {
    const found =
      provider === undefined ? undefined : context.store.identityByLogin(pool.IdentityPoolId, provider, user);
    if (found === undefined) {
      throw new CognitoIdentityError('ResourceNotFoundException', `Developer user '${user}' not found.`);
    }
    if (identity !== undefined && identity.IdentityId !== found.IdentityId) {
      throw new CognitoIdentityError(
        'ResourceConflictException',
        `Developer user '${user}' is not linked to identity '${identity.IdentityId}'.`,
      );
    }
    identity = found;
  }
  const linked = provider === undefined ? undefined : identity!.logins[provider];
  return {
    IdentityId: identity!.IdentityId,
    DeveloperUserIdentifierList: linked === undefined ? [] : [linked],
  };
};
