import { type Action, findFunction, json } from '../context.ts';
import { aliasOut, requireAlias } from '../versions.ts';

/** GetAlias: GET /2015-03-31/functions/{FunctionName}/aliases/{Name}. */
export const getAlias: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  return json(200, aliasOut(requireAlias(record, context.region, request.params.Name ?? '')), request.requestId);
};
