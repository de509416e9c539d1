import { type Action, findFunction, json } from '../context.ts';
import { page } from '../paging.ts';

/** ListFunctionEventInvokeConfigs: GET /2019-09-25/functions/{FunctionName}/event-invoke-config/list → `{ FunctionEventInvokeConfigs }`. */
export const listFunctionEventInvokeConfigs: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const all = Object.values(record.eventInvokeConfigs ?? {});
  const { items, nextMarker } = page(all, request.query, (config) => config.FunctionArn);
  return json(
    200,
    { FunctionEventInvokeConfigs: items, ...(nextMarker ? { NextMarker: nextMarker } : {}) },
    request.requestId,
  );
};
