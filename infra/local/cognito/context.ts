import type { Caller } from '../edge/types.ts';
import type { TraceBus } from '../trace/bus.ts';
import type { CognitoStore } from './store.ts';
import type { OpenIdClaims } from './token.ts';

/** Unauthenticated and authenticated: the two roles an identity pool hands out (RolesMap keys). */
export type RoleType = 'unauthenticated' | 'authenticated';

/** An identity pool as the IdentityPool shape describes it, plus its roles. */
export interface IdentityPool {
  readonly IdentityPoolId: string;
  IdentityPoolName: string;
  AllowUnauthenticatedIdentities: boolean;
  AllowClassicFlow?: boolean;
  SupportedLoginProviders?: Record<string, string>;
  DeveloperProviderName?: string;
  OpenIdConnectProviderARNs?: string[];
  CognitoIdentityProviders?: { ProviderName?: string; ClientId?: string; ServerSideTokenCheck?: boolean }[];
  SamlProviderARNs?: string[];
  IdentityPoolTags?: Record<string, string>;
  /** SetIdentityPoolRoles: `unauthenticated` / `authenticated` → role ARN. */
  Roles: Partial<Record<RoleType, string>>;
  /** Stored and answered as given; the local cloud resolves no role mappings (they need external providers). */
  RoleMappings?: Record<string, unknown>;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** An identity of a pool: unauthenticated until a login is linked to it. */
export interface Identity {
  readonly IdentityId: string;
  readonly IdentityPoolId: string;
  /** Linked logins: provider name → user identifier (the developer provider's user id). */
  readonly logins: Record<string, string>;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  lastModifiedAt: number;
}

/** The IdentityPool shape of CreateIdentityPool, DescribeIdentityPool and UpdateIdentityPool. */
export function describePool(pool: IdentityPool): Record<string, unknown> {
  const { Roles: _roles, RoleMappings: _mappings, createdAt: _created, ...shape } = pool;
  return shape;
}

/** The IdentityDescription shape of DescribeIdentity and ListIdentities. */
export function describeIdentity(identity: Identity): Record<string, unknown> {
  const logins = Object.keys(identity.logins);
  return {
    IdentityId: identity.IdentityId,
    ...(logins.length > 0 ? { Logins: logins } : {}),
    CreationDate: identity.createdAt / 1000,
    LastModifiedDate: identity.lastModifiedAt / 1000,
  };
}

/** What an action module may use of the Cognito Identity service. */
export interface CognitoContext {
  readonly region: string;
  readonly trace: TraceBus;
  readonly store: CognitoStore;
  now(): number;
  /** A new pool id: `<region>:<uuid>`. */
  newPoolId(): string;
  /** The pool with this id; ResourceNotFoundException when there is none. */
  pool(identityPoolId: string): IdentityPool;
  /** The identity with this id; ResourceNotFoundException when there is none (or its pool is gone). */
  identity(identityId: string): Identity;
  /** Creates an identity in a pool (publishes `cognito.identity`). */
  createIdentity(pool: IdentityPool, logins: Record<string, string>, requestId: string): Identity;
  /** Publishes `cognito.identity` for an identity a request found again. */
  reuseIdentity(identity: Identity, requestId: string): void;
  /**
   * Temporary credentials of a role for an identity (publishes `cognito.credentials`). The enhanced
   * flow scopes down guests' credentials (`roleType` unauthenticated) with Cognito's session policy.
   */
  issueCredentials(identity: Identity, roleArn: string, requestId: string, roleType: RoleType): Record<string, unknown>;
  /** A Cognito OpenID token for an identity, valid for `durationSeconds`. */
  openIdToken(identity: Identity, durationSeconds: number): string;
  /** The claims of a token this service signed; NotAuthorizedException when it is not valid. */
  verifyOpenIdToken(token: string): OpenIdClaims;
}

export interface ActionRequest {
  readonly requestId: string;
  readonly caller: Caller;
}

/** An action takes the parsed JSON 1.1 input and returns the output members. */
export type Action = (
  context: CognitoContext,
  input: Readonly<Record<string, unknown>>,
  request: ActionRequest,
) => Record<string, unknown>;

/** Opaque, self-describing pagination tokens (shared with the other JSON services). */
export { decodeToken, encodeToken } from '../shared/json-protocol.ts';
