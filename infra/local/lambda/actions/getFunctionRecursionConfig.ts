import { type Action, findFunction, json } from '../context.ts';

/** GetFunctionRecursionConfig: GET /2024-08-31/functions/{FunctionName}/recursion-config → `Terminate` unless allowed. */
export const getFunctionRecursionConfig: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  return json(200, { RecursiveLoop: record.recursiveLoop ?? 'Terminate' }, request.requestId);
};
