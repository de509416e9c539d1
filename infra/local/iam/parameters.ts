import { refused, type ServiceParameters, supported } from '../shared/parameters.ts';

const PAGE = ['Marker', 'MaxItems'] as const;
const NO_TAGS = 'IAM tags are not modelled';
const NO_BOUNDARIES = 'permissions boundaries are not modelled';

/** IAM's request parameters (API reference), per implemented action. */
export const IAM_PARAMETERS: ServiceParameters = {
  AttachRolePolicy: supported('RoleName', 'PolicyArn'),
  CreatePolicy: { ...supported('PolicyName', 'Path', 'PolicyDocument', 'Description'), Tags: refused(NO_TAGS) },
  CreateRole: {
    ...supported('Path', 'RoleName', 'AssumeRolePolicyDocument', 'Description', 'MaxSessionDuration'),
    PermissionsBoundary: refused(NO_BOUNDARIES),
    Tags: refused(NO_TAGS),
  },
  DeletePolicy: supported('PolicyArn'),
  DeleteRole: supported('RoleName'),
  DeleteRolePolicy: supported('RoleName', 'PolicyName'),
  DetachRolePolicy: supported('RoleName', 'PolicyArn'),
  GetPolicy: supported('PolicyArn'),
  GetPolicyVersion: supported('PolicyArn', 'VersionId'),
  GetRole: supported('RoleName'),
  GetRolePolicy: supported('RoleName', 'PolicyName'),
  ListAttachedRolePolicies: supported('RoleName', 'PathPrefix', ...PAGE),
  ListPolicies: {
    ...supported('Scope', 'OnlyAttached', 'PathPrefix', ...PAGE),
    PolicyUsageFilter: refused(NO_BOUNDARIES),
  },
  ListRolePolicies: supported('RoleName', ...PAGE),
  ListRoles: supported('PathPrefix', ...PAGE),
  PutRolePolicy: supported('RoleName', 'PolicyName', 'PolicyDocument'),
  UpdateAssumeRolePolicy: supported('RoleName', 'PolicyDocument'),
};

const NO_SESSION_TAGS = 'session tags are not modelled';

/** STS's request parameters (API reference), per implemented action. */
export const STS_PARAMETERS: ServiceParameters = {
  AssumeRole: {
    ...supported('RoleArn', 'RoleSessionName', 'DurationSeconds', 'ExternalId'),
    Policy: refused('session policies are not modelled for AssumeRole'),
    PolicyArns: refused('managed session policies are not modelled'),
    Tags: refused(NO_SESSION_TAGS),
    TransitiveTagKeys: refused(NO_SESSION_TAGS),
    SerialNumber: refused('MFA is not modelled'),
    TokenCode: refused('MFA is not modelled'),
    SourceIdentity: refused('source identities are not modelled'),
    ProvidedContexts: refused('trusted contexts are not modelled'),
  },
  AssumeRoleWithWebIdentity: {
    ...supported('RoleArn', 'RoleSessionName', 'WebIdentityToken', 'Policy', 'DurationSeconds'),
    ProviderId: refused('OAuth 2.0 access tokens are not accepted: only Cognito OpenID tokens'),
    PolicyArns: refused('managed session policies are not modelled'),
  },
  GetCallerIdentity: {},
};

/** A query request's parameters by their API names: `Tags.member.1.Key` is `Tags`; `Action` and `Version` are the protocol's. */
export function queryMembers(params: URLSearchParams): [string, string][] {
  const members = new Map<string, string>();
  for (const [name, value] of params) {
    const member = name.split('.')[0]!;
    // Action and Version name the call; X-Amz-* are a presigned URL's signature, not the action's members.
    if (member === 'Action' || member === 'Version' || member.startsWith('X-Amz-')) continue;
    if (!members.has(member)) members.set(member, value);
  }
  return [...members];
}
