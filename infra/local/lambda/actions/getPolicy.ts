import { type Action, findQualified, json } from '../context.ts';
import { LambdaError } from '../errors.ts';

/**
 * GetPolicy: GET /2015-03-31/functions/{FunctionName}/policy[?Qualifier=] → `{ Policy, RevisionId }`:
 * the statements of the function, or of the version or alias named.
 */
export const getPolicy: Action = async (context, request) => {
  const target = findQualified(context, request);
  const statements = target.record.policy.filter((statement) => statement.Resource === target.config.FunctionArn);
  if (statements.length === 0) {
    throw new LambdaError('ResourceNotFoundException', 'The resource you requested does not exist.');
  }
  const policy = { Version: '2012-10-17', Id: 'default', Statement: statements };
  return json(200, { Policy: JSON.stringify(policy), RevisionId: target.record.config.RevisionId }, request.requestId);
};
