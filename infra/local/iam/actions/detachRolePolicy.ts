import { type IamAction, requireRole } from '../context.ts';
import { IamError } from '../errors.ts';

export const detachRolePolicy: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  const arn = params.get('PolicyArn')!;
  const index = role.attached.indexOf(arn);
  if (index === -1) throw new IamError('NoSuchEntity', `Policy ${arn} was not found.`);
  role.attached.splice(index, 1);
  context.store.putRole(role);
  return undefined;
};
