import { type Action, integrationOutput, json, requireApi } from '../context.ts';
import { ApiGatewayError } from '../errors.ts';
import { lambdaArnOf } from '../integration-uri.ts';
import { type ApiRecord, type IntegrationRecord, newId } from '../store.ts';
import { type Rules, validate } from '../validation.ts';

/** HTTP APIs allow integration timeouts of 50 ms to 30 s (API Gateway quotas for HTTP APIs). */
export const INTEGRATION_RULES: Rules = {
  integrationType: { type: 'string', required: true, enum: ['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK'] },
  integrationUri: { type: 'string' },
  integrationMethod: { type: 'string' },
  integrationSubtype: { type: 'string' },
  payloadFormatVersion: { type: 'string', enum: ['1.0', '2.0'] },
  timeoutInMillis: { type: 'integer', min: 50, max: 30000 },
  description: { type: 'string', maxLength: 1024 },
};

export function checkIntegrationUri(uri: unknown): void {
  if (typeof uri !== 'string' || lambdaArnOf(uri) === undefined) {
    throw new ApiGatewayError(
      'BadRequestException',
      `Invalid integration URI specified: '${String(uri ?? '')}'. Use a Lambda function ARN or ` +
        "'arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function-arn>/invocations'.",
    );
  }
}

/** Validates a CreateIntegration body and builds the integration (not yet added to the API). */
export function newIntegration(_api: ApiRecord, body: Readonly<Record<string, unknown>>): IntegrationRecord {
  validate(body, INTEGRATION_RULES);
  if (body.integrationType !== 'AWS_PROXY' || body.integrationSubtype !== undefined) {
    throw new ApiGatewayError(
      'NotImplemented',
      `Integration type '${String(body.integrationSubtype ?? body.integrationType)}' is not supported by the local cloud: use AWS_PROXY to a Lambda function.`,
    );
  }
  checkIntegrationUri(body.integrationUri);
  // The SDK and CLI must name a payload format for Lambda proxy integrations ("Payload format version").
  if (body.payloadFormatVersion === undefined) {
    throw new ApiGatewayError(
      'BadRequestException',
      "PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs: '1.0' or '2.0'.",
    );
  }
  return {
    integrationId: newId(7),
    integrationType: 'AWS_PROXY',
    integrationUri: body.integrationUri as string,
    integrationMethod: (body.integrationMethod as string) ?? 'POST',
    payloadFormatVersion: body.payloadFormatVersion as string,
    timeoutInMillis: (body.timeoutInMillis as number) ?? 30000,
    connectionType: 'INTERNET',
    ...(body.description !== undefined ? { description: body.description as string } : {}),
  };
}

/** CreateIntegration (POST /v2/apis/{ApiId}/integrations). */
export const createIntegration: Action = (context, { params, body, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const integration = newIntegration(api, body);
  api.integrations.push(integration);
  context.store.put(api);
  return json(201, integrationOutput(integration), requestId);
};
