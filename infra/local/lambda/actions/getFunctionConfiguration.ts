import { type Action, findFunction, json } from '../context.ts';

/** GetFunctionConfiguration: GET /2015-03-31/functions/{FunctionName}/configuration. */
export const getFunctionConfiguration: Action = async (context, request) => {
  return json(200, findFunction(context, request).config, request.requestId);
};
