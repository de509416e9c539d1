import { type Action, json } from '../context.ts';
import { configTarget, eventInvokeConfigFrom, noConfig } from '../event-invoke-config.ts';

/** UpdateFunctionEventInvokeConfig: POST /2019-09-25/functions/{FunctionName}/event-invoke-config — changes only what it names. */
export const updateFunctionEventInvokeConfig: Action = async (context, request) => {
  const { record, key, arn } = configTarget(context, request);
  const current = record.eventInvokeConfigs?.[key];
  if (current === undefined) throw noConfig(arn);
  const config = eventInvokeConfigFrom(request, record, arn, current);
  context.store.put({ ...record, eventInvokeConfigs: { ...record.eventInvokeConfigs, [key]: config } });
  return json(200, config, request.requestId);
};
