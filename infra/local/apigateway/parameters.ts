import { refused, type ServiceParameters, supported } from '../shared/parameters.ts';

const WEBSOCKET_ONLY = 'WebSocket APIs only; the local cloud models HTTP APIs';
const NO_MAPPING = 'parameter mapping is not modelled';
const NO_AUTHORIZERS = 'route authorizers are not modelled';
const PAGE = ['MaxResults', 'NextToken'] as const;
const INTEGRATION_REFUSALS = {
  ConnectionId: refused('VPC links are not modelled'),
  ConnectionType: refused('VPC links are not modelled', ['INTERNET']),
  ContentHandlingStrategy: refused(WEBSOCKET_ONLY),
  CredentialsArn: refused('integration credentials are not modelled: Lambda permissions decide'),
  PassthroughBehavior: refused(WEBSOCKET_ONLY),
  RequestParameters: refused(NO_MAPPING),
  RequestTemplates: refused(WEBSOCKET_ONLY),
  ResponseParameters: refused(NO_MAPPING),
  TemplateSelectionExpression: refused(WEBSOCKET_ONLY),
  TlsConfig: refused('private integrations are not modelled'),
};
const INTEGRATION = [
  'ApiId',
  'Description',
  'IntegrationMethod',
  'IntegrationSubtype',
  'IntegrationType',
  'IntegrationUri',
  'PayloadFormatVersion',
  'TimeoutInMillis',
] as const;
const ROUTE_REFUSALS = {
  AuthorizationScopes: refused(NO_AUTHORIZERS),
  AuthorizerId: refused(NO_AUTHORIZERS),
  ModelSelectionExpression: refused(WEBSOCKET_ONLY),
  RequestModels: refused(WEBSOCKET_ONLY),
  RequestParameters: refused(NO_MAPPING),
  RouteResponseSelectionExpression: refused(WEBSOCKET_ONLY),
};
const API_REFUSALS = {
  CredentialsArn: refused('quick-create integration credentials are not modelled'),
  DisableSchemaValidation: refused(WEBSOCKET_ONLY),
  IpAddressType: refused('IP address types are not modelled'),
};
const STAGE_REFUSALS = {
  AccessLogSettings: refused('access logs are not modelled'),
  ClientCertificateId: refused(WEBSOCKET_ONLY),
  DeploymentId: refused('deployments are not modelled: stages deploy automatically'),
};

/**
 * API Gateway V2's request members (API reference; the path's, the query's and the body's), per
 * implemented operation. Values the HTTP API subset refuses (a WEBSOCKET protocol, an HTTP_PROXY
 * integration, a route authorization other than NONE) are refused by the actions themselves.
 */
export const APIGATEWAY_PARAMETERS: ServiceParameters = {
  CreateApi: {
    ...supported(
      'ApiKeySelectionExpression',
      'CorsConfiguration',
      'Description',
      'DisableExecuteApiEndpoint',
      'Name',
      'ProtocolType',
      'RouteKey',
      'RouteSelectionExpression',
      'Tags',
      'Target',
      'Version',
    ),
    ...API_REFUSALS,
  },
  UpdateApi: {
    ...supported('ApiId', 'CorsConfiguration', 'Description', 'DisableExecuteApiEndpoint', 'Name', 'Version'),
    ...API_REFUSALS,
    ApiKeySelectionExpression: refused('API keys are not modelled'),
    RouteKey: refused('the quick-create route is set by CreateApi only'),
    RouteSelectionExpression: refused('an HTTP API routes by method and path'),
    Target: refused('the quick-create route is set by CreateApi only'),
  },
  CreateIntegration: { ...supported(...INTEGRATION), ...INTEGRATION_REFUSALS },
  UpdateIntegration: { ...supported(...INTEGRATION, 'IntegrationId'), ...INTEGRATION_REFUSALS },
  CreateRoute: {
    ...supported('ApiId', 'ApiKeyRequired', 'AuthorizationType', 'OperationName', 'RouteKey', 'Target'),
    ...ROUTE_REFUSALS,
  },
  UpdateRoute: {
    ...supported('ApiId', 'RouteId', 'RouteKey', 'Target'),
    ...ROUTE_REFUSALS,
    ApiKeyRequired: refused('API keys are not modelled'),
    AuthorizationType: refused(NO_AUTHORIZERS, ['NONE']),
    OperationName: refused('UpdateRoute changes the route key and target only'),
  },
  CreateStage: {
    ...supported(
      'ApiId',
      'AutoDeploy',
      'DefaultRouteSettings',
      'Description',
      'RouteSettings',
      'StageName',
      'StageVariables',
      'Tags',
    ),
    ...STAGE_REFUSALS,
  },
  UpdateStage: {
    ...supported(
      'ApiId',
      'AutoDeploy',
      'DefaultRouteSettings',
      'Description',
      'RouteSettings',
      'StageName',
      'StageVariables',
    ),
    ...STAGE_REFUSALS,
  },
  DeleteApi: supported('ApiId'),
  DeleteCorsConfiguration: supported('ApiId'),
  DeleteIntegration: supported('ApiId', 'IntegrationId'),
  DeleteRoute: supported('ApiId', 'RouteId'),
  DeleteStage: supported('ApiId', 'StageName'),
  GetApi: supported('ApiId'),
  GetApis: supported(...PAGE),
  GetIntegration: supported('ApiId', 'IntegrationId'),
  GetIntegrations: supported('ApiId', ...PAGE),
  GetRoute: supported('ApiId', 'RouteId'),
  GetRoutes: supported('ApiId', ...PAGE),
  GetStage: supported('ApiId', 'StageName'),
  GetStages: supported('ApiId', ...PAGE),
};
