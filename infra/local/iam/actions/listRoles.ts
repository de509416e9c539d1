import { type IamAction, paginate, roleXml } from '../context.ts';

export const listRoles: IamAction = ({ store }, params) => {
  const prefix = params.get('PathPrefix') ?? '/';
  const { page, IsTruncated, Marker } = paginate(
    store.roles().filter((role) => role.Path.startsWith(prefix)),
    params,
  );
  return { Roles: page.map(roleXml), IsTruncated, Marker };
};
