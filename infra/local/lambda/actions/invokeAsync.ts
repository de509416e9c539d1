import { type Action, json } from '../context.ts';

/** The deprecated InvokeAsync API: POST /2014-11-13/functions/{FunctionName}/invoke-async → 202 `{ Status: 202 }`. */
export const invokeAsync: Action = async (context, request) => {
  const result = await context.invoke(request.params.FunctionName ?? '', request.body, {
    invocationType: 'Event',
    requestId: request.requestId,
    source: 'api',
  });
  return json(202, { Status: 202 }, result.requestId);
};
