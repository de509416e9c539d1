import { type IamAction, requireRole } from '../context.ts';
import { IamError } from '../errors.ts';

export const deleteRole: IamAction = (context, params) => {
  const role = requireRole(context, params.get('RoleName')!);
  // IAM refuses to delete a role that still has policies (DeleteRole: DeleteConflict).
  if (role.attached.length > 0)
    throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  if (Object.keys(role.inline).length > 0)
    throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
  context.store.deleteRole(role.RoleName);
  return undefined;
};
