import { createHmac, timingSafeEqual } from 'node:crypto';

/** The issuer of Cognito's OpenID tokens, and the Logins key that carries them. */
export const COGNITO_ISSUER = 'https://cognito-identity.amazonaws.com';
export const COGNITO_LOGIN_PROVIDER = 'cognito-identity.amazonaws.com';

/**
 * Claims of a Cognito OpenID token (Cognito developer guide, "IAM roles" / role trust: `aud` is the
 * pool, `sub` the identity, `amr` says `authenticated` or `unauthenticated` and names the provider).
 */
export interface OpenIdClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly amr: readonly string[];
  /** Epoch seconds. */
  readonly iat: number;
  readonly exp: number;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/**
 * Signs claims as a JWT. AWS signs with RS512 and publishes its keys; the local cloud signs with
 * HS256 and a key of its own, since only it ever verifies these tokens.
 */
export function signOpenIdToken(claims: OpenIdClaims, key: Buffer): string {
  const header = base64url(JSON.stringify({ kid: 'local-cloud', typ: 'JWS', alg: 'HS256' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Why a token is not valid (Cognito's message, and the kind, for STS's own wording); an expired one's claims too. */
export interface TokenProblem {
  readonly problem: string;
  readonly kind: 'malformed' | 'signature' | 'expired';
  /** The claims of an expired token (STS reports its `exp`). */
  readonly expired?: OpenIdClaims;
}

/** The claims of a token signed with `key`, or why it is not valid. */
export function verifyOpenIdToken(
  token: string,
  key: Buffer,
  nowSeconds: number,
): { claims: OpenIdClaims } | TokenProblem {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) {
    return { problem: 'Not a valid OpenId Connect identity token.', kind: 'malformed' };
  }
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { problem: 'Invalid login token. Token signature invalid.', kind: 'signature' };
  }
  let claims: OpenIdClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as OpenIdClaims;
  } catch {
    return { problem: 'Not a valid OpenId Connect identity token.', kind: 'malformed' };
  }
  if (claims.iss !== COGNITO_ISSUER || typeof claims.sub !== 'string' || !Array.isArray(claims.amr)) {
    return { problem: 'Not a valid OpenId Connect identity token.', kind: 'malformed' };
  }
  if (!(nowSeconds < claims.exp)) {
    return { problem: 'Invalid login token. Token expired.', kind: 'expired', expired: claims };
  }
  return { claims };
}
