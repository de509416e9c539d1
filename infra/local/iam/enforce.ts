import { ACCOUNT_ID, type Caller, type RequestAuthorization } from '../edge/types.ts';
import { type Evaluation, type EvaluationRequest, evaluate, type NamedPolicy } from './evaluate.ts';
import type { RoleDirectory } from './store.ts';

/** The account's administrator: never evaluated (like the root user, whom IAM policies do not restrict). */
export const ADMIN_PRINCIPAL = `arn:aws:iam::${ACCOUNT_ID}:root`;

/** How each service says "denied" (S3 REST-XML `AccessDenied`; query `AccessDenied`; JSON `AccessDeniedException`). */
const DENIAL_SHAPE: Readonly<
  Record<string, { readonly code: string; readonly status: number; readonly quote: boolean }>
> = {
  // S3 quotes the resource (Amazon S3 User Guide, "Troubleshoot access denied (403 Forbidden) errors").
  s3: { code: 'AccessDenied', status: 403, quote: true },
  iam: { code: 'AccessDenied', status: 403, quote: false },
  sts: { code: 'AccessDenied', status: 403, quote: false },
  lambda: { code: 'AccessDeniedException', status: 403, quote: false },
  // DynamoDB, Kinesis and the other JSON services answer 400 (their "Common Errors": AccessDeniedException, HTTP 400).
  default: { code: 'AccessDeniedException', status: 400, quote: false },
};

export interface AccessDenial {
  readonly code: string;
  readonly status: number;
  /** AWS's message: `User: <arn> is not authorized to perform: <action> on resource: <arn> because …`. */
  readonly message: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** For the trace: `no identity-based policy allows …`, `no session policy allows …` or `explicit deny in …`. */
  readonly reason: string;
  /** Which kind of policy refused: the role's own (identity-based) or the credentials' session policy. */
  readonly policyType: 'identity-based' | 'session';
}

/**
 * The identity-based policies and, when the credentials carry them, the session policies: allowed
 * only when both allow, and an explicit deny in either wins (IAM User Guide, "Session policies").
 * Which one refused decides AWS's wording: `… because no session policy allows the … action`.
 */
export function evaluateWithSessionPolicies(
  policies: readonly NamedPolicy[],
  sessionPolicies: readonly NamedPolicy[] | undefined,
  request: EvaluationRequest,
): { readonly result: Evaluation; readonly policyType: AccessDenial['policyType'] } {
  const identity = evaluate(policies, request);
  const session = sessionPolicies === undefined ? undefined : evaluate(sessionPolicies, request, 'session');
  if (identity.decision === 'ExplicitDeny') return { result: identity, policyType: 'identity-based' };
  if (session?.decision === 'ExplicitDeny') return { result: session, policyType: 'session' };
  if (identity.decision !== 'Allow') return { result: identity, policyType: 'identity-based' };
  if (session !== undefined && session.decision !== 'Allow') return { result: session, policyType: 'session' };
  return { result: identity, policyType: 'identity-based' };
}

/**
 * The edge's identity-based policy check: undefined when the caller may go ahead, else AWS's denial
 * for the first resource refused. Applies to role credentials (and any other non-root caller, who
 * has no policies and so is denied), scoped down by their session policies when they carry any;
 * the administrator and anonymous requests are not evaluated.
 */
export function checkAccess({
  caller,
  service,
  region,
  authorization,
  roles,
}: {
  readonly caller: Caller;
  readonly service: string;
  readonly region: string;
  readonly authorization: RequestAuthorization;
  readonly roles: RoleDirectory;
}): AccessDenial | undefined {
  if (caller.anonymous || caller.principalArn === ADMIN_PRINCIPAL) return undefined;
  const policies = (caller.roleArn === undefined ? undefined : roles.policiesFor(caller.roleArn)) ?? [];
  const shape = DENIAL_SHAPE[service] ?? DENIAL_SHAPE.default!;
  const context = {
    'aws:PrincipalArn': caller.roleArn ?? caller.principalArn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:RequestedRegion': region,
  };
  const resources = authorization.resources.length === 0 ? ['*'] : authorization.resources;
  for (const resource of resources) {
    const request = { action: authorization.action, resource, context };
    const { result, policyType } = evaluateWithSessionPolicies(policies, caller.sessionPolicies, request);
    if (result.decision === 'Allow') continue;
    const { action } = authorization;
    const onResource = resource === '*' ? '' : ` on resource: ${shape.quote ? `"${resource}"` : resource}`;
    const article = policyType === 'identity-based' ? 'an' : 'a';
    const because =
      result.decision === 'ExplicitDeny'
        ? `with an explicit deny in ${article} ${policyType} policy`
        : `because no ${policyType} policy allows the ${action} action`;
    return {
      code: shape.code,
      status: shape.status,
      message: `User: ${caller.principalArn} is not authorized to perform: ${action}${onResource} ${because}`,
      principal: caller.principalArn,
      action,
      resource,
      reason: result.reason,
      policyType,
    };
  }
  return undefined;
}
