import { type Action, integrationOutput, json, requireApi, requireIntegration } from '../context.ts';

/** GetIntegration (GET /v2/apis/{ApiId}/integrations/{IntegrationId}). */
export const getIntegration: Action = (context, { params, requestId }) => {
  const api = requireApi(context, params.ApiId);
  return json(200, integrationOutput(requireIntegration(context, api, params.IntegrationId)), requestId);
};
