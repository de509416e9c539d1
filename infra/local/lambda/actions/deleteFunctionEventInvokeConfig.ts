import type { Action } from '../context.ts';
import { configTarget, noConfig } from '../event-invoke-config.ts';

/** DeleteFunctionEventInvokeConfig: DELETE /2019-09-25/functions/{FunctionName}/event-invoke-config → 204. */
export const deleteFunctionEventInvokeConfig: Action = async (context, request) => {
  const { record, key, arn } = configTarget(context, request);
  const { [key]: current, ...rest } = record.eventInvokeConfigs ?? {};
  if (current === undefined) throw noConfig(arn);
  context.store.put({ ...record, eventInvokeConfigs: rest });
  return { status: 204, headers: { 'x-amzn-requestid': request.requestId } };
};
