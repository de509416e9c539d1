import { type Action, json, page, requireApi, routeOutput } from '../context.ts';

/** GetRoutes (GET /v2/apis/{ApiId}/routes). */
export const getRoutes: Action = (context, { params, query, requestId }) => {
  const api = requireApi(context, params.ApiId);
  return json(200, page(api.routes.map(routeOutput), query), requestId);
};
