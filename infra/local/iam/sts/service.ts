import type { CredentialIssuer } from '../../edge/credentials.ts';
import type { RequestAuthorization, Service, ServiceRequest, ServiceResponse } from '../../edge/types.ts';
import type { TraceBus } from '../../trace/bus.ts';
import { IamError } from '../errors.ts';
import { queryParams } from '../query.ts';
import type { IamStore } from '../store.ts';
import { validateParams } from '../validation.ts';
import { queryResponse } from '../xml.ts';
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
    let action = 'Unknown';
    let response: ServiceResponse;
    try {
      const params = queryParams(request);
      action = params.get('Action') ?? '';
      if (action === '') throw new IamError('MissingAction', 'Missing Action');
      const implementation = STS_ACTIONS[action];
      if (implementation === undefined) {
        throw /^[A-Z][A-Za-z]+$/.test(action)
          ? new IamError('NotImplemented', `The local cloud does not implement STS ${action} (yet).`)
          : new IamError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
      }
      validateParams(action, params);
      const context = {
        store: this.#store,
        issuer: this.#issuer,
        caller: request.caller,
        requestId: request.requestId,
      };
      response = queryResponse(action, STS_NAMESPACE, request.requestId, implementation(context, params));
    } catch (thrown) {
      const error = IamError.from(thrown);
      if (error.status >= 500 && error.code !== 'NotImplemented') {
        this.#trace.publish(
          'sts.error',
          { action, error: String((thrown as Error)?.stack ?? thrown) },
          request.requestId,
        );
      }
      response = error.toResponse(request.requestId, STS_NAMESPACE);
    }
    this.#trace.publish('sts.request', { action, status: response.status }, request.requestId);
    return response;
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
