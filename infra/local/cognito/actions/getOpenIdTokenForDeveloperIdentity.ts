import type { Action, Identity } from '../context.ts';
import { CognitoIdentityError } from '../errors.ts';
import {
  DEVELOPER_USER_IDENTIFIER,
  IDENTITY_ID,
  IDENTITY_POOL_ID,
  LOGINS,
  type Rules,
  TOKEN_DURATION,
  validate,
} from '../validation.ts';

const RULES: Rules = {
  IdentityPoolId: { ...IDENTITY_POOL_ID, required: true },
  IdentityId: IDENTITY_ID,
  Logins: { ...LOGINS, required: true },
  PrincipalTags: { type: 'map', maxLength: 50 },
  TokenDuration: TOKEN_DURATION,
};

/** "If you don't provide an expiration time, the token is valid for 15 minutes." (API reference) */
export const DEVELOPER_TOKEN_SECONDS = 900;

/**
 * GetOpenIdTokenForDeveloperIdentity (signed, from the developer's backend): registers or finds the
 * identity of a user of the pool's developer provider — `Logins: { <DeveloperProviderName>: <user id> }` —
 * and returns it with a Cognito token the app exchanges for authenticated-role credentials.
 * With IdentityId, links the user to that existing identity.
 */
export const getOpenIdTokenForDeveloperIdentity: Action = (context, input, { requestId }) => {
  validate(input, RULES);
  const pool = context.pool(input.IdentityPoolId as string);
  const provider = pool.DeveloperProviderName;
  const logins = input.Logins as Record<string, string>;
  const others = Object.keys(logins).filter((name) => name !== provider);
  if (provider === undefined || others.length > 0) {
    throw new CognitoIdentityError(
      'NotAuthorizedException',
      provider === undefined
        ? 'This identity pool has no developer provider (DeveloperProviderName).'
        : `The local cloud links only the pool's developer provider '${provider}' here, not ${others.map((o) => `'${o}'`).join(', ')}.`,
    );
  }
  const user = logins[provider]!;
  validate({ DeveloperUserIdentifier: user }, { DeveloperUserIdentifier: DEVELOPER_USER_IDENTIFIER });
  const registered = context.store.identityByLogin(pool.IdentityPoolId, provider, user);
  let identity: Identity;
  if (input.IdentityId !== undefined) {
    identity = context.identity(input.IdentityId as string);
    if (identity.IdentityPoolId !== pool.IdentityPoolId) {
      throw new CognitoIdentityError('ResourceNotFoundException', `Identity '${identity.IdentityId}' not found.`);
    }
    if (registered !== undefined && registered.IdentityId !== identity.IdentityId) {
      throw new CognitoIdentityError(
        'DeveloperUserAlreadyRegisteredException',
        'Developer user identifier is already registered with Cognito.',
      );
    }
    if (registered === undefined) {
      identity.logins[provider] = user;
      identity.lastModifiedAt = context.now();
      context.store.putIdentity(identity);
    }
    context.reuseIdentity(identity, requestId);
  } else if (registered !== undefined) {
    identity = registered;
    context.reuseIdentity(identity, requestId);
  } else {
    identity = context.createIdentity(pool, { [provider]: user }, requestId);
  }
  const duration = (input.TokenDuration as number | undefined) ?? DEVELOPER_TOKEN_SECONDS;
  return { IdentityId: identity.IdentityId, Token: context.openIdToken(identity, duration) };
};
