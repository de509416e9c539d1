import type { CredentialIssuer } from '../../edge/credentials.ts';
import type { RequestAuthorization, Service, ServiceRequest, ServiceResponse } from '../../edge/types.ts';
import type { TraceBus } from '../../trace/bus.ts';
import { dispatchQuery } from '../query.ts';
import type { IamStore } from '../store.ts';
import { assumeRole } from './actions/assumeRole.ts';
import { getCallerIdentity } from './actions/getCallerIdentity.ts';
import { STS_NAMESPACE, type StsAction } from './context.ts';

export interface StsServiceOptions {
  readonly trace: TraceBus;
  /** The IAM store whose roles may be assumed (IamService.store). */
  readonly store: IamStore;
  /** Issues the temporary credentials into the edge's credential store. */
  readonly issuer: CredentialIssuer;
}

/** The implemented STS actions; the rest answer NotImplemented by name. */
const STS_ACTIONS: Readonly<Record<string, StsAction>> = {
  AssumeRole: assumeRole,
  GetCallerIdentity: getCallerIdentity,
};

/** STS on the local cloud (query protocol, signing name `sts`): GetCallerIdentity and AssumeRole. */
export class StsService implements Service {
  readonly signingNames = ['sts'] as const;
  readonly #trace: TraceBus;
  readonly #store: IamStore;
  readonly #issuer: CredentialIssuer;

  constructor({ trace, store, issuer }: StsServiceOptions) {
    this.#trace = trace;
    this.#store = store;
    this.#issuer = issuer;
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    return dispatchQuery(
      { name: 'sts', version: '2011-06-15', namespace: STS_NAMESPACE, trace: this.#trace },
      request,
      (action, params) => {
        const context = {
          store: this.#store,
          issuer: this.#issuer,
          caller: request.caller,
          requestId: request.requestId,
        };
        return STS_ACTIONS[action]!(context, params);
      },
      (action) => STS_ACTIONS[action] !== undefined,
    );
  }

  /**
   * None at the edge: GetCallerIdentity needs no permission, and AssumeRole weighs the role's trust
   * policy together with the caller's policies itself (see actions/assumeRole.ts).
   */
  authorization(_request: ServiceRequest): RequestAuthorization | undefined {
    return undefined;
  }

  async close(): Promise<void> {}
}
