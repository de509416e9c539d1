import { randomUUID } from 'node:crypto';
import type { CredentialIssuer } from '../edge/credentials.ts';
import {
  ACCOUNT_ID,
  DEFAULT_REGION,
  type RequestAuthorization,
  type RequestHead,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../edge/types.ts';
import { cognitoUnauthedSessionPolicy } from '../iam/managed-policies.ts';
import { dispatchJson, type JsonServiceProtocol } from '../shared/json-protocol.ts';
import type { TraceBus } from '../trace/bus.ts';
import { createIdentityPool } from './actions/createIdentityPool.ts';
import { deleteIdentities } from './actions/deleteIdentities.ts';
import { deleteIdentityPool } from './actions/deleteIdentityPool.ts';
import { describeIdentity } from './actions/describeIdentity.ts';
import { describeIdentityPool } from './actions/describeIdentityPool.ts';
import { getCredentialsForIdentity } from './actions/getCredentialsForIdentity.ts';
import { getId } from './actions/getId.ts';
import { getIdentityPoolRoles } from './actions/getIdentityPoolRoles.ts';
import { getOpenIdToken } from './actions/getOpenIdToken.ts';
import { getOpenIdTokenForDeveloperIdentity } from './actions/getOpenIdTokenForDeveloperIdentity.ts';
import { listIdentities } from './actions/listIdentities.ts';
import { listIdentityPools } from './actions/listIdentityPools.ts';
import { lookupDeveloperIdentity } from './actions/lookupDeveloperIdentity.ts';
import { setIdentityPoolRoles } from './actions/setIdentityPoolRoles.ts';
import { updateIdentityPool } from './actions/updateIdentityPool.ts';
import type { Action, CognitoContext, Identity, IdentityPool, RoleType } from './context.ts';
import { CognitoIdentityError, identityNotFound, poolNotFound } from './errors.ts';
import { COGNITO_IDENTITY_PARAMETERS } from './parameters.ts';
import { CognitoStore } from './store.ts';
import { COGNITO_ISSUER, type OpenIdClaims, signOpenIdToken, type TokenProblem, verifyOpenIdToken } from './token.ts';
import { parseJsonBody } from './validation.ts';

const TARGET_PREFIX = 'AWSCognitoIdentityService.';

/** Every supported operation, by its X-Amz-Target name (dispatched like dynalite's index.js). */
export const ACTIONS: Readonly<Record<string, Action>> = {
  CreateIdentityPool: createIdentityPool,
  DescribeIdentityPool: describeIdentityPool,
  ListIdentityPools: listIdentityPools,
  UpdateIdentityPool: updateIdentityPool,
  DeleteIdentityPool: deleteIdentityPool,
  SetIdentityPoolRoles: setIdentityPoolRoles,
  GetIdentityPoolRoles: getIdentityPoolRoles,
  GetId: getId,
  GetCredentialsForIdentity: getCredentialsForIdentity,
  GetOpenIdToken: getOpenIdToken,
  GetOpenIdTokenForDeveloperIdentity: getOpenIdTokenForDeveloperIdentity,
  LookupDeveloperIdentity: lookupDeveloperIdentity,
  DescribeIdentity: describeIdentity,
  ListIdentities: listIdentities,
  DeleteIdentities: deleteIdentities,
};

/** Operations of the Cognito Identity API the local cloud knows of but does not implement: NotImplemented, never silence. */
const NOT_IMPLEMENTED = new Set([
  'GetPrincipalTagAttributeMap',
  'ListTagsForResource',
  'MergeDeveloperIdentities',
  'SetPrincipalTagAttributeMap',
  'TagResource',
  'UnlinkDeveloperIdentity',
  'UnlinkIdentity',
  'UntagResource',
]);

/**
 * "This is a public API. You do not need any credentials to call this API." (API reference of GetId,
 * GetCredentialsForIdentity, GetOpenIdToken, UnlinkIdentity; the SDK sends them with `smithy.api#noAuth`.)
 */
const PUBLIC_OPERATIONS = new Set(['GetId', 'GetCredentialsForIdentity', 'GetOpenIdToken', 'UnlinkIdentity']);

/** The session name of identity-pool credentials (the enhanced flow's AssumeRoleWithWebIdentity). */
export const SESSION_NAME = 'CognitoIdentityCredentials';

export interface CognitoIdentityServiceOptions {
  readonly trace: TraceBus;
  /** Issues the role credentials (into the edge's credential store, so requests signed with them verify). */
  readonly issuer: CredentialIssuer;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Pools and identities persist in `<dataDir>/cognito/`; in memory without it. */
  readonly dataDir?: string;
  /** Lifetime of issued credentials; AWS's enhanced flow gives one hour. @default 3600 */
  readonly credentialsDurationSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

function operationOf(headers: RequestHead['headers']): string | undefined {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX)
    ? target.slice(TARGET_PREFIX.length)
    : undefined;
}

/**
 * Amazon Cognito identity pools on the local cloud: the JSON 1.1 API (`X-Amz-Target:
 * AWSCognitoIdentityService.<Op>`, signing name `cognito-identity`). Apps call GetId and
 * GetCredentialsForIdentity unsigned and get temporary credentials of the pool's role.
 */
export class CognitoIdentityService implements Service, CognitoContext {
  readonly signingNames = ['cognito-identity'] as const;
  readonly region: string;
  readonly trace: TraceBus;
  readonly store: CognitoStore;
  readonly #issuer: CredentialIssuer;
  readonly #credentialsSeconds: number;
  readonly #now: () => number;

  constructor({
    trace,
    issuer,
    region = DEFAULT_REGION,
    dataDir,
    credentialsDurationSeconds = 3600,
    now = Date.now,
  }: CognitoIdentityServiceOptions) {
    this.trace = trace;
    this.#issuer = issuer;
    this.region = region;
    this.store = new CognitoStore(dataDir);
    this.#credentialsSeconds = credentialsDurationSeconds;
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  newPoolId(): string {
    return `${this.region}:${randomUUID()}`;
  }

  poolArn(identityPoolId: string): string {
    return `arn:aws:cognito-identity:${this.region}:${ACCOUNT_ID}:identitypool/${identityPoolId}`;
  }

  pool(identityPoolId: string): IdentityPool {
    const pool = this.store.pool(identityPoolId);
    if (pool === undefined) throw poolNotFound(identityPoolId);
    return pool;
  }

  identity(identityId: string): Identity {
    const identity = this.store.identity(identityId);
    if (identity === undefined || this.store.pool(identity.IdentityPoolId) === undefined) {
      throw identityNotFound(identityId);
    }
    return identity;
  }

  createIdentity(pool: IdentityPool, logins: Record<string, string>, requestId: string): Identity {
    // Identity ids are `<region>:<uuid>` like pool ids (IdentityId pattern [\w-]+:[0-9a-f-]+).
    const created = this.now();
    const identity: Identity = {
      IdentityId: `${this.region}:${randomUUID()}`,
      IdentityPoolId: pool.IdentityPoolId,
      logins: { ...logins },
      createdAt: created,
      lastModifiedAt: created,
    };
    this.store.putIdentity(identity);
    this.trace.publish(
      'cognito.identity',
      {
        poolId: pool.IdentityPoolId,
        identityId: identity.IdentityId,
        new: true,
        authenticated: Object.keys(logins).length > 0,
      },
      requestId,
    );
    return identity;
  }

  reuseIdentity(identity: Identity, requestId: string): void {
    this.trace.publish(
      'cognito.identity',
      {
        poolId: identity.IdentityPoolId,
        identityId: identity.IdentityId,
        new: false,
        authenticated: Object.keys(identity.logins).length > 0,
      },
      requestId,
    );
  }

  issueCredentials(
    identity: Identity,
    roleArn: string,
    requestId: string,
    roleType: RoleType,
  ): Record<string, unknown> {
    // The enhanced flow scopes guests down: only what the role and Cognito's session policy both allow.
    const sessionPolicy = roleType === 'unauthenticated' ? cognitoUnauthedSessionPolicy() : undefined;
    const credentials = this.#issuer.issueForRole({
      roleArn,
      sessionName: SESSION_NAME,
      durationSeconds: this.#credentialsSeconds,
      ...(sessionPolicy ? { sessionPolicies: [sessionPolicy] } : {}),
      cognitoIdentity: { cognitoIdentityId: identity.IdentityId, cognitoIdentityPoolId: identity.IdentityPoolId },
    });
    this.trace.publish(
      'cognito.credentials',
      {
        poolId: identity.IdentityPoolId,
        identityId: identity.IdentityId,
        roleArn,
        accessKeyId: credentials.accessKeyId,
        expiration: new Date(credentials.expiration).toISOString(),
        ...(sessionPolicy ? { sessionPolicy: sessionPolicy.name } : {}),
      },
      requestId,
    );
    return {
      AccessKeyId: credentials.accessKeyId,
      SecretKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      // JSON 1.1 timestamps are epoch seconds.
      Expiration: credentials.expiration / 1000,
    };
  }

  openIdToken(identity: Identity, durationSeconds: number): string {
    const iat = Math.floor(this.now() / 1000);
    const providers = Object.entries(identity.logins);
    const amr =
      providers.length === 0
        ? ['unauthenticated']
        : [
            'authenticated',
            ...providers.flatMap(([provider, user]) => [provider, `${provider}:${identity.IdentityPoolId}:${user}`]),
          ];
    const claims: OpenIdClaims = {
      iss: COGNITO_ISSUER,
      sub: identity.IdentityId,
      aud: identity.IdentityPoolId,
      amr,
      iat,
      exp: iat + durationSeconds,
    };
    return signOpenIdToken(claims, this.store.signingKey);
  }

  /** The claims of a Cognito OpenID token this service signed. */
  verifyOpenIdToken(token: string): OpenIdClaims {
    const result = this.checkOpenIdToken(token);
    if ('problem' in result) throw new CognitoIdentityError('NotAuthorizedException', result.problem);
    return result.claims;
  }

  /** The claims of a Cognito OpenID token, or why it is not valid, without throwing (STS AssumeRoleWithWebIdentity). */
  checkOpenIdToken(token: string): { claims: OpenIdClaims } | TokenProblem {
    return verifyOpenIdToken(token, this.store.signingKey, this.now() / 1000);
  }

  /** A mobile app in a browser calls the public operations from its page: the edge answers CORS, as AWS does. */
  readonly anonymousCors = 'edge';

  /** The edge lets unsigned requests through for the public operations only. */
  allowsAnonymous(head: RequestHead): boolean {
    const operation = operationOf(head.headers);
    return head.method === 'POST' && operation !== undefined && PUBLIC_OPERATIONS.has(operation);
  }

  /**
   * `cognito-identity:<Operation>` on the pool's ARN (`identitypool/<id>`) for the signed control
   * plane; `*` for CreateIdentityPool and ListIdentityPools. The public operations need no IAM.
   */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    const operation = operationOf(request.headers);
    if (operation === undefined || PUBLIC_OPERATIONS.has(operation)) return undefined;
    let input: Record<string, unknown> = {};
    try {
      input = parseJsonBody(request.body);
    } catch {
      // The action answers the malformed body; IAM still needs a resource.
    }
    let poolId = typeof input.IdentityPoolId === 'string' ? input.IdentityPoolId : undefined;
    if (poolId === undefined && typeof input.IdentityId === 'string') {
      poolId = this.store.identity(input.IdentityId)?.IdentityPoolId;
    }
    return {
      action: `cognito-identity:${operation}`,
      resources: [poolId === undefined ? '*' : this.poolArn(poolId)],
    };
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    const started = Date.now();
    const context = { requestId: request.requestId, caller: request.caller };
    return dispatchJson(request, this.#protocol, {
      admit: (operation) => {
        if (request.caller.anonymous && !PUBLIC_OPERATIONS.has(operation)) {
          throw new CognitoIdentityError('NotAuthorizedException', 'Missing Authentication Token');
        }
      },
      run: (action, input) => action(this, input, context),
      done: ({ operation, input, output, status, error }) => {
        const poolId = [input.IdentityPoolId, output?.IdentityPoolId].find((id) => typeof id === 'string');
        this.#publish(request, operation, poolId as string | undefined, status, started, error);
      },
    });
  }

  readonly #protocol: JsonServiceProtocol<Action> = {
    targetPrefix: TARGET_PREFIX,
    title: 'Cognito Identity',
    actions: ACTIONS,
    notImplemented: NOT_IMPLEMENTED,
    parameters: COGNITO_IDENTITY_PARAMETERS,
    parseBody: parseJsonBody,
    error: (code, message) => new CognitoIdentityError(code, message),
    refuseParameter: (message) => new CognitoIdentityError('InvalidParameterException', message),
    from: (thrown) => CognitoIdentityError.from(thrown),
  };

  #publish(
    request: ServiceRequest,
    operation: string,
    poolId: string | undefined,
    status: number,
    started: number,
    error?: string,
  ) {
    this.trace.publish(
      'cognito.request',
      {
        operation,
        poolId,
        status,
        // Apps call the public operations unsigned: the workbench shows who asked.
        signed: request.caller.anonymous !== true,
        durationMs: Date.now() - started,
        ...(error ? { error } : {}),
      },
      request.requestId,
    );
  }
}
