import { type Action, json, requireApi, stageOutput } from '../context.ts';
import { ApiGatewayError } from '../errors.ts';
import type { ApiRecord, StageRecord } from '../store.ts';
import { type Rules, validate } from '../validation.ts';

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
  };
}

/**
 * CreateStage (POST /v2/apis/{ApiId}/stages). `$default` serves the API at the root of its
 * endpoint; a named stage under `/{stageName}`. Deployments are not modelled: a stage serves the
 * API's current routes whether or not AutoDeploy is on.
 */
export const createStage: Action = (context, { params, body, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const stage = newStage(api, body);
  api.stages.push(stage);
  context.store.put(api);
  return json(201, stageOutput(stage), requestId);
};
