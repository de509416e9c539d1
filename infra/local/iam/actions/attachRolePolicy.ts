import { type IamAction, requireRole } from '../context.ts';
import { IamError } from '../errors.ts';

export const attachRolePolicy: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  const arn = params.get('PolicyArn')!;
  if (context.store.policy(arn) === undefined) {
    throw new IamError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  }
  if (!role.attached.includes(arn)) role.attached.push(arn);
  context.store.putRole(role);
  return undefined;
};
