import { type Action, integrationOutput, json, requireApi, requireIntegration } from '../context.ts';
import { type Rules, validate } from '../validation.ts';
import { checkIntegrationUri, INTEGRATION_RULES } from './createIntegration.ts';

const RULES: Rules = { ...INTEGRATION_RULES, integrationType: { type: 'string', enum: ['AWS_PROXY'] } };

/** UpdateIntegration (PATCH /v2/apis/{ApiId}/integrations/{IntegrationId}): URI, payload format, timeout, description. */
export const updateIntegration: Action = (context, { params, body, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const integration = requireIntegration(context, api, params.IntegrationId);
  validate(body, RULES);
  if (body.integrationUri !== undefined) {
    checkIntegrationUri(body.integrationUri);
    integration.integrationUri = body.integrationUri as string;
  }
  if (body.payloadFormatVersion !== undefined) integration.payloadFormatVersion = body.payloadFormatVersion as string;
  if (body.timeoutInMillis !== undefined) integration.timeoutInMillis = body.timeoutInMillis as number;
  if (body.description !== undefined) integration.description = body.description as string;
  context.store.put(api);
  return json(200, integrationOutput(integration), requestId);
};
