import { executeApiTarget } from '../../apigateway/execute.ts';
import type { CredentialIssuer } from '../../edge/credentials.ts';
import type { RequestAuthorization, RequestHead, Service, ServiceRequest, ServiceResponse } from '../../edge/types.ts';
import type { TraceBus } from '../../trace/bus.ts';
import { IamError } from '../errors.ts';
import { STS_PARAMETERS } from '../parameters.ts';
import { dispatchQuery, queryParams } from '../query.ts';
import type { IamStore } from '../store.ts';
import { assumeRole } from './actions/assumeRole.ts';
import { assumeRoleWithWebIdentity } from './actions/assumeRoleWithWebIdentity.ts';
import { getCallerIdentity } from './actions/getCallerIdentity.ts';
import { STS_NAMESPACE, type StsAction, type WebIdentityTokens } from './context.ts';

export interface StsServiceOptions {
  readonly trace: TraceBus;
  /** The IAM store whose roles may be assumed (IamService.store). */
  readonly store: IamStore;
  /** Issues the temporary credentials into the edge's credential store. */
  readonly issuer: CredentialIssuer;
  /** Verifies the Cognito OpenID tokens of AssumeRoleWithWebIdentity (CognitoIdentityService). */
  readonly webIdentity?: WebIdentityTokens;
}

/** The implemented STS actions; the rest answer NotImplemented by name. */
export const STS_ACTIONS: Readonly<Record<string, StsAction>> = {
  AssumeRole: assumeRole,
  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
  GetCallerIdentity: getCallerIdentity,
};

/** Actions AWS serves unsigned ("You do not need to use AWS credentials to call this operation"). */
const PUBLIC_ACTIONS = new Set(['AssumeRoleWithWebIdentity']);

/**
 * STS on the local cloud (query protocol, signing name `sts`): GetCallerIdentity, AssumeRole and
 * AssumeRoleWithWebIdentity (for Cognito OpenID tokens: the identity pools' basic flow).
 */
export class StsService implements Service {
  readonly signingNames = ['sts'] as const;
  readonly #trace: TraceBus;
  readonly #store: IamStore;
  readonly #issuer: CredentialIssuer;
  readonly #webIdentity: WebIdentityTokens | undefined;

  constructor({ trace, store, issuer, webIdentity }: StsServiceOptions) {
    this.#trace = trace;
    this.#store = store;
    this.#issuer = issuer;
    this.#webIdentity = webIdentity;
  }

  /** A mobile app in a browser calls AssumeRoleWithWebIdentity from its page: the edge answers CORS, as AWS does. */
  readonly anonymousCors = 'edge';

  /**
   * Unsigned query-protocol requests (a form POST or a GET with `Action` to `/`, not an HTTP API's
   * invoke URL) are STS's: its public action answers them, the others refuse them (see handle).
   */
  allowsAnonymous(head: RequestHead): boolean {
    if (head.rawPath !== '/' || head.headers['x-amz-target'] !== undefined || executeApiTarget(head) !== undefined) {
      return false;
    }
    if (head.method === 'GET') return PUBLIC_ACTIONS.has(head.query.get('Action') ?? '');
    return head.method === 'POST' && String(head.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    if (request.caller.anonymous && !PUBLIC_ACTIONS.has(queryParams(request).get('Action') ?? '')) {
      const action = queryParams(request).get('Action') ?? 'Unknown';
      const error = new IamError('MissingAuthenticationToken', 'Request is missing Authentication Token');
      this.#trace.publish('sts.request', { action, status: error.status }, request.requestId);
      return error.toResponse(request.requestId, STS_NAMESPACE);
    }
    return dispatchQuery(
      { name: 'sts', version: '2011-06-15', namespace: STS_NAMESPACE, trace: this.#trace, parameters: STS_PARAMETERS },
      request,
      (action, params) => {
        const context = {
          store: this.#store,
          issuer: this.#issuer,
          caller: request.caller,
          requestId: request.requestId,
          trace: this.#trace,
          ...(this.#webIdentity ? { webIdentity: this.#webIdentity } : {}),
        };
        return STS_ACTIONS[action]!(context, params);
      },
      (action) => STS_ACTIONS[action] !== undefined,
    );
  }

  /**
   * None at the edge: GetCallerIdentity needs no permission, AssumeRole weighs the role's trust
   * policy together with the caller's policies itself (see actions/assumeRole.ts), and
   * AssumeRoleWithWebIdentity is decided by the trust policy alone.
   */
  authorization(_request: ServiceRequest): RequestAuthorization | undefined {
    return undefined;
  }

  async close(): Promise<void> {}
}
