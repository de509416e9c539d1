import { type Action, noContent, requireApi } from '../context.ts';

/** DeleteApi (DELETE /v2/apis/{ApiId}): the API with its routes, integrations and stages. */
export const deleteApi: Action = (context, { params, requestId }) => {
  context.store.delete(requireApi(context, params.ApiId).apiId);
  return noContent(requestId);
};
