import { type Action, json } from '../context.ts';
import { configTarget, eventInvokeConfigFrom } from '../event-invoke-config.ts';

/**
 * PutFunctionEventInvokeConfig: PUT /2019-09-25/functions/{FunctionName}/event-invoke-config[?Qualifier=].
 * Replaces the whole configuration: settings left out are removed (recorded:
 * test/recordings/aws/lambda-async-onfailure-default-retries.json — no MaximumRetryAttempts key).
 */
export const putFunctionEventInvokeConfig: Action = async (context, request) => {
  const { record, key, arn } = configTarget(context, request);
  const config = eventInvokeConfigFrom(request, record, arn);
  context.store.put({ ...record, eventInvokeConfigs: { ...record.eventInvokeConfigs, [key]: config } });
  return json(200, config, request.requestId);
};
