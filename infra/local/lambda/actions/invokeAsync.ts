import { type Action, json } from '../context.ts';
import { LambdaError } from '../errors.ts';

/** InvokeAsync's payload limit (API reference: 256 KB; Invoke takes up to 1 MB asynchronously). */
export const MAX_INVOKE_ASYNC_PAYLOAD_BYTES = 262_144;

/** The deprecated InvokeAsync API: POST /2014-11-13/functions/{FunctionName}/invoke-async → 202 `{ Status: 202 }`. */
export const invokeAsync: Action = async (context, request) => {
  if (request.body.length > MAX_INVOKE_ASYNC_PAYLOAD_BYTES) {
    throw new LambdaError(
      'RequestEntityTooLargeException',
      `Request must be smaller than ${MAX_INVOKE_ASYNC_PAYLOAD_BYTES} bytes for the InvokeAsync operation`,
    );
  }
  const result = await context.invoke(request.params.FunctionName ?? '', request.body, {
    invocationType: 'Event',
    requestId: request.requestId,
    source: 'api',
  });
  return json(202, { Status: 202 }, result.requestId);
};
