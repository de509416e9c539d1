import { type IamAction, requireRole } from '../context.ts';

export const putRolePolicy: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  const document = params.get('PolicyDocument')!;
  context.store.document(document, 'identity');
  role.inline[params.get('PolicyName')!] = document;
  context.store.putRole(role);
  return undefined;
};
