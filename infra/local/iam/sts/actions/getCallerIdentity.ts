import { ACCOUNT_ID } from '../../../edge/types.ts';
import { nameFromArn, uniqueId } from '../../store.ts';
import type { StsAction } from '../context.ts';

/**
 * Who the credentials belong to. Needs no permission (STS API reference: "No permissions are
 * required to perform this operation"). The root's UserId is the account id; a role session's is
 * `<role id>:<session name>`.
 */
export const getCallerIdentity: StsAction = ({ caller, store }) => {
  const account = caller.accountId || ACCOUNT_ID;
  if (caller.roleArn === undefined) return { Arn: caller.principalArn, UserId: account, Account: account };
  const roleId = store.roleByArn(caller.roleArn)?.RoleId ?? uniqueId('AROA', caller.roleArn);
  return {
    Arn: caller.principalArn,
    UserId: `${roleId}:${nameFromArn(caller.principalArn)}`,
    Account: account,
  };
};
