import { type Action, findFunction, json } from '../context.ts';
import { parseJsonBody, validate } from '../validation.ts';

/**
 * PutFunctionRecursionConfig: PUT /2024-08-31/functions/{FunctionName}/recursion-config with
 * `{ RecursiveLoop: 'Allow' | 'Terminate' }`. `Terminate` (every function's default) stops an
 * invocation that would run the function a 17th time in one chain of requests; `Allow` lets the
 * chain go on (AWS Lambda Developer Guide, "Use Lambda recursive loop detection").
 */
export const putFunctionRecursionConfig: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const input = parseJsonBody(request.body);
  validate(input, { RecursiveLoop: { type: 'string', required: true, enum: ['Allow', 'Terminate'] } });
  const value = input.RecursiveLoop as 'Allow' | 'Terminate';
  context.store.put({ ...record, recursiveLoop: value });
  context.trace.publish(
    'lambda.recursion.configured',
    { functionName: record.config.FunctionName, recursiveLoop: value },
    request.requestId,
  );
  return json(200, { RecursiveLoop: value }, request.requestId);
};
