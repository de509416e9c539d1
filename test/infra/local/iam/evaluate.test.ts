import { describe, expect, it } from 'vitest';
import {
  type EvaluationRequest,
  evaluate,
  type NamedPolicy,
  type PolicyStatement,
  wildcardMatch,
} from '../../../../infra/local/iam/evaluate.ts';

const policy = (...Statement: PolicyStatement[]): NamedPolicy => ({
  name: 'arn:aws:iam::000000000000:policy/test',
  document: { Version: '2012-10-17', Statement },
});
const request = (action: string, resource: string, extra: Partial<EvaluationRequest> = {}): EvaluationRequest => ({
  action,
  resource,
  ...extra,
});

describe('wildcardMatch', () => {
  it.each([
    ['s3:*', 's3:PutObject', true, true],
    ['s3:Get*', 's3:GetObject', true, true],
    ['s3:get*', 's3:GetObject', true, true],
    ['s3:get*', 's3:GetObject', false, false],
    ['s3:?etObject', 's3:GetObject', true, true],
    ['s3:?etObject', 's3:GetsObject', true, false],
    ['arn:aws:s3:::photos/*', 'arn:aws:s3:::photos/a/b/c.jpg', false, true],
    ['arn:aws:s3:::photos/*', 'arn:aws:s3:::photos', false, false],
    ['arn:aws:s3:::photos*', 'arn:aws:s3:::photos-thumbnails/x', false, true],
    ['arn:aws:dynamodb:*:*:table/Orders', 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders', false, true],
    ['arn:aws:s3:::a.b', 'arn:aws:s3:::aXb', false, false],
    ['*', 'anything at all', false, true],
  ])('%s against %s (ignore case: %s) → %s', (pattern, value, ignoreCase, expected) => {
    expect(wildcardMatch(pattern, value, ignoreCase)).toBe(expected);
  });
});

describe('evaluate', () => {
  const getPhotos = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' });

  it.each([
    ['the allowed action on the allowed resource', getPhotos, 's3:GetObject', 'arn:aws:s3:::photos/a.jpg', 'Allow'],
    ['actions case-insensitively', getPhotos, 'S3:GETOBJECT', 'arn:aws:s3:::photos/a.jpg', 'Allow'],
    ['another action', getPhotos, 's3:PutObject', 'arn:aws:s3:::photos/a.jpg', 'ImplicitDeny'],
    ['another bucket', getPhotos, 's3:GetObject', 'arn:aws:s3:::other/a.jpg', 'ImplicitDeny'],
    ['resources case-sensitively', getPhotos, 's3:GetObject', 'arn:aws:s3:::Photos/a.jpg', 'ImplicitDeny'],
    [
      'a list of actions and resources',
      policy({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'],
      }),
      's3:PutObject',
      'arn:aws:s3:::b/k',
      'Allow',
    ],
    [
      'NotAction: everything but the listed actions',
      policy({ Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: '*' }),
      's3:PutObject',
      'arn:aws:s3:::b/k',
      'Allow',
    ],
    [
      'NotAction excludes the listed action',
      policy({ Effect: 'Allow', NotAction: 's3:Delete*', Resource: '*' }),
      's3:DeleteObject',
      'arn:aws:s3:::b/k',
      'ImplicitDeny',
    ],
    [
      'NotResource: every resource but the listed ones',
      policy({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' }),
      's3:GetObject',
      'arn:aws:s3:::secret/k',
      'ImplicitDeny',
    ],
    [
      'an explicit deny over an allow',
      policy(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::photos/*' },
      ),
      's3:DeleteObject',
      'arn:aws:s3:::photos/a.jpg',
      'ExplicitDeny',
    ],
    ['no policies at all (default deny)', undefined, 's3:GetObject', 'arn:aws:s3:::photos/a.jpg', 'ImplicitDeny'],
  ])('decides %s', (_, given, action, resource, decision) => {
    // Act
    const result = evaluate(given ? [given] : [], request(action, resource));

    // Assess
    expect(result.decision).toBe(decision);
  });

  it('lets a deny in one policy win over an allow in another', () => {
    // Prepare
    const allow = policy({ Effect: 'Allow', Action: '*', Resource: '*' });
    const deny = {
      ...policy({ Sid: 'NoDeletes', Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' }),
      name: 'deny-policy',
    };

    // Act
    const result = evaluate(
      [allow, deny],
      request('dynamodb:DeleteItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/T'),
    );

    // Assess
    expect(result).toMatchObject({
      decision: 'ExplicitDeny',
      matchedStatement: { policy: 'deny-policy', index: 0 },
      reason: 'explicit deny in deny-policy (statement "NoDeletes")',
    });
  });

  it('says which action no policy allows', () => {
    expect(evaluate([getPhotos], request('s3:PutObject', 'arn:aws:s3:::photos/a.jpg')).reason).toBe(
      'no identity-based policy allows the s3:PutObject action',
    );
  });

  it('names the statement that allowed', () => {
    expect(evaluate([getPhotos], request('s3:GetObject', 'arn:aws:s3:::photos/a.jpg'))).toMatchObject({
      decision: 'Allow',
      matchedStatement: { index: 0 },
      reason: 'allowed by arn:aws:iam::000000000000:policy/test (statement 1)',
    });
  });
});

describe('evaluate with conditions', () => {
  const invoke = (Condition: PolicyStatement['Condition']) =>
    policy({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*', Condition });
  const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';

  it.each([
    [
      'StringEquals matching',
      { StringEquals: { 'aws:SourceAccount': '000000000000' } },
      { 'aws:SourceAccount': '000000000000' },
      'Allow',
    ],
    [
      'StringEquals not matching',
      { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      { 'aws:SourceAccount': '000000000000' },
      'ImplicitDeny',
    ],
    ['StringEquals on an absent key', { StringEquals: { 'aws:SourceAccount': '000000000000' } }, {}, 'ImplicitDeny'],
    [
      'keys case-insensitively',
      { StringEquals: { 'AWS:SOURCEACCOUNT': '000000000000' } },
      { 'aws:SourceAccount': '000000000000' },
      'Allow',
    ],
    ['StringLike with a wildcard', { StringLike: { 's3:prefix': 'home/*' } }, { 's3:prefix': 'home/ana/x' }, 'Allow'],
    ['StringNotEquals on an absent key', { StringNotEquals: { 'aws:SourceAccount': '1' } }, {}, 'Allow'],
    [
      'ArnLike on aws:SourceArn',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::photos*' } },
      { 'aws:SourceArn': 'arn:aws:s3:::photos' },
      'Allow',
    ],
    [
      'ArnLike on another ARN',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::photos' } },
      { 'aws:SourceArn': 'arn:aws:s3:::other' },
      'ImplicitDeny',
    ],
    [
      'ArnEquals',
      { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::photos' } },
      { 'aws:SourceArn': 'arn:aws:s3:::photos' },
      'Allow',
    ],
    [
      'a list of values (any may match)',
      { StringEquals: { 'aws:SourceAccount': ['1', '000000000000'] } },
      { 'aws:SourceAccount': '000000000000' },
      'Allow',
    ],
    ['IfExists on an absent key', { StringEqualsIfExists: { 'aws:SourceAccount': '1' } }, {}, 'Allow'],
    ['Bool', { Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'false' }, 'Allow'],
    ['Null true (key absent)', { Null: { 'aws:SourceArn': 'true' } }, {}, 'Allow'],
    ['Null false (key absent)', { Null: { 'aws:SourceArn': 'false' } }, {}, 'ImplicitDeny'],
    [
      'Cognito identity pool audience',
      { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' } },
      { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' },
      'Allow',
    ],
    [
      'ForAnyValue:StringLike on a multi-valued key',
      { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' } },
      { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] },
      'Allow',
    ],
    [
      'ForAnyValue:StringLike with no value matching',
      { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
      { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] },
      'ImplicitDeny',
    ],
    [
      'every condition block (AND)',
      { StringEquals: { a: '1' }, StringLike: { b: 'x*' } },
      { a: '1', b: 'y' },
      'ImplicitDeny',
    ],
    // Operators the engine does not implement never match (documented in evaluate.ts).
    [
      'an unknown operator',
      { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
      { 'aws:MultiFactorAuthAge': '10' },
      'ImplicitDeny',
    ],
  ])('%s', (_, condition, context, decision) => {
    expect(evaluate([invoke(condition)], request('lambda:InvokeFunction', fn, { context })).decision).toBe(decision);
  });

  it('does not let a deny with an unknown operator deny', () => {
    // Prepare
    const policies = [
      policy(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2000-01-01' } },
        },
      ),
    ];

    // Act / Assess
    expect(evaluate(policies, request('s3:GetObject', 'arn:aws:s3:::b/k')).decision).toBe('Allow');
  });
});

describe('evaluate trust policies (Principal)', () => {
  const trust = (Principal: PolicyStatement['Principal']) =>
    policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal });
  const role = 'arn:aws:iam::000000000000:role/R';

  it.each([
    ['a service principal', { Service: 'lambda.amazonaws.com' }, ['lambda.amazonaws.com'], 'Allow'],
    ['another service', { Service: 'lambda.amazonaws.com' }, ['ec2.amazonaws.com'], 'ImplicitDeny'],
    [
      'a list of services',
      { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
      ['lambda.amazonaws.com'],
      'Allow',
    ],
    [
      'a role ARN',
      { AWS: 'arn:aws:iam::000000000000:role/Caller' },
      ['arn:aws:sts::000000000000:assumed-role/Caller/s', 'arn:aws:iam::000000000000:role/Caller'],
      'Allow',
    ],
    [
      'the account',
      { AWS: 'arn:aws:iam::000000000000:root' },
      ['arn:aws:iam::000000000000:root', '000000000000'],
      'Allow',
    ],
    ['everyone', '*' as const, ['anything'], 'Allow'],
    ['no principal given', { AWS: '*' }, undefined, 'ImplicitDeny'],
  ])('matches %s', (_, principal, caller, decision) => {
    expect(evaluate([trust(principal)], request('sts:AssumeRole', role, { principal: caller })).decision).toBe(
      decision,
    );
  });
});
