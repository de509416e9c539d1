import type { IamAction } from '../context.ts';
import { IamError } from '../errors.ts';
import { requirePolicy } from './policies.ts';

export const deletePolicy: IamAction = ({ store }, params) => {
  const policy = requirePolicy(store, params.get('PolicyArn')!);
  if (policy.awsManaged)
    throw new IamError('InvalidInput', `${policy.Arn} is an AWS managed policy and cannot be deleted.`);
  if (store.attachmentCount(policy.Arn) > 0)
    throw new IamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
  store.deletePolicy(policy.Arn);
  return undefined;
};
