import { ACCOUNT_ID } from '../../../edge/types.ts';
import { evaluateWithSessionPolicies } from '../../enforce.ts';
import { IamError } from '../../errors.ts';
import { evaluate } from '../../evaluate.ts';
import type { StsAction } from '../context.ts';

const ADMIN = `arn:aws:iam::${ACCOUNT_ID}:root`;
/** Role chaining caps sessions at one hour (IAM User Guide, "Role chaining"). */
const CHAINED_MAX_SECONDS = 3600;

/**
 * Issues credentials for a role when its trust policy lets the caller in. The administrator may
 * assume any role. A role session may when the trust policy names it (its role or session ARN)
 * or `*`; when the trust policy only names the account, the caller's own policies must also
 * allow `sts:AssumeRole` on the role, as within one AWS account.
 */
export const assumeRole: StsAction = ({ caller, store, issuer }, params) => {
  const roleArn = params.get('RoleArn')!;
  const sessionName = params.get('RoleSessionName')!;
  const denied = () =>
    new IamError(
      'AccessDenied',
      `User: ${caller.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  const role = store.roleByArn(roleArn);
  if (role === undefined) throw denied(); // STS does not say whether the role exists
  const chained = caller.roleArn !== undefined;
  if (caller.principalArn !== ADMIN) {
    const context = {
      'aws:PrincipalArn': caller.roleArn ?? caller.principalArn,
      'aws:PrincipalAccount': caller.accountId,
      ...(params.has('ExternalId') ? { 'sts:ExternalId': params.get('ExternalId')! } : {}),
    };
    const trust = [{ name: `trust policy of role ${role.RoleName}`, document: store.trustPolicy(role) }];
    const request = { action: 'sts:AssumeRole', resource: role.Arn, context };
    const specific = evaluate(trust, {
      ...request,
      principal: [caller.principalArn, ...(caller.roleArn ? [caller.roleArn] : [])],
    });
    const account = evaluate(trust, {
      ...request,
      principal: [`arn:aws:iam::${caller.accountId}:root`, caller.accountId],
    });
    // The caller's own permissions, scoped down by its session policies when its credentials carry any.
    const { result: identity } = evaluateWithSessionPolicies(
      (caller.roleArn && store.policiesFor(caller.roleArn)) || [],
      caller.sessionPolicies,
      request,
    );
    const denies = [specific, account, identity].some((e) => e.decision === 'ExplicitDeny');
    const allowed = specific.decision === 'Allow' || (account.decision === 'Allow' && identity.decision === 'Allow');
    if (denies || !allowed) throw denied();
  }
  const maxSeconds = chained ? CHAINED_MAX_SECONDS : role.MaxSessionDuration;
  const durationSeconds = Number(params.get('DurationSeconds') ?? 3600);
  if (durationSeconds > maxSeconds) {
    throw new IamError(
      'ValidationError',
      chained
        ? `The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.`
        : `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  }
  const credentials = issuer.issueForRole({ roleArn: role.Arn, sessionName, durationSeconds });
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: new Date(credentials.expiration),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.RoleId}:${sessionName}`,
      Arn: credentials.assumedRoleArn,
    },
  };
};
