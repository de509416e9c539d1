import { type Action, json, requireApi, stageOutput } from '../context.ts';
import { ApiGatewayError } from '../errors.ts';
import type { ApiRecord, RouteSettings, StageRecord } from '../store.ts';
import { type Rules, validate } from '../validation.ts';

/**
 * The `RouteSettings` shape. HTTP APIs take throttling limits; data traces and logging levels are
 * for WebSocket APIs only (API reference), and detailed metrics go to CloudWatch, which the local
 * cloud does not model: each is refused by name when asked for.
 */
const ROUTE_SETTINGS_RULES: Rules = {
  throttlingBurstLimit: { type: 'integer', min: 0, max: 1_000_000 },
  throttlingRateLimit: { type: 'number', min: 0, max: 1_000_000 },
  detailedMetricsEnabled: { type: 'boolean' },
  dataTraceEnabled: { type: 'boolean' },
  loggingLevel: { type: 'string', enum: ['ERROR', 'INFO', 'OFF'] },
};

/** Validated route settings, or ApiGatewayError naming what the local cloud refuses. */
export function routeSettings(value: unknown, path: string): RouteSettings {
  validate({ [path]: value }, { [path]: { type: 'object', members: ROUTE_SETTINGS_RULES } });
  const settings = value as Record<string, unknown>;
  for (const name of Object.keys(settings)) {
    if (!(name in ROUTE_SETTINGS_RULES)) {
      throw new ApiGatewayError('BadRequestException', `Invalid member '${name}' of ${path}.`);
    }
  }
  const refuse = (name: string, why: string) =>
    new ApiGatewayError('BadRequestException', `The local cloud does not support ${path}.${name} (${why}).`);
  if (settings.detailedMetricsEnabled === true)
    throw refuse('detailedMetricsEnabled', 'CloudWatch metrics are not modelled');
  if (settings.dataTraceEnabled === true) throw refuse('dataTraceEnabled', 'WebSocket APIs only');
  if (settings.loggingLevel !== undefined && settings.loggingLevel !== 'OFF') {
    throw refuse('loggingLevel', 'WebSocket APIs only');
  }
  return {
    ...(settings.throttlingBurstLimit !== undefined
      ? { throttlingBurstLimit: settings.throttlingBurstLimit as number }
      : {}),
    ...(settings.throttlingRateLimit !== undefined
      ? { throttlingRateLimit: settings.throttlingRateLimit as number }
      : {}),
  };
}

/** A stage's `routeSettings` map (route key → settings). */
export function routeSettingsMap(value: unknown): Record<string, RouteSettings> {
  validate({ routeSettings: value }, { routeSettings: { type: 'object' } });
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([routeKey, settings]) => [
      routeKey,
      routeSettings(settings, `routeSettings.${routeKey}`),
    ]),
  );
}

export const STAGE_RULES: Rules = {
  stageName: { type: 'string', required: true, pattern: /^(\$default|[a-zA-Z0-9_-]{1,128})$/ },
  autoDeploy: { type: 'boolean' },
  description: { type: 'string', maxLength: 1024 },
  stageVariables: { type: 'map' },
  tags: { type: 'map' },
};

/** Validates a CreateStage body and builds the stage (not yet added to the API). */
export function newStage(api: ApiRecord, body: Readonly<Record<string, unknown>>): StageRecord {
  validate(body, STAGE_RULES);
  const stageName = body.stageName as string;
  if (api.stages.some((s) => s.stageName === stageName)) {
    throw new ApiGatewayError('ConflictException', `Stage already exists: ${stageName}`);
  }
  const now = new Date().toISOString();
  return {
    stageName,
    autoDeploy: (body.autoDeploy as boolean) ?? false,
    createdDate: now,
    lastUpdatedDate: now,
    tags: (body.tags as Record<string, string>) ?? {},
    ...(body.description !== undefined ? { description: body.description as string } : {}),
    ...(body.stageVariables !== undefined ? { stageVariables: body.stageVariables as Record<string, string> } : {}),
    ...(body.defaultRouteSettings !== undefined
      ? { defaultRouteSettings: routeSettings(body.defaultRouteSettings, 'defaultRouteSettings') }
      : {}),
    ...(body.routeSettings !== undefined ? { routeSettings: routeSettingsMap(body.routeSettings) } : {}),
  };
}

/**
 * CreateStage (POST /v2/apis/{ApiId}/stages). `$default` serves the API at the root of its
 * endpoint; a named stage under `/{stageName}`. Throttling limits are honoured (../throttle.ts). Deployments are not modelled: a stage serves the
 * API's current routes whether or not AutoDeploy is on.
 */
export const createStage: Action = (context, { params, body, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const stage = newStage(api, body);
  api.stages.push(stage);
  context.store.put(api);
  return json(201, stageOutput(stage), requestId);
};
