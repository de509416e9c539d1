import { type IamAction, policyXml } from '../context.ts';
import { requirePolicy } from './policies.ts';

export const getPolicy: IamAction = ({ store }, params) => {
  const policy = requirePolicy(store, params.get('PolicyArn')!);
  return { Policy: policyXml(policy, store.attachmentCount(policy.Arn)) };
};
