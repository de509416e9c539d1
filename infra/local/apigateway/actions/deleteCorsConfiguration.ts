import { type Action, noContent, requireApi } from '../context.ts';

/** DeleteCorsConfiguration (DELETE /v2/apis/{ApiId}/cors). */
export const deleteCorsConfiguration: Action = (context, { params, requestId }) => {
  const api = requireApi(context, params.ApiId);
  delete api.corsConfiguration;
  context.store.put(api);
  return noContent(requestId);
};
