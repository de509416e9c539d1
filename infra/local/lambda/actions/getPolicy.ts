import { type Action, findFunction, json } from '../context.ts';
import { LambdaError } from '../errors.ts';

/** GetPolicy: GET /2015-03-31/functions/{FunctionName}/policy → `{ Policy, RevisionId }`. */
export const getPolicy: Action = async (context, request) => {
  const record = findFunction(context, request);
  if (record.policy.length === 0) {
    throw new LambdaError('ResourceNotFoundException', 'The resource you requested does not exist.');
  }
  const policy = { Version: '2012-10-17', Id: 'default', Statement: record.policy };
  return json(200, { Policy: JSON.stringify(policy), RevisionId: record.config.RevisionId }, request.requestId);
};
