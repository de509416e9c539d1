import { type Action, findFunction } from '../context.ts';

/** DeleteFunction: DELETE /2015-03-31/functions/{FunctionName} → 204. */
export const deleteFunction: Action = async (context, request) => {
  const record = findFunction(context, request);
  context.store.delete(record.config.FunctionName);
  context.retire(record.config.FunctionName);
  context.trace.publish('lambda.function.deleted', { functionName: record.config.FunctionName }, request.requestId);
  return { status: 204, headers: { 'x-amzn-requestid': request.requestId } };
};
