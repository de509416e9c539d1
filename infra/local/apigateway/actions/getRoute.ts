import { type Action, json, requireApi, requireRoute, routeOutput } from '../context.ts';

/** GetRoute (GET /v2/apis/{ApiId}/routes/{RouteId}). */
export const getRoute: Action = (context, { params, requestId }) => {
  const api = requireApi(context, params.ApiId);
  return json(200, routeOutput(requireRoute(context, api, params.RouteId)), requestId);
};
