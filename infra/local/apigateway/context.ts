import type { ServiceResponse } from '../edge/types.ts';
import { notFound } from './errors.ts';
import type { ApiRecord, ApiStore, IntegrationRecord, RouteRecord, StageRecord } from './store.ts';

/** What an action module may use of the API Gateway service. */
export interface ApiGatewayContext {
  readonly store: ApiStore;
  readonly region: string;
  readonly accountId: string;
  /** `http://{apiId}.execute-api.localhost:{port}`: the local stand-in for `https://{apiId}.execute-api.{region}.amazonaws.com`. */
  apiEndpoint(apiId: string): string;
}

export interface ActionRequest {
  /** Decoded path parameters (`ApiId`, `RouteId`, `IntegrationId`, `StageName`). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body (`{}` when empty). */
  readonly body: Readonly<Record<string, unknown>>;
  readonly requestId: string;
}

export type Action = (context: ApiGatewayContext, request: ActionRequest) => Promise<ServiceResponse> | ServiceResponse;

/** A REST-JSON answer. */
export function json(status: number, body: unknown, requestId: string): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export const noContent = (requestId: string): ServiceResponse => ({
  status: 204,
  headers: { 'x-amzn-requestid': requestId },
});

// AWS names the account and the API in its "Invalid … identifier specified" NotFoundException messages.
export function requireApi(context: ApiGatewayContext, apiId: string | undefined): ApiRecord {
  const api = apiId === undefined ? undefined : context.store.get(apiId);
  if (!api) throw notFound('Api', `Invalid API identifier specified ${context.accountId}:${apiId}`);
  return api;
}

export function requireRoute(context: ApiGatewayContext, api: ApiRecord, routeId: string | undefined): RouteRecord {
  const route = api.routes.find((r) => r.routeId === routeId);
  if (!route)
    throw notFound('Route', `Invalid Route identifier specified ${context.accountId}:${api.apiId}:${routeId}`);
  return route;
}

export function requireIntegration(
  context: ApiGatewayContext,
  api: ApiRecord,
  integrationId: string | undefined,
): IntegrationRecord {
  const integration = api.integrations.find((i) => i.integrationId === integrationId);
  if (!integration) {
    throw notFound(
      'Integration',
      `Invalid Integration identifier specified ${context.accountId}:${api.apiId}:${integrationId}`,
    );
  }
  return integration;
}

export function requireStage(context: ApiGatewayContext, api: ApiRecord, stageName: string | undefined): StageRecord {
  const stage = api.stages.find((s) => s.stageName === stageName);
  if (!stage)
    throw notFound('Stage', `Invalid stage identifier specified ${context.accountId}:${api.apiId}:${stageName}`);
  return stage;
}

/** The `Api` shape on the wire. */
export function apiOutput(context: ApiGatewayContext, api: ApiRecord): Record<string, unknown> {
  const { routes: _routes, integrations: _integrations, stages: _stages, ...fields } = api;
  return { ...fields, apiEndpoint: context.apiEndpoint(api.apiId) };
}

export const routeOutput = (route: RouteRecord): Record<string, unknown> => ({ ...route });
export const integrationOutput = (integration: IntegrationRecord): Record<string, unknown> => ({ ...integration });
export const stageOutput = (stage: StageRecord): Record<string, unknown> => ({
  ...stage,
  defaultRouteSettings: { detailedMetricsEnabled: false, ...stage.defaultRouteSettings },
  routeSettings: Object.fromEntries(
    Object.entries(stage.routeSettings ?? {}).map(([key, settings]) => [
      key,
      { detailedMetricsEnabled: false, ...settings },
    ]),
  ),
  stageVariables: stage.stageVariables ?? {},
});

/** `GetApis`-style paging: `maxResults` (a string on the wire) and an opaque `nextToken` (the next index). */
export function page<T>(items: readonly T[], query: URLSearchParams): { items: T[]; nextToken?: string } {
  const start = Number(query.get('nextToken') ?? '0') || 0;
  const max = Number(query.get('maxResults') ?? '') || items.length || 1;
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? String(start + max) : undefined;
  return { items: slice, ...(next !== undefined ? { nextToken: next } : {}) };
}
