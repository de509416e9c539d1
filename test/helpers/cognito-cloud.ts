import {
  CognitoIdentityClient,
  CognitoIdentityServiceException,
  CreateIdentityPoolCommand,
  type CreateIdentityPoolCommandInput,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CognitoIdentityService, type CognitoIdentityServiceOptions } from '../../infra/local/cognito/service.ts';
import { createCredentialIssuer, InMemoryCredentialStore } from '../../infra/local/edge/credentials.ts';
import { listenEdge } from '../../infra/local/edge/listen.ts';
import { createEdgeHandler } from '../../infra/local/edge/server.ts';
import type { Service } from '../../infra/local/edge/types.ts';
import type { RoleDirectory } from '../../infra/local/iam/store.ts';
import { LambdaService } from '../../infra/local/lambda/service.ts';
import { TraceBus, type TraceEvent } from '../../infra/local/trace/bus.ts';
import { TEST_CREDENTIALS } from './edge.ts';

/** The page allowed to call this cloud from a browser (the workbook, as tools/start.ts allows it). */
export const WORKBOOK_ORIGIN = 'http://127.0.0.1:4321';

export const UNAUTH_ROLE = 'arn:aws:iam::000000000000:role/mobile-unauth';
export const AUTH_ROLE = 'arn:aws:iam::000000000000:role/mobile-auth';

export interface CognitoTestCloud {
  readonly endpoint: string;
  readonly trace: TraceBus;
  readonly service: CognitoIdentityService;
  /** The edge's credential store: issued credentials land here. */
  readonly credentials: InMemoryCredentialStore;
  /** Signed with the administrator's credentials (the control plane). */
  readonly cognito: CognitoIdentityClient;
  /** A client as an app builds one: no credentials at all (the public operations go unsigned). */
  readonly app: CognitoIdentityClient;
  /** LambdaService behind the same edge, when asked for (`withLambda`). */
  readonly lambda?: LambdaService;
  /** A LambdaClient with the administrator's credentials, when `withLambda`. */
  readonly lambdaAdmin?: LambdaClient;
  /** Trace events of one type, oldest first. */
  events(type: string): TraceEvent[];
  close(): Promise<void>;
}

/**
 * The real SigV4 edge on 127.0.0.1 in front of a CognitoIdentityService whose credentials are issued
 * into the edge's own store (so requests signed with them verify), optionally with LambdaService and
 * with IAM enforcement (`roles`: where the edge finds the policies of role credentials).
 */
export async function startCognitoCloud({
  withLambda = false,
  roles,
  ...options
}: Partial<Omit<CognitoIdentityServiceOptions, 'trace' | 'issuer'>> & {
  readonly withLambda?: boolean;
  readonly roles?: RoleDirectory;
} = {}): Promise<CognitoTestCloud> {
  const trace = new TraceBus(100_000);
  const seen: TraceEvent[] = [];
  trace.subscribe((event) => seen.push(event));
  const credentials = new InMemoryCredentialStore([TEST_CREDENTIALS]);
  const service = new CognitoIdentityService({ ...options, trace, issuer: createCredentialIssuer(credentials) });
  let endpoint = '';
  const lambda = withLambda
    ? new LambdaService({ trace, endpoint: () => endpoint, asyncRetryDelaysMs: [50, 100] })
    : undefined;
  const services: Service[] = lambda ? [lambda, service] : [service];
  let port = 0;
  const listener = await listenEdge(
    createEdgeHandler({ services, credentials, trace, allowedOrigins: [WORKBOOK_ORIGIN], ...(roles ? { roles } : {}) }),
    {
      port: 0,
      host: '127.0.0.1',
    },
  );
  port = listener.port;
  endpoint = `http://127.0.0.1:${port}`;
  const config = { endpoint, region: 'us-east-1', maxAttempts: 1 };
  const cognito = new CognitoIdentityClient({ ...config, credentials: TEST_CREDENTIALS });
  const app = new CognitoIdentityClient({
    ...config,
    // An app has no credentials; the SDK signs nothing for the public operations.
    credentials: () => Promise.reject(new Error('the app has no AWS credentials')),
  });
  const lambdaAdmin = lambda ? new LambdaClient({ ...config, credentials: TEST_CREDENTIALS }) : undefined;
  return {
    endpoint,
    trace,
    service,
    credentials,
    cognito,
    app,
    lambda,
    lambdaAdmin,
    events: (type) => seen.filter((event) => event.type === type),
    async close() {
      cognito.destroy();
      app.destroy();
      lambdaAdmin?.destroy();
      await listener.close();
      for (const started of services) await started.close?.();
    },
  };
}

let poolCounter = 0;
/** A pool name unique within the test run. */
export function poolName(prefix = 'pool'): string {
  poolCounter += 1;
  return `${prefix}_${process.pid}_${poolCounter}`;
}

/** Creates a pool (unauthenticated identities allowed unless said otherwise) and attaches roles. */
export async function createPool(
  client: CognitoIdentityClient,
  {
    roles = { unauthenticated: UNAUTH_ROLE, authenticated: AUTH_ROLE },
    ...input
  }: Partial<CreateIdentityPoolCommandInput> & { readonly roles?: Record<string, string> | null } = {},
): Promise<string> {
  const pool = await client.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: poolName(), AllowUnauthenticatedIdentities: true, ...input }),
  );
  const IdentityPoolId = pool.IdentityPoolId!;
  if (roles !== null) await client.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: roles }));
  return IdentityPoolId;
}

/** The Cognito Identity error a command fails with (fails the test when it succeeds). */
export async function failure(promise: Promise<unknown>): Promise<CognitoIdentityServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CognitoIdentityServiceException)) {
    throw new Error(`expected a Cognito Identity error, got ${String(error)}`);
  }
  return error;
}

/** The trust policy CDK's IdentityPool gives its roles: Cognito tokens of this pool, of this kind. */
export const cognitoTrust = (pool: string, amr: 'unauthenticated' | 'authenticated') => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': pool },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
      },
    },
  ],
});
