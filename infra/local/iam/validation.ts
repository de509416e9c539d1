import { IamError, validationError } from './errors.ts';

/** A parameter's constraints, as the IAM/STS API references list them (type, length/range, pattern). */
export interface ParamRule {
  readonly type?: 'string' | 'integer' | 'boolean';
  readonly required?: boolean;
  /** Length for strings, value for integers. */
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
}

const NAME = '[\\w+=,.@-]+';
const PATH = '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/';
const roleName: ParamRule = { required: true, min: 1, max: 64, pattern: NAME };
const policyName: ParamRule = { required: true, min: 1, max: 128, pattern: NAME };
const document: ParamRule = { required: true, min: 1, max: 131072 };
const arn: ParamRule = { required: true, min: 20, max: 2048 };
const path: ParamRule = { min: 1, max: 512, pattern: PATH };
const marker: ParamRule = { min: 1, max: 320 };
const maxItems: ParamRule = { type: 'integer', min: 1, max: 1000 };

/** Parameters of each supported action (IAM API reference, "Request Parameters"). */
export const VALIDATIONS: Readonly<Record<string, Readonly<Record<string, ParamRule>>>> = {
  CreateRole: {
    RoleName: roleName,
    AssumeRolePolicyDocument: document,
    Path: path,
    Description: { max: 1000 },
    MaxSessionDuration: { type: 'integer', min: 3600, max: 43200 },
  },
  GetRole: { RoleName: roleName },
  DeleteRole: { RoleName: roleName },
  ListRoles: { PathPrefix: path, Marker: marker, MaxItems: maxItems },
  UpdateAssumeRolePolicy: { RoleName: roleName, PolicyDocument: document },
  PutRolePolicy: { RoleName: roleName, PolicyName: policyName, PolicyDocument: document },
  GetRolePolicy: { RoleName: roleName, PolicyName: policyName },
  DeleteRolePolicy: { RoleName: roleName, PolicyName: policyName },
  ListRolePolicies: { RoleName: roleName, Marker: marker, MaxItems: maxItems },
  CreatePolicy: { PolicyName: policyName, PolicyDocument: document, Path: path, Description: { max: 1000 } },
  GetPolicy: { PolicyArn: arn },
  GetPolicyVersion: { PolicyArn: arn, VersionId: { required: true, pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' } },
  DeletePolicy: { PolicyArn: arn },
  ListPolicies: {
    Scope: { pattern: 'All|AWS|Local' },
    OnlyAttached: { type: 'boolean' },
    PathPrefix: path,
    Marker: marker,
    MaxItems: maxItems,
  },
  AttachRolePolicy: { RoleName: roleName, PolicyArn: arn },
  DetachRolePolicy: { RoleName: roleName, PolicyArn: arn },
  ListAttachedRolePolicies: { RoleName: roleName, PathPrefix: path, Marker: marker, MaxItems: maxItems },
  // STS
  AssumeRole: {
    RoleArn: arn,
    RoleSessionName: { required: true, min: 2, max: 64, pattern: '[\\w+=,.@-]*' },
    DurationSeconds: { type: 'integer', min: 900, max: 43200 },
    ExternalId: { min: 2, max: 1224, pattern: '[\\w+=,.@:/-]*' },
  },
  GetCallerIdentity: {},
  AssumeRoleWithWebIdentity: {
    RoleArn: arn,
    RoleSessionName: { required: true, min: 2, max: 64, pattern: '[\\w+=,.@-]*' },
    WebIdentityToken: { required: true, min: 4, max: 20000 },
    ProviderId: { min: 4, max: 2048 },
    Policy: { min: 1, max: 2048 },
    DurationSeconds: { type: 'integer', min: 900, max: 43200 },
  },
};

/** `RoleName` → `roleName`: how IAM names members in validation messages. */
const member = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** Checks an action's parameters against its rules; throws IAM's ValidationError naming the first bad one. */
export function validateParams(action: string, params: URLSearchParams): void {
  const rules = VALIDATIONS[action];
  if (rules === undefined) return;
  for (const [name, rule] of Object.entries(rules)) {
    const value = params.get(name) ?? undefined;
    if (value === undefined) {
      if (rule.required) throw validationError(member(name), undefined, 'Member must not be null');
      continue;
    }
    if (rule.type === 'integer') {
      const number = Number(value);
      if (!/^-?\d+$/.test(value))
        throw new IamError('ValidationError', `Invalid value '${value}' for ${name}: not an integer.`);
      if (rule.min !== undefined && number < rule.min)
        throw validationError(member(name), value, `Member must have value greater than or equal to ${rule.min}`);
      if (rule.max !== undefined && number > rule.max)
        throw validationError(member(name), value, `Member must have value less than or equal to ${rule.max}`);
      continue;
    }
    if (rule.type === 'boolean') {
      if (value !== 'true' && value !== 'false')
        throw new IamError('ValidationError', `Invalid value '${value}' for ${name}: expected true or false.`);
      continue;
    }
    if (rule.min !== undefined && value.length < rule.min)
      throw validationError(member(name), value, `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max)
      throw validationError(member(name), value, `Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern})$`, 'u').test(value))
      throw validationError(member(name), value, `Member must satisfy regular expression pattern: ${rule.pattern}`);
  }
}
