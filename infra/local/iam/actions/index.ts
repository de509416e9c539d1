import type { IamAction } from '../context.ts';
import { attachRolePolicy } from './attachRolePolicy.ts';
import { createPolicy } from './createPolicy.ts';
import { createRole } from './createRole.ts';
import { deletePolicy } from './deletePolicy.ts';
import { deleteRole } from './deleteRole.ts';
import { deleteRolePolicy } from './deleteRolePolicy.ts';
import { detachRolePolicy } from './detachRolePolicy.ts';
import { getPolicy } from './getPolicy.ts';
import { getPolicyVersion } from './getPolicyVersion.ts';
import { getRole } from './getRole.ts';
import { getRolePolicy } from './getRolePolicy.ts';
import { listAttachedRolePolicies } from './listAttachedRolePolicies.ts';
import { listPolicies } from './listPolicies.ts';
import { listRolePolicies } from './listRolePolicies.ts';
import { listRoles } from './listRoles.ts';
import { putRolePolicy } from './putRolePolicy.ts';
import { updateAssumeRolePolicy } from './updateAssumeRolePolicy.ts';

/** The implemented IAM actions (`Action=<name>`); anything else answers NotImplemented by name. */
export const IAM_ACTIONS: Readonly<Record<string, IamAction>> = {
  AttachRolePolicy: attachRolePolicy,
  CreatePolicy: createPolicy,
  CreateRole: createRole,
  DeletePolicy: deletePolicy,
  DeleteRole: deleteRole,
  DeleteRolePolicy: deleteRolePolicy,
  DetachRolePolicy: detachRolePolicy,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  GetRole: getRole,
  GetRolePolicy: getRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  ListPolicies: listPolicies,
  ListRolePolicies: listRolePolicies,
  ListRoles: listRoles,
  PutRolePolicy: putRolePolicy,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
};
