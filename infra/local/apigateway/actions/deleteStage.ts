import { type Action, noContent, requireApi, requireStage } from '../context.ts';

/** DeleteStage (DELETE /v2/apis/{ApiId}/stages/{StageName}). */
export const deleteStage: Action = (context, { params, requestId }) => {
  const api = requireApi(context, params.ApiId);
  const stage = requireStage(context, api, params.StageName);
  api.stages = api.stages.filter((s) => s !== stage);
  context.store.put(api);
  return noContent(requestId);
};
