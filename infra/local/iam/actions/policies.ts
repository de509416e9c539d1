import { IamError } from '../errors.ts';
import type { IamStore, ManagedPolicyRecord } from '../store.ts';

/** The managed policy with this ARN, or IAM's NoSuchEntity. */
export function requirePolicy(store: IamStore, arn: string): ManagedPolicyRecord {
  const policy = store.policy(arn);
  if (policy === undefined) throw new IamError('NoSuchEntity', `Policy ${arn} was not found.`);
  return policy;
}
