import { ACCOUNT_ID as LOCAL_ACCOUNT } from '../../edge/types.ts';
import type { Action } from '../context.ts';
import { poolNotFound } from '../errors.ts';
import { proveLogins, unauthenticatedNotSupported } from '../logins.ts';
import { ACCOUNT_ID, IDENTITY_POOL_ID, LOGINS, type Rules, validate } from '../validation.ts';

const RULES: Rules = {
  IdentityPoolId: { ...IDENTITY_POOL_ID, required: true },
  AccountId: ACCOUNT_ID,
  Logins: LOGINS,
};

/**
 * GetId (public, unsigned): without Logins, a new unauthenticated identity each time (the client
 * caches it, as `fromCognitoIdentityPool` does), if the pool allows them; with the Cognito token of
 * an identity of this pool, that identity.
 */
export const getId: Action = (context, input, { requestId }) => {
  validate(input, RULES);
  const poolId = input.IdentityPoolId as string;
  if (input.AccountId !== undefined && input.AccountId !== LOCAL_ACCOUNT) throw poolNotFound(poolId);
  const pool = context.pool(poolId);
  const proof = proveLogins(context, pool, input.Logins as Record<string, string> | undefined);
  if (proof.kind === 'cognito') {
    const identity = context.identity(proof.claims.sub);
    context.reuseIdentity(identity, requestId);
    return { IdentityId: identity.IdentityId };
  }
  if (!pool.AllowUnauthenticatedIdentities) throw unauthenticatedNotSupported();
  return { IdentityId: context.createIdentity(pool, {}, requestId).IdentityId };
};
