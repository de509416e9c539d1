import { type Action, apiOutput, json, requireApi } from '../context.ts';

/** GetApi (GET /v2/apis/{ApiId}). */
export const getApi: Action = (context, { params, requestId }) =>
  json(200, apiOutput(context, requireApi(context, params.ApiId)), requestId);
