import {
  ACCOUNT_ID,
  type RequestAuthorization,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../edge/types.ts';
import type { TraceBus } from '../trace/bus.ts';
import { IAM_ACTIONS } from './actions/index.ts';
import { IAM_NAMESPACE } from './context.ts';
import { IamError } from './errors.ts';
import { queryParams } from './query.ts';
import { IamStore } from './store.ts';
import { validateParams } from './validation.ts';
import { queryResponse } from './xml.ts';

export interface IamServiceOptions {
  /** Roles and policies persist to `<dataDir>/iam/iam.json`. @default undefined — in memory */
  readonly dataDir?: string;
  readonly trace: TraceBus;
  /** Share a store (STS and the edge read the same roles). @default a new IamStore(dataDir) */
  readonly store?: IamStore;
}

const VERSION = '2010-05-08';

/**
 * IAM on the local cloud (query protocol, signing name `iam`): roles with trust policies, inline
 * and managed policies, attachments. The store doubles as the edge's RoleDirectory.
 */
export class IamService implements Service {
  readonly signingNames = ['iam'] as const;
  readonly store: IamStore;
  readonly #trace: TraceBus;

  constructor({ dataDir, trace, store = new IamStore(dataDir) }: IamServiceOptions) {
    this.store = store;
    this.#trace = trace;
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    let action = 'Unknown';
    let response: ServiceResponse;
    try {
      const params = queryParams(request);
      action = params.get('Action') ?? '';
      if (action === '') throw new IamError('MissingAction', 'Missing Action');
      const implementation = IAM_ACTIONS[action];
      if (implementation === undefined) {
        throw /^[A-Z][A-Za-z]+$/.test(action)
          ? new IamError('NotImplemented', `The local cloud does not implement IAM ${action} (yet).`)
          : new IamError('InvalidAction', `Could not find operation ${action} for version ${VERSION}`);
      }
      validateParams(action, params);
      const result = implementation(
        { store: this.store, caller: request.caller, requestId: request.requestId },
        params,
      );
      response = queryResponse(action, IAM_NAMESPACE, request.requestId, result);
    } catch (thrown) {
      const error = IamError.from(thrown);
      if (error.status >= 500 && error.code !== 'NotImplemented') {
        this.#trace.publish(
          'iam.error',
          { action, error: String((thrown as Error)?.stack ?? thrown) },
          request.requestId,
        );
      }
      response = error.toResponse(request.requestId, IAM_NAMESPACE);
    }
    this.#trace.publish('iam.request', { action, status: response.status }, request.requestId);
    return response;
  }

  /** IAM actions are `iam:<Action>` on the role or policy they name (Service Authorization Reference, IAM). */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    const params = queryParams(request);
    const action = params.get('Action') ?? '';
    if (IAM_ACTIONS[action] === undefined) return undefined;
    const roleName = params.get('RoleName');
    const policyArn = params.get('PolicyArn');
    let resource = '*';
    if (roleName !== null) {
      resource =
        this.store.role(roleName)?.Arn ?? `arn:aws:iam::${ACCOUNT_ID}:role${params.get('Path') ?? '/'}${roleName}`;
    } else if (policyArn !== null) {
      resource = policyArn;
    } else if (action === 'CreatePolicy') {
      resource = `arn:aws:iam::${ACCOUNT_ID}:policy${params.get('Path') ?? '/'}${params.get('PolicyName') ?? ''}`;
    }
    return { action: `iam:${action}`, resources: [resource] };
  }

  async close(): Promise<void> {}
}
