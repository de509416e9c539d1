import { type Action, apiOutput, json } from '../context.ts';
import { ApiGatewayError } from '../errors.ts';
import { DEFAULT_ROUTE } from '../route-key.ts';
import { type ApiRecord, type CorsConfiguration, newId } from '../store.ts';
import { API_NAME, CORS_RULES, type Rules, validate } from '../validation.ts';
import { newIntegration } from './createIntegration.ts';
import { newRoute } from './createRoute.ts';
import { newStage } from './createStage.ts';

const RULES: Rules = {
  name: { ...API_NAME, required: true },
  protocolType: { type: 'string', required: true, enum: ['HTTP', 'WEBSOCKET'] },
  corsConfiguration: { type: 'object', members: CORS_RULES },
  description: { type: 'string', maxLength: 1024 },
  disableExecuteApiEndpoint: { type: 'boolean' },
  routeKey: { type: 'string' },
  routeSelectionExpression: { type: 'string' },
  apiKeySelectionExpression: { type: 'string' },
  target: { type: 'string' },
  tags: { type: 'map' },
  version: { type: 'string', maxLength: 64 },
};

/** Checks a CORS configuration as CreateApi/UpdateApi do. */
export function checkCors(cors: CorsConfiguration | undefined): void {
  if (cors?.allowCredentials && (cors.allowOrigins ?? []).includes('*')) {
    throw new ApiGatewayError(
      'BadRequestException',
      "allow-credentials is not supported when allow-origins is '*'. Name the origins that may send credentials.",
    );
  }
}

/**
 * CreateApi (POST /v2/apis). With `target` it is a "quick create": API Gateway also creates an
 * AWS_PROXY integration (payload 2.0), a route for `routeKey` (default `$default`) and an
 * auto-deploying `$default` stage, all marked `apiGatewayManaged`.
 */
export const createApi: Action = (context, { body, requestId }) => {
  validate(body, RULES);
  if (body.protocolType === 'WEBSOCKET') {
    throw new ApiGatewayError('NotImplemented', 'The local cloud supports HTTP APIs only, not WebSocket APIs.');
  }
  if (body.routeKey !== undefined && body.target === undefined) {
    throw new ApiGatewayError('BadRequestException', 'RouteKey is only supported together with Target (quick create).');
  }
  const cors = body.corsConfiguration as CorsConfiguration | undefined;
  checkCors(cors);
  const api: ApiRecord = {
    apiId: newId(10),
    name: body.name as string,
    protocolType: 'HTTP',
    createdDate: new Date().toISOString(),
    ...(body.description !== undefined ? { description: body.description as string } : {}),
    ...(body.version !== undefined ? { version: body.version as string } : {}),
    ...(cors !== undefined ? { corsConfiguration: cors } : {}),
    routeSelectionExpression: (body.routeSelectionExpression as string) ?? '$request.method $request.path',
    apiKeySelectionExpression: (body.apiKeySelectionExpression as string) ?? '$request.header.x-api-key',
    disableExecuteApiEndpoint: (body.disableExecuteApiEndpoint as boolean) ?? false,
    tags: (body.tags as Record<string, string>) ?? {},
    routes: [],
    integrations: [],
    stages: [],
  };
  if (typeof body.target === 'string') {
    const integration = newIntegration(api, {
      integrationType: 'AWS_PROXY',
      integrationUri: body.target,
      payloadFormatVersion: '2.0',
    });
    integration.apiGatewayManaged = true;
    api.integrations.push(integration);
    const route = newRoute(api, {
      routeKey: (body.routeKey as string) ?? DEFAULT_ROUTE,
      target: `integrations/${integration.integrationId}`,
    });
    route.apiGatewayManaged = true;
    api.routes.push(route);
    const stage = newStage(api, { stageName: '$default', autoDeploy: true });
    stage.apiGatewayManaged = true;
    api.stages.push(stage);
  }
  context.store.put(api);
  return json(201, apiOutput(context, api), requestId);
};
