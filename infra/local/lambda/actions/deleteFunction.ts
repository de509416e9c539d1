import { type Action, findFunction, notFoundMessage, requestRef } from '../context.ts';
import { LambdaError } from '../errors.ts';
import { functionArn } from '../names.ts';
import { VERSION_NUMBER } from '../versions.ts';

/**
 * DeleteFunction: DELETE /2015-03-31/functions/{FunctionName}[?Qualifier=] → 204. With a version
 * number only that version goes; a version an alias points at stays (ResourceConflictException).
 */
export const deleteFunction: Action = async (context, request) => {
  const record = findFunction(context, request);
  const { qualifier } = requestRef(context, request);
  const name = record.config.FunctionName;
  if (qualifier === undefined) {
    context.store.delete(name);
    context.retire(name);
    context.trace.publish('lambda.function.deleted', { functionName: name }, request.requestId);
    return { status: 204, headers: { 'x-amzn-requestid': request.requestId } };
  }
  if (qualifier === '$LATEST') {
    throw new LambdaError(
      'InvalidParameterValueException',
      '$LATEST version cannot be deleted without deleting the function.',
    );
  }
  if (!VERSION_NUMBER.test(qualifier)) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `DeleteFunction deletes versions, not aliases: use DeleteAlias for '${qualifier}'.`,
    );
  }
  const users = (record.aliases ?? []).filter(
    (alias) =>
      alias.FunctionVersion === qualifier || alias.RoutingConfig?.AdditionalVersionWeights[qualifier] !== undefined,
  );
  if (users.length > 0) {
    throw new LambdaError(
      'ResourceConflictException',
      `Unable to delete version because the following aliases reference it: [${users.map((a) => a.Name).join(', ')}]`,
    );
  }
  if (!(record.versions ?? []).some((v) => v.config.Version === qualifier)) {
    throw new LambdaError('ResourceNotFoundException', notFoundMessage(context.region, name, qualifier));
  }
  // The version's own permissions and async settings go with it.
  const { [qualifier]: _config, ...configs } = record.eventInvokeConfigs ?? {};
  const versionArn = functionArn(context.region, name, qualifier);
  context.store.put({
    ...record,
    versions: (record.versions ?? []).filter((v) => v.config.Version !== qualifier),
    policy: record.policy.filter((statement) => statement.Resource !== versionArn),
    eventInvokeConfigs: configs,
  });
  context.retire(name);
  context.trace.publish('lambda.version.deleted', { functionName: name, version: qualifier }, request.requestId);
  return { status: 204, headers: { 'x-amzn-requestid': request.requestId } };
};
