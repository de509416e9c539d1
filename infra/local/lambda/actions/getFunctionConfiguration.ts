import { type Action, findQualified, json } from '../context.ts';

/**
 * GetFunctionConfiguration: GET /2015-03-31/functions/{FunctionName}/configuration[?Qualifier=].
 * A version or alias answers that version's configuration, its FunctionArn qualified as asked.
 */
export const getFunctionConfiguration: Action = async (context, request) => {
  return json(200, findQualified(context, request).config, request.requestId);
};
