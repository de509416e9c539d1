import type { CognitoContext, Identity, IdentityPool } from './context.ts';
import { CognitoIdentityError, loginsDoNotMatch } from './errors.ts';
import { COGNITO_LOGIN_PROVIDER, type OpenIdClaims } from './token.ts';

/** What the Logins of a public request (GetId, GetCredentialsForIdentity, GetOpenIdToken) prove. */
export type LoginProof = { readonly kind: 'none' } | { readonly kind: 'cognito'; readonly claims: OpenIdClaims };

/** The providers a pool names for federation (the local cloud cannot verify their tokens). */
function externalProviders(pool: IdentityPool): Set<string> {
  const names = new Set(Object.keys(pool.SupportedLoginProviders ?? {}));
  for (const provider of pool.CognitoIdentityProviders ?? [])
    if (provider.ProviderName) names.add(provider.ProviderName);
  // arn:aws:iam::123456789012:oidc-provider/accounts.example.com → accounts.example.com
  for (const arn of [...(pool.OpenIdConnectProviderARNs ?? []), ...(pool.SamlProviderARNs ?? [])]) {
    names.add(arn.slice(arn.indexOf('/') + 1));
    names.add(arn);
  }
  return names;
}

/**
 * Checks the Logins of a public request against a pool. The one login the local cloud can verify is
 * its own OpenID token (`cognito-identity.amazonaws.com`), as GetOpenIdToken and
 * GetOpenIdTokenForDeveloperIdentity hand it out: the enhanced flow of developer-authenticated identities.
 */
export function proveLogins(
  context: CognitoContext,
  pool: IdentityPool,
  logins: Readonly<Record<string, string>> | undefined,
): LoginProof {
  let proof: LoginProof = { kind: 'none' };
  for (const [provider, token] of Object.entries(logins ?? {})) {
    if (provider === COGNITO_LOGIN_PROVIDER) {
      const claims = context.verifyOpenIdToken(token);
      if (claims.aud !== pool.IdentityPoolId) {
        throw new CognitoIdentityError('NotAuthorizedException', 'Invalid login token. Incorrect audience.');
      }
      proof = { kind: 'cognito', claims };
    } else if (provider === pool.DeveloperProviderName) {
      throw new CognitoIdentityError(
        'NotAuthorizedException',
        `Invalid login token. Logins of the developer provider '${provider}' go to GetOpenIdTokenForDeveloperIdentity, called by your backend with developer credentials; pass the token it returns as Logins['${COGNITO_LOGIN_PROVIDER}'].`,
      );
    } else if (externalProviders(pool).has(provider)) {
      throw new CognitoIdentityError(
        'NotImplemented',
        `The local cloud cannot verify tokens of '${provider}'. Use unauthenticated identities or developer-authenticated identities (GetOpenIdTokenForDeveloperIdentity).`,
      );
    } else {
      throw new CognitoIdentityError(
        'NotAuthorizedException',
        `Invalid login token. '${provider}' is not a login provider of this identity pool.`,
      );
    }
  }
  return proof;
}

/**
 * The role type a request for an identity's credentials (or token) gets: authenticated when a valid
 * Cognito token for this identity says so; unauthenticated for an identity without linked logins,
 * if the pool allows them. An authenticated identity asked about without its login is refused,
 * as AWS refuses it.
 */
export function roleTypeFor(
  pool: IdentityPool,
  identity: Identity,
  proof: LoginProof,
): 'authenticated' | 'unauthenticated' {
  if (proof.kind === 'cognito') {
    if (proof.claims.sub !== identity.IdentityId) throw loginsDoNotMatch();
    if (proof.claims.amr.includes('authenticated')) return 'authenticated';
    if (!pool.AllowUnauthenticatedIdentities) throw unauthenticatedNotSupported();
    return 'unauthenticated';
  }
  if (Object.keys(identity.logins).length > 0) throw loginsDoNotMatch();
  if (!pool.AllowUnauthenticatedIdentities) throw unauthenticatedNotSupported();
  return 'unauthenticated';
}

export function unauthenticatedNotSupported(): CognitoIdentityError {
  return new CognitoIdentityError(
    'NotAuthorizedException',
    'Unauthenticated access is not supported for this identity pool.',
  );
}
