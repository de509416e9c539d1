import { type Action, json, requireApi, requireRoute, routeOutput } from '../context.ts';
import { parseRouteKey } from '../route-key.ts';
import { type Rules, validate } from '../validation.ts';
import { checkRouteKeyFree, checkTarget, ROUTE_RULES } from './createRoute.ts';

const RULES: Rules = { ...ROUTE_RULES, routeKey: { type: 'string' } };

/** UpdateRoute (PATCH /v2/apis/{ApiId}/routes/{RouteId}): route key and target. */
export const updateRoute: Action = (context, { params, body, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const route = requireRoute(context, api, params.RouteId);
  validate(body, RULES);
  if (typeof body.routeKey === 'string') {
    parseRouteKey(body.routeKey);
    checkRouteKeyFree(api, body.routeKey, route.routeId);
    route.routeKey = body.routeKey;
  }
  if (body.target !== undefined) {
    checkTarget(api, body.target);
    route.target = body.target as string;
  }
  context.store.put(api);
  return json(200, routeOutput(route), requestId);
};
