import { type Action, findFunction, json } from '../context.ts';

/** GetFunctionConcurrency: GET /2019-09-30/functions/{FunctionName}/concurrency → `{}` when none is reserved. */
export const getFunctionConcurrency: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const reserved = record.reservedConcurrency;
  return json(200, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved }, request.requestId);
};
