import { type Action, apiOutput, json, page } from '../context.ts';

/** GetApis (GET /v2/apis): `items` and, when there are more, `nextToken`. */
export const getApis: Action = (context, { query, requestId }) => {
  const apis = context.store.list().map((api) => apiOutput(context, api));
  return json(200, page(apis, query), requestId);
};
