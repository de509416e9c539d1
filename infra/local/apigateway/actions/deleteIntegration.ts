import { type Action, noContent, requireApi, requireIntegration } from '../context.ts';
import { ApiGatewayError } from '../errors.ts';

/** DeleteIntegration (DELETE /v2/apis/{ApiId}/integrations/{IntegrationId}); refused while a route targets it. */
export const deleteIntegration: Action = (context, { params, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const integration = requireIntegration(context, api, params.IntegrationId);
  const user = api.routes.find((r) => r.target === `integrations/${integration.integrationId}`);
  if (user) {
    throw new ApiGatewayError(
      'ConflictException',
      `Cannot delete integration ${integration.integrationId}: route '${user.routeKey}' (${user.routeId}) targets it.`,
    );
  }
  api.integrations = api.integrations.filter((i) => i !== integration);
  context.store.put(api);
  return noContent(requestId);
};
