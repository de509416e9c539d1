import { type Action, json } from '../context.ts';
import { configTarget, noConfig } from '../event-invoke-config.ts';

/** GetFunctionEventInvokeConfig: GET /2019-09-25/functions/{FunctionName}/event-invoke-config[?Qualifier=]. */
export const getFunctionEventInvokeConfig: Action = async (context, request) => {
  const { record, key, arn } = configTarget(context, request);
  const config = record.eventInvokeConfigs?.[key];
  if (config === undefined) throw noConfig(arn);
  return json(200, config, request.requestId);
};
