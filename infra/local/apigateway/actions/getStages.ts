import { type Action, json, page, requireApi, stageOutput } from '../context.ts';

/** GetStages (GET /v2/apis/{ApiId}/stages). */
export const getStages: Action = (context, { params, query, requestId }) => {
  const api = requireApi(context, params.ApiId);
  return json(200, page(api.stages.map(stageOutput), query), requestId);
};
