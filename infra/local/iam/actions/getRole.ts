import { type IamAction, requireRole, roleXml } from '../context.ts';

export const getRole: IamAction = (context, params) => ({
  Role: roleXml(requireRole(context, params.get('RoleName')!)),
});
