import { encodeDocument, type IamAction, requireRole } from '../context.ts';
import { IamError } from '../errors.ts';

export const getRolePolicy: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  const name = params.get('PolicyName')!;
  const document = role.inline[name];
  if (document === undefined) throw new IamError('NoSuchEntity', `The role policy with name ${name} cannot be found.`);
  return { RoleName: role.RoleName, PolicyName: name, PolicyDocument: encodeDocument(document) };
};
