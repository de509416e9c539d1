import { type IamAction, requireRole } from '../context.ts';

export const updateAssumeRolePolicy: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  const document = params.get('PolicyDocument')!;
  context.store.document(document, 'trust');
  role.AssumeRolePolicyDocument = document;
  context.store.putRole(role);
  return undefined;
};
