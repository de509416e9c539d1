import { type Action, json, requireApi, requireStage, stageOutput } from '../context.ts';

/** GetStage (GET /v2/apis/{ApiId}/stages/{StageName}). */
export const getStage: Action = (context, { params, requestId }) => {
  const api = requireApi(context, params.ApiId);
  return json(200, stageOutput(requireStage(context, api, params.StageName)), requestId);
};
