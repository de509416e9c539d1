import { type Action, findFunction } from '../context.ts';

/** DeleteFunctionConcurrency: DELETE /2017-10-31/functions/{FunctionName}/concurrency → 204. */
export const deleteFunctionConcurrency: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const { reservedConcurrency: _reserved, ...rest } = record;
  context.store.put(rest);
  return { status: 204, headers: { 'x-amzn-requestid': request.requestId } };
};
