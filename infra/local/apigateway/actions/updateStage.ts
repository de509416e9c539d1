import { type Action, json, requireApi, requireStage, stageOutput } from '../context.ts';
import { type Rules, validate } from '../validation.ts';
import { routeSettings, routeSettingsMap, STAGE_RULES } from './createStage.ts';

const RULES: Rules = { ...STAGE_RULES, stageName: { type: 'string' } };

/**
 * UpdateStage (PATCH /v2/apis/{ApiId}/stages/{StageName}): AutoDeploy, description, stage variables,
 * and throttling: the default route settings given replace the stage's; route settings are set per
 * route key given, the other routes' kept.
 */
export const updateStage: Action = (context, { params, body, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const stage = requireStage(context, api, params.StageName);
  validate(body, RULES);
  if (body.autoDeploy !== undefined) stage.autoDeploy = body.autoDeploy as boolean;
  if (body.description !== undefined) stage.description = body.description as string;
  if (body.stageVariables !== undefined) stage.stageVariables = body.stageVariables as Record<string, string>;
  if (body.defaultRouteSettings !== undefined) {
    stage.defaultRouteSettings = routeSettings(body.defaultRouteSettings, 'defaultRouteSettings');
  }
  if (body.routeSettings !== undefined) {
    stage.routeSettings = { ...stage.routeSettings, ...routeSettingsMap(body.routeSettings) };
  }
  stage.lastUpdatedDate = new Date().toISOString();
  context.store.put(api);
  return json(200, stageOutput(stage), requestId);
};
