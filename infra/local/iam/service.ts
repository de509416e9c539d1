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
import { IAM_PARAMETERS } from './parameters.ts';
import { dispatchQuery, queryParams } from './query.ts';
import { IamStore } from './store.ts';

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
    return dispatchQuery(
      { name: 'iam', version: VERSION, namespace: IAM_NAMESPACE, trace: this.#trace, parameters: IAM_PARAMETERS },
      request,
      (action, params) =>
        IAM_ACTIONS[action]!({ store: this.store, caller: request.caller, requestId: request.requestId }, params),
      (action) => IAM_ACTIONS[action] !== undefined,
    );
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
