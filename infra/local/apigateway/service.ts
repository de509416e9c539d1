import {
  ACCOUNT_ID,
  DEFAULT_REGION,
  type RequestAuthorization,
  type RequestHead,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../edge/types.ts';
import { checkJsonParameters } from '../shared/parameters.ts';
import type { TraceBus } from '../trace/bus.ts';
import { createApi } from './actions/createApi.ts';
import { createIntegration } from './actions/createIntegration.ts';
import { createRoute } from './actions/createRoute.ts';
import { createStage } from './actions/createStage.ts';
import { deleteApi } from './actions/deleteApi.ts';
import { deleteCorsConfiguration } from './actions/deleteCorsConfiguration.ts';
import { deleteIntegration } from './actions/deleteIntegration.ts';
import { deleteRoute } from './actions/deleteRoute.ts';
import { deleteStage } from './actions/deleteStage.ts';
import { getApi } from './actions/getApi.ts';
import { getApis } from './actions/getApis.ts';
import { getIntegration } from './actions/getIntegration.ts';
import { getIntegrations } from './actions/getIntegrations.ts';
import { getRoute } from './actions/getRoute.ts';
import { getRoutes } from './actions/getRoutes.ts';
import { getStage } from './actions/getStage.ts';
import { getStages } from './actions/getStages.ts';
import { updateApi } from './actions/updateApi.ts';
import { updateIntegration } from './actions/updateIntegration.ts';
import { updateRoute } from './actions/updateRoute.ts';
import { updateStage } from './actions/updateStage.ts';
import type { Action, ApiGatewayContext } from './context.ts';
import { ApiGatewayError } from './errors.ts';
import { executeApi, executeApiTarget, type LambdaInvoke } from './execute.ts';
import { OPERATIONS } from './operations.ts';
import { APIGATEWAY_PARAMETERS } from './parameters.ts';
import { ApiStore } from './store.ts';
import { RouteThrottle } from './throttle.ts';
import { parseJsonBody } from './validation.ts';

export { EXECUTE_API_PATH_PREFIX, type LambdaInvoke } from './execute.ts';

/** Every supported operation, by name (dispatched like dynalite's index.js); the rest of OPERATIONS is NotImplemented. */
export const ACTIONS: Readonly<Record<string, Action>> = {
  CreateApi: createApi,
  GetApi: getApi,
  GetApis: getApis,
  UpdateApi: updateApi,
  DeleteApi: deleteApi,
  DeleteCorsConfiguration: deleteCorsConfiguration,
  CreateRoute: createRoute,
  GetRoute: getRoute,
  GetRoutes: getRoutes,
  UpdateRoute: updateRoute,
  DeleteRoute: deleteRoute,
  CreateIntegration: createIntegration,
  GetIntegration: getIntegration,
  GetIntegrations: getIntegrations,
  UpdateIntegration: updateIntegration,
  DeleteIntegration: deleteIntegration,
  CreateStage: createStage,
  GetStage: getStage,
  GetStages: getStages,
  UpdateStage: updateStage,
  DeleteStage: deleteStage,
};

/** OPERATIONS' path templates as regular expressions with named groups. */
const ROUTES = OPERATIONS.map(([method, template, name]) => ({
  method,
  name,
  pattern: new RegExp(`^${template.replace(/\{([A-Za-z]+)\}/g, '(?<$1>[^/]+)')}$`),
}));

export interface ApiGatewayV2ServiceOptions {
  readonly trace: TraceBus;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** The Lambda service (a structural subset of LambdaService). */
  readonly lambda: LambdaInvoke;
  /** APIs persist to `<dataDir>/apigateway/apis.json`; undefined keeps them in memory. */
  readonly dataDir?: string;
  /** Longest wait for a Lambda integration; HTTP APIs allow 30 s at most. @default 30000 */
  readonly integrationTimeoutMs?: number;
  /** The edge's port, for `apiEndpoint`. @default () => 4566 */
  readonly endpointPort?: () => number;
  /**
   * Require a `lambda:InvokeFunction` grant to `apigateway.amazonaws.com` in the function's resource
   * policy (AddPermission), as AWS does — a missing grant is a 500. Only applies when `lambda` has
   * `allowsInvoke`. @default true
   */
  readonly requireInvokePermission?: boolean;
}

/**
 * API Gateway HTTP APIs on the local cloud. The control plane is the API Gateway V2 REST-JSON API
 * (`/v2/apis…`, signing name `apigateway`); the data plane is each API's invoke URL, served
 * unsigned as on AWS: `http://{apiId}.execute-api.localhost:{port}/…` or
 * `http://127.0.0.1:{port}/_aws/execute-api/{apiId}/…`, where a named stage adds `/{stageName}`
 * and `$default` serves the bare path.
 */
export class ApiGatewayV2Service implements Service {
  readonly signingNames = ['apigateway', 'execute-api'] as const;
  readonly store: ApiStore;
  readonly region: string;
  readonly #trace: TraceBus;
  readonly #lambda: LambdaInvoke;
  readonly #integrationTimeoutMs: number;
  readonly #endpointPort: () => number;
  readonly #requireInvokePermission: boolean;
  readonly #context: ApiGatewayContext;
  readonly #throttle = new RouteThrottle();

  constructor({
    trace,
    region = DEFAULT_REGION,
    lambda,
    dataDir,
    integrationTimeoutMs = 30_000,
    endpointPort = () => 4566,
    requireInvokePermission = true,
  }: ApiGatewayV2ServiceOptions) {
    this.#trace = trace;
    this.region = region;
    this.#lambda = lambda;
    this.#integrationTimeoutMs = integrationTimeoutMs;
    this.#endpointPort = endpointPort;
    this.#requireInvokePermission = requireInvokePermission;
    this.store = new ApiStore(dataDir);
    this.#context = {
      store: this.store,
      region,
      accountId: ACCOUNT_ID,
      apiEndpoint: (apiId) => this.apiEndpoint(apiId),
    };
  }

  /** The local invoke URL of an API (AWS: `https://{apiId}.execute-api.{region}.amazonaws.com`). */
  apiEndpoint(apiId: string): string {
    return `http://${apiId}.execute-api.localhost:${this.#endpointPort()}`;
  }

  /** An HTTP API's invoke URL is public on AWS: unsigned requests to it are this service's. */
  allowsAnonymous(head: RequestHead): boolean {
    return executeApiTarget(head) !== undefined;
  }

  /**
   * IAM for the control plane: `apigateway:{HTTP method}` on `arn:aws:apigateway:{region}::{path}`
   * with the path without `/v2` ("Control access to the API Gateway management API with IAM
   * permissions"). The data plane has no IAM check (routes are authorizationType NONE).
   */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    if (executeApiTarget(request) !== undefined) return undefined;
    return {
      action: `apigateway:${request.method}`,
      resources: [`arn:aws:apigateway:${request.region || this.region}::${request.rawPath.replace(/^\/v2/, '')}`],
    };
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    if (executeApiTarget(request) !== undefined) {
      try {
        return await executeApi(
          {
            store: this.store,
            lambda: this.#lambda,
            trace: this.#trace,
            region: this.region,
            accountId: ACCOUNT_ID,
            integrationTimeoutMs: this.#integrationTimeoutMs,
            requireInvokePermission: this.#requireInvokePermission,
            throttle: this.#throttle,
          },
          request,
        );
      } catch (error) {
        this.#trace.publish('apigateway.error', { message: (error as Error).message }, request.requestId);
        return {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"Internal Server Error"}',
        };
      }
    }
    let operation = 'Unknown';
    try {
      const found = this.#route(request);
      operation = found.name;
      const action = ACTIONS[found.name];
      if (action === undefined) {
        throw new ApiGatewayError(
          'NotImplemented',
          `The local cloud does not implement API Gateway ${found.name} (yet).`,
        );
      }
      const body = ['POST', 'PUT', 'PATCH'].includes(request.method) ? parseJsonBody(request.body) : {};
      // Members by their API reference names: the path's as they are, the query's and body's from lowerCamelCase.
      const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
      const members = {
        ...found.params,
        ...Object.fromEntries([...request.query].map(([name, value]) => [upperFirst(name), value])),
        ...Object.fromEntries(Object.entries(body).map(([name, value]) => [upperFirst(name), value])),
      };
      checkJsonParameters(
        APIGATEWAY_PARAMETERS,
        found.name,
        members,
        (message) => new ApiGatewayError('BadRequestException', message),
      );
      const response = await action(this.#context, {
        params: found.params,
        query: request.query,
        body,
        requestId: request.requestId,
      });
      this.#trace.publish('apigateway.api', { operation, status: response.status }, request.requestId);
      return response;
    } catch (error) {
      const apiError = ApiGatewayError.from(error);
      this.#trace.publish(
        'apigateway.api',
        { operation, status: apiError.status, error: apiError.code, message: apiError.message },
        request.requestId,
      );
      return apiError.toResponse(request.requestId);
    }
  }

  #route(request: ServiceRequest): { name: string; params: Record<string, string> } {
    for (const route of ROUTES) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.rawPath);
      if (!match) continue;
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(match.groups ?? {})) params[name] = decodeURIComponent(value);
      return { name: route.name, params };
    }
    throw new ApiGatewayError(
      'NotImplemented',
      `The local cloud does not know the API Gateway operation ${request.method} ${request.rawPath}.`,
    );
  }
}
