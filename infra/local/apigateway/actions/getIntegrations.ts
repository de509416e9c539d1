import { type Action, integrationOutput, json, page, requireApi } from '../context.ts';

/** GetIntegrations (GET /v2/apis/{ApiId}/integrations). */
export const getIntegrations: Action = (context, { params, query, requestId }) => {
  const api = requireApi(context, params.ApiId);
  return json(200, page(api.integrations.map(integrationOutput), query), requestId);
};
