import { randomUUID } from 'node:crypto';
import { type Action, findFunction } from '../context.ts';
import { LambdaError } from '../errors.ts';

/** RemovePermission: DELETE /2015-03-31/functions/{FunctionName}/policy/{StatementId} → 204. */
export const removePermission: Action = async (context, request) => {
  const record = findFunction(context, request);
  const sid = request.params.StatementId ?? '';
  if (!record.policy.some((statement) => statement.Sid === sid)) {
    throw new LambdaError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`);
  }
  context.store.put({
    ...record,
    policy: record.policy.filter((statement) => statement.Sid !== sid),
    config: { ...record.config, RevisionId: randomUUID() },
  });
  context.trace.publish(
    'lambda.permission.removed',
    { functionName: record.config.FunctionName, sid },
    request.requestId,
  );
  return { status: 204, headers: { 'x-amzn-requestid': request.requestId } };
};
