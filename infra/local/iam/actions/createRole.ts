import { ACCOUNT_ID } from '../../edge/types.ts';
import { type IamAction, roleXml } from '../context.ts';
import { IamError } from '../errors.ts';
import { uniqueId } from '../store.ts';

export const createRole: IamAction = ({ store }, params) => {
  const name = params.get('RoleName')!;
  const document = params.get('AssumeRolePolicyDocument')!;
  if (store.role(name) !== undefined)
    throw new IamError('EntityAlreadyExists', `Role with name ${name} already exists.`);
  store.document(document, 'trust'); // MalformedPolicyDocument before anything is stored
  const path = params.get('Path') ?? '/';
  const role = {
    RoleName: name,
    RoleId: uniqueId('AROA'),
    Arn: `arn:aws:iam::${ACCOUNT_ID}:role${path}${name}`,
    Path: path,
    CreateDate: new Date().toISOString(),
    AssumeRolePolicyDocument: document,
    Description: params.get('Description') ?? undefined,
    MaxSessionDuration: Number(params.get('MaxSessionDuration') ?? 3600),
    inline: {},
    attached: [],
  };
  store.putRole(role);
  return { Role: roleXml(role) };
};
