import { type IamAction, paginate, requireRole } from '../context.ts';

export const listAttachedRolePolicies: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  const prefix = params.get('PathPrefix') ?? '/';
  const attached = role.attached
    .flatMap((arn) => context.store.policy(arn) ?? [])
    .filter((policy) => policy.Path.startsWith(prefix))
    .map((policy) => ({ PolicyName: policy.PolicyName, PolicyArn: policy.Arn }));
  const { page, IsTruncated, Marker } = paginate(attached, params);
  return { AttachedPolicies: page, IsTruncated, Marker };
};
