import type { Caller } from '../edge/types.ts';
import { IamError } from './errors.ts';
import type { IamStore, ManagedPolicyRecord, RoleRecord } from './store.ts';
import type { XmlStructure } from './xml.ts';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface IamContext {
  readonly store: IamStore;
  readonly caller: Caller;
  readonly requestId: string;
}

/** One IAM action: its parameters in, its `<…Result>` content out (undefined for actions without output). */
export type IamAction = (context: IamContext, params: URLSearchParams) => XmlStructure | undefined;

/** IAM returns policy documents URL-encoded (RFC 3986), as the IAM API reference notes for every document field. */
export const encodeDocument = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function roleXml(role: RoleRecord): XmlStructure {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: encodeDocument(role.AssumeRolePolicyDocument),
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
  };
}

export function policyXml(policy: ManagedPolicyRecord, attachmentCount: number, withDescription = true): XmlStructure {
  return {
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: withDescription ? policy.Description : undefined,
    CreateDate: policy.CreateDate,
    UpdateDate: policy.UpdateDate,
  };
}

export function requireRole(context: IamContext, name: string): RoleRecord {
  const role = context.store.role(name);
  if (role === undefined) throw new IamError('NoSuchEntity', `The role with name ${name} cannot be found.`);
  return role;
}

/** `Marker`/`MaxItems` paging as IAM's List* actions do it (the marker is opaque to callers). */
export function paginate<T>(
  items: readonly T[],
  params: URLSearchParams,
): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const start = params.has('Marker') ? Number(Buffer.from(params.get('Marker') ?? '', 'base64url').toString()) || 0 : 0;
  const max = Number(params.get('MaxItems') ?? 100);
  const page = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return {
    page,
    IsTruncated: truncated,
    Marker: truncated ? Buffer.from(String(start + max)).toString('base64url') : undefined,
  };
}
