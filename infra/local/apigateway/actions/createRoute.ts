import { type Action, json, requireApi, routeOutput } from '../context.ts';
import { ApiGatewayError } from '../errors.ts';
import { parseRouteKey } from '../route-key.ts';
import { type ApiRecord, newId, type RouteRecord } from '../store.ts';
import { type Rules, validate } from '../validation.ts';

export const ROUTE_RULES: Rules = {
  routeKey: { type: 'string', required: true },
  target: { type: 'string' },
  authorizationType: { type: 'string', enum: ['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'] },
  apiKeyRequired: { type: 'boolean' },
  operationName: { type: 'string' },
};

/** A route's target names an integration of the same API: `integrations/{integrationId}`. */
export function checkTarget(api: ApiRecord, target: unknown): void {
  if (target === undefined) return;
  const id = /^integrations\/([a-z0-9]+)$/.exec(String(target))?.[1];
  if (id === undefined || !api.integrations.some((i) => i.integrationId === id)) {
    throw new ApiGatewayError(
      'BadRequestException',
      `Invalid target '${String(target)}': expected 'integrations/<integrationId>' naming an integration of this API.`,
    );
  }
}

export function checkRouteKeyFree(api: ApiRecord, routeKey: string, except?: string): void {
  if (api.routes.some((r) => r.routeKey === routeKey && r.routeId !== except)) {
    throw new ApiGatewayError('ConflictException', `Route with key ${routeKey} already exists for this API`);
  }
}

/** Validates a CreateRoute body and builds the route (not yet added to the API). */
export function newRoute(api: ApiRecord, body: Readonly<Record<string, unknown>>): RouteRecord {
  validate(body, ROUTE_RULES);
  const routeKey = body.routeKey as string;
  parseRouteKey(routeKey);
  checkTarget(api, body.target);
  checkRouteKeyFree(api, routeKey);
  const authorizationType = (body.authorizationType as string | undefined) ?? 'NONE';
  if (authorizationType !== 'NONE') {
    throw new ApiGatewayError(
      'NotImplemented',
      `Route authorization '${authorizationType}' is not supported by the local cloud.`,
    );
  }
  return {
    routeId: newId(7),
    routeKey,
    authorizationType,
    apiKeyRequired: (body.apiKeyRequired as boolean) ?? false,
    ...(body.target !== undefined ? { target: body.target as string } : {}),
    ...(body.operationName !== undefined ? { operationName: body.operationName as string } : {}),
  };
}

/** CreateRoute (POST /v2/apis/{ApiId}/routes). */
export const createRoute: Action = (context, { params, body, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const route = newRoute(api, body);
  api.routes.push(route);
  context.store.put(api);
  return json(201, routeOutput(route), requestId);
};
