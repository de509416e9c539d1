import type { Action } from '../context.ts';
import { CognitoIdentityError } from '../errors.ts';
import { proveLogins, roleTypeFor } from '../logins.ts';
import { IDENTITY_ID, LOGINS, type Rules, validate } from '../validation.ts';

const RULES: Rules = {
  IdentityId: { ...IDENTITY_ID, required: true },
  Logins: LOGINS,
};

/**
 * GetCredentialsForIdentity (public, unsigned): temporary credentials of the pool's unauthenticated
 * role, or of its authenticated role when Logins carry a Cognito token that says the identity is
 * authenticated (the enhanced flow). The credentials act as the role: IAM evaluates its policies —
 * for guests intersected with the session policy AmazonCognitoUnAuthedIdentitiesSessionPolicy, as on AWS.
 */
export const getCredentialsForIdentity: Action = (context, input, { requestId }) => {
  validate(input, RULES);
  const identity = context.identity(input.IdentityId as string);
  const pool = context.pool(identity.IdentityPoolId);
  const type = roleTypeFor(
    pool,
    identity,
    proveLogins(context, pool, input.Logins as Record<string, string> | undefined),
  );
  const roleArn = pool.Roles[type];
  if (roleArn === undefined) {
    // AWS's message (recorded in SDK issue reports); its API reference: "the identity pool has no … role configured".
    throw new CognitoIdentityError(
      'InvalidIdentityPoolConfigurationException',
      'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
    );
  }
  return {
    IdentityId: identity.IdentityId,
    Credentials: context.issueCredentials(identity, roleArn, requestId, type),
  };
};
