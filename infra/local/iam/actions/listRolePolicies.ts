import { type IamAction, paginate, requireRole } from '../context.ts';

export const listRolePolicies: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  const { page, IsTruncated, Marker } = paginate(Object.keys(role.inline).sort(), params);
  return { PolicyNames: page, IsTruncated, Marker };
};
