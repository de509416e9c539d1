import { type Action, noContent, requireApi, requireRoute } from '../context.ts';

/** DeleteRoute (DELETE /v2/apis/{ApiId}/routes/{RouteId}). */
export const deleteRoute: Action = (context, { params, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const route = requireRoute(context, api, params.RouteId);
  api.routes = api.routes.filter((r) => r !== route);
  context.store.put(api);
  return noContent(requestId);
};
