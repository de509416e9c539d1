import { type Action, findFunction } from '../context.ts';
import { requireAlias } from '../versions.ts';

/** DeleteAlias: DELETE /2015-03-31/functions/{FunctionName}/aliases/{Name} → 204. */
export const deleteAlias: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const alias = requireAlias(record, context.region, request.params.Name ?? '');
  const { [alias.Name]: _config, ...configs } = record.eventInvokeConfigs ?? {};
  context.store.put({
    ...record,
    aliases: (record.aliases ?? []).filter((existing) => existing.Name !== alias.Name),
    // The alias's own permissions and async settings go with it.
    policy: record.policy.filter((statement) => statement.Resource !== alias.AliasArn),
    eventInvokeConfigs: configs,
  });
  context.trace.publish(
    'lambda.alias.deleted',
    { functionName: record.config.FunctionName, alias: alias.Name },
    request.requestId,
  );
  return { status: 204, headers: { 'x-amzn-requestid': request.requestId } };
};
