import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../../infra/local/edge/types.ts';
import { checkAccess } from '../../../../infra/local/iam/enforce.ts';
import type { NamedPolicy, PolicyStatement } from '../../../../infra/local/iam/evaluate.ts';
import { cognitoUnauthedSessionPolicy } from '../../../../infra/local/iam/managed-policies.ts';

const ROLE = 'arn:aws:iam::000000000000:role/app';
const SESSION = 'arn:aws:sts::000000000000:assumed-role/app/phone';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:clicks';

const policy = (name: string, ...Statement: PolicyStatement[]): NamedPolicy => ({
  name,
  document: { Version: '2012-10-17', Statement },
});
const allowInvoke = policy('role-policy', { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FUNCTION });

/** The edge's check of one Lambda Invoke, for a role session whose credentials carry `sessionPolicies`. */
function invoke(rolePolicies: NamedPolicy[], sessionPolicies?: NamedPolicy[]) {
  const caller: Caller = {
    accessKeyId: 'ASIAEXAMPLE',
    accountId: '000000000000',
    principalArn: SESSION,
    roleArn: ROLE,
    ...(sessionPolicies ? { sessionPolicies } : {}),
  };
  return checkAccess({
    caller,
    service: 'lambda',
    region: 'us-east-1',
    authorization: { action: 'lambda:InvokeFunction', resources: [FUNCTION] },
    roles: { policiesFor: (arn) => (arn === ROLE ? rolePolicies : undefined) },
  });
}

const denial = (because: string) =>
  `User: ${SESSION} is not authorized to perform: lambda:InvokeFunction on resource: ${FUNCTION} ${because}`;

describe('session policies (the intersection with the role)', () => {
  it('allow only what the role and the session policy both allow', () => {
    const session = policy('session', { Effect: 'Allow', Action: 'lambda:*', Resource: '*' });
    expect(invoke([allowInvoke], [session])).toBeUndefined();
  });

  it('leave credentials without session policies to the role alone', () => {
    expect(invoke([allowInvoke])).toBeUndefined();
  });

  it("deny what the role allows but the session policy does not, in AWS's words", () => {
    const denied = invoke([allowInvoke], [cognitoUnauthedSessionPolicy()]);
    expect(denied).toMatchObject({
      code: 'AccessDeniedException',
      status: 403,
      policyType: 'session',
      reason: 'no session policy allows the lambda:InvokeFunction action',
      message: denial('because no session policy allows the lambda:InvokeFunction action'),
    });
  });

  it('cannot grant what the role does not: the identity-based refusal is reported', () => {
    const session = policy('session', { Effect: 'Allow', Action: '*', Resource: '*' });
    expect(invoke([], [session])).toMatchObject({
      policyType: 'identity-based',
      message: denial('because no identity-based policy allows the lambda:InvokeFunction action'),
    });
  });

  it('let an explicit deny in a session policy win over both allows', () => {
    const session = policy(
      'session',
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'lambda:InvokeFunction', Resource: FUNCTION },
    );
    expect(invoke([allowInvoke], [session])).toMatchObject({
      policyType: 'session',
      message: denial('with an explicit deny in a session policy'),
    });
  });

  it("report the role's explicit deny first", () => {
    const role = policy('role', { Effect: 'Deny', Action: 'lambda:*', Resource: '*' });
    expect(invoke([allowInvoke, role], [cognitoUnauthedSessionPolicy()])).toMatchObject({
      policyType: 'identity-based',
      message: denial('with an explicit deny in an identity-based policy'),
    });
  });
});

describe("Cognito's session policy for guests (AmazonCognitoUnAuthedIdentitiesSessionPolicy)", () => {
  it.each([
    ['polly:SynthesizeSpeech', true],
    ['rekognition:DetectLabels', true],
    ['geo:GetMapTile', true],
    ['geo:BatchUpdateDevicePosition', true],
    ['kms:Decrypt', true],
    ['firehose:PutRecord', true],
    ['lambda:InvokeFunction', false],
    ['dynamodb:PutItem', false],
    ['s3:PutObject', false],
    ['kinesis:PutRecord', false],
    ['kms:CreateKey', false],
  ])('%s: allowed %s', (action, allowed) => {
    const role = policy('role', { Effect: 'Allow', Action: '*', Resource: '*' });
    const caller: Caller = {
      accessKeyId: 'ASIAEXAMPLE',
      accountId: '000000000000',
      principalArn: SESSION,
      roleArn: ROLE,
      sessionPolicies: [cognitoUnauthedSessionPolicy()],
    };
    const denied = checkAccess({
      caller,
      service: action.split(':')[0]!,
      region: 'us-east-1',
      authorization: { action, resources: ['*'] },
      roles: { policiesFor: () => [role] },
    });
    expect(denied === undefined).toBe(allowed);
  });
});
