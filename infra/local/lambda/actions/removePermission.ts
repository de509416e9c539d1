import { randomUUID } from 'node:crypto';
import { type Action, findQualified } from '../context.ts';
import { LambdaError } from '../errors.ts';

/** RemovePermission: DELETE /2015-03-31/functions/{FunctionName}/policy/{StatementId}[?Qualifier=&RevisionId=] → 204. */
export const removePermission: Action = async (context, request) => {
  const target = findQualified(context, request);
  const { record } = target;
  const revisionId = request.query.get('RevisionId');
  if (revisionId !== null && revisionId !== record.config.RevisionId) {
    throw new LambdaError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
  const sid = request.params.StatementId ?? '';
  const ofTarget = (statement: { Sid: string; Resource: string }) =>
    statement.Sid === sid && statement.Resource === target.config.FunctionArn;
  if (!record.policy.some(ofTarget)) {
    throw new LambdaError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`);
  }
  context.store.put({
    ...record,
    policy: record.policy.filter((statement) => !ofTarget(statement)),
    config: { ...record.config, RevisionId: randomUUID() },
  });
  context.trace.publish(
    'lambda.permission.removed',
    { functionName: record.config.FunctionName, sid },
    request.requestId,
  );
  return { status: 204, headers: { 'x-amzn-requestid': request.requestId } };
};
