import type { Action } from '../context.ts';
import { CognitoIdentityError } from '../errors.ts';
import { proveLogins, roleTypeFor } from '../logins.ts';
import { IDENTITY_ID, LOGINS, type Rules, validate } from '../validation.ts';

const RULES: Rules = { IdentityId: { ...IDENTITY_ID, required: true }, Logins: LOGINS };

/** "The OpenID token is valid for 10 minutes." (GetOpenIdToken API reference) */
export const OPEN_ID_TOKEN_SECONDS = 600;

/**
 * GetOpenIdToken (public, unsigned): a Cognito OpenID token for a known identity, for the basic
 * (classic) flow — the app passes it to STS AssumeRoleWithWebIdentity — or to pass back as
 * Logins['cognito-identity.amazonaws.com']. Refused when the pool disables the basic flow.
 */
export const getOpenIdToken: Action = (context, input) => {
  validate(input, RULES);
  const identity = context.identity(input.IdentityId as string);
  const pool = context.pool(identity.IdentityPoolId);
  // AWS's answer when the pool has AllowClassicFlow false. A pool created without the setting still
  // gets tokens on AWS (reported in aws/aws-cli#7652); the local cloud does the same.
  if (pool.AllowClassicFlow === false) {
    throw new CognitoIdentityError(
      'InvalidParameterException',
      'Basic (classic) flow is not enabled, please use enhanced flow.',
    );
  }
  roleTypeFor(pool, identity, proveLogins(context, pool, input.Logins as Record<string, string> | undefined));
  return { IdentityId: identity.IdentityId, Token: context.openIdToken(identity, OPEN_ID_TOKEN_SECONDS) };
};
