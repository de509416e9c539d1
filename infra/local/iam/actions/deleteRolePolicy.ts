import { type IamAction, requireRole } from '../context.ts';
import { IamError } from '../errors.ts';

export const deleteRolePolicy: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  const name = params.get('PolicyName')!;
  if (role.inline[name] === undefined)
    throw new IamError('NoSuchEntity', `The role policy with name ${name} cannot be found.`);
  delete role.inline[name];
  context.store.putRole(role);
  return undefined;
};
