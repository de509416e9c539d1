import { COGNITO_ISSUER, COGNITO_LOGIN_PROVIDER, type OpenIdClaims } from '../../../cognito/token.ts';
import { parsePolicyDocument } from '../../document.ts';
import { IamError } from '../../errors.ts';
import { evaluate, type NamedPolicy } from '../../evaluate.ts';
import type { StsAction, WebIdentityTokens } from '../context.ts';

const ACTION = 'sts:AssumeRoleWithWebIdentity';

const invalidToken = (message: string) => new IamError('InvalidIdentityToken', message);

/** The token's unverified payload, to tell a non-JWT from a JWT of another issuer (as STS does first). */
function unverifiedIssuer(token: string): string {
  const parts = token.split('.');
  let payload: unknown;
  try {
    if (parts.length !== 3) throw new Error('not three parts');
    JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    payload = undefined;
  }
  if (typeof payload !== 'object' || payload === null) {
    // STS's answer to a token that is not a JWT.
    throw invalidToken(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  }
  const { iss } = payload as { iss?: unknown };
  return typeof iss === 'string' ? iss : '';
}

/** The claims of a Cognito OpenID token, or STS's error for it. */
function claimsOf(token: string, webIdentity: WebIdentityTokens | undefined): OpenIdClaims {
  const issuer = unverifiedIssuer(token);
  if (issuer !== COGNITO_ISSUER || webIdentity === undefined) {
    // The local cloud trusts no OpenID Connect provider but its Cognito (IAM has no CreateOpenIDConnectProvider here).
    throw invalidToken(`No OpenIDConnect provider found in your account for ${issuer}`);
  }
  const result = webIdentity.checkOpenIdToken(token);
  if ('claims' in result) return result.claims;
  if (result.expired !== undefined) {
    throw new IamError(
      'ExpiredTokenException',
      `Token expired: current date/time ${Math.floor(Date.now() / 1000)} must be before the expiration date/time ${result.expired.exp}`,
    );
  }
  throw invalidToken(
    result.kind === 'signature'
      ? 'The web identity token is not valid: its signature does not verify with the keys of its issuer.'
      : 'The web identity token is not valid: its claims are not those of a Cognito OpenID token.',
  );
}

/** The `Policy` parameter as a session policy (PolicyArns is refused by its declaration: ../../parameters.ts). */
function sessionPolicies(params: URLSearchParams): readonly NamedPolicy[] | undefined {
  const text = params.get('Policy');
  if (text === null) return undefined;
  return [{ name: 'session policy (Policy parameter)', document: parsePolicyDocument(text, 'identity') }];
}

/**
 * AssumeRoleWithWebIdentity (public: AWS serves it unsigned) for Cognito OpenID tokens: the basic
 * (classic) flow of identity pools — GetId, GetOpenIdToken, then this. The role's trust policy
 * decides, with the token's claims as condition keys (`cognito-identity.amazonaws.com:aud` is the
 * pool, `…:amr` says `unauthenticated` or `authenticated`, `…:sub` the identity). Unlike Cognito's
 * enhanced flow, no session policy scopes the credentials down unless the caller passes `Policy`.
 */
export const assumeRoleWithWebIdentity: StsAction = ({ store, issuer, webIdentity, trace, requestId }, params) => {
  const roleArn = params.get('RoleArn')!;
  const sessionName = params.get('RoleSessionName')!;
  const claims = claimsOf(params.get('WebIdentityToken')!, webIdentity);
  const policies = sessionPolicies(params);
  const denied = () => new IamError('AccessDenied', `Not authorized to perform ${ACTION}`);
  const role = store.roleByArn(roleArn);
  if (role === undefined) throw denied(); // STS does not say whether the role exists
  const trust = evaluate([{ name: `trust policy of role ${role.RoleName}`, document: store.trustPolicy(role) }], {
    action: ACTION,
    resource: role.Arn,
    principal: [COGNITO_LOGIN_PROVIDER],
    context: {
      'aws:FederatedProvider': COGNITO_LOGIN_PROVIDER,
      [`${COGNITO_LOGIN_PROVIDER}:aud`]: claims.aud,
      [`${COGNITO_LOGIN_PROVIDER}:sub`]: claims.sub,
      [`${COGNITO_LOGIN_PROVIDER}:amr`]: claims.amr,
    },
  });
  if (trust.decision !== 'Allow') throw denied();
  const durationSeconds = Number(params.get('DurationSeconds') ?? 3600);
  if (durationSeconds > role.MaxSessionDuration) {
    throw new IamError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  const credentials = issuer.issueForRole({
    roleArn: role.Arn,
    sessionName,
    durationSeconds,
    ...(policies ? { sessionPolicies: policies } : {}),
    // The session is a Cognito identity's, as the enhanced flow's (which Cognito makes with this same
    // call): Lambda reports it to the function as `context.identity` (Lambda Developer Guide, "Using
    // the Lambda context object to retrieve Node.js function information").
    cognitoIdentity: { cognitoIdentityId: claims.sub, cognitoIdentityPoolId: claims.aud },
  });
  // Like cognito.credentials for the enhanced flow: which pool's identity got which role's credentials.
  trace.publish(
    'sts.credentials',
    {
      provider: COGNITO_LOGIN_PROVIDER,
      poolId: claims.aud,
      identityId: claims.sub,
      roleArn: role.Arn,
      sessionName,
      accessKeyId: credentials.accessKeyId,
      expiration: new Date(credentials.expiration).toISOString(),
      ...(policies ? { sessionPolicy: policies.map((p) => p.name).join(', ') } : {}),
    },
    requestId,
  );
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: new Date(credentials.expiration),
    },
    SubjectFromWebIdentityToken: claims.sub,
    AssumedRoleUser: {
      AssumedRoleId: `${role.RoleId}:${sessionName}`,
      Arn: credentials.assumedRoleArn,
    },
    // As AWS answers for Cognito tokens: the provider without its scheme, the pool as the audience.
    Provider: COGNITO_LOGIN_PROVIDER,
    Audience: claims.aud,
  };
};
