// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub templates
import { describe, expect, it } from 'vitest';
import {
  evaluateConditions,
  NO_VALUE,
  type ResolveContext,
  resolve,
  TemplateError,
} from '../../../../infra/local/deploy/intrinsics.ts';

const pseudo = {
  region: 'us-east-1',
  accountId: '000000000000',
  partition: 'aws',
  stackName: 'LambdaWorkbook-Thumbnails',
  stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/LambdaWorkbook-Thumbnails/local',
  urlSuffix: 'amazonaws.com',
};

const physicalIds: Record<string, string> = { PhotosBucket: 'photos-abc', Fn: 'thumbnail-fn', Api: 'a1b2c3' };
const attributes: Record<string, Record<string, unknown>> = {
  PhotosBucket: { Arn: 'arn:aws:s3:::photos-abc' },
  Fn: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:thumbnail-fn' },
  Table: { StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026' },
  Api: { ApiEndpoint: 'http://a1b2c3.execute-api.localhost:4566' },
};

const context: ResolveContext = {
  pseudo,
  parameters: { BootstrapVersion: '/cdk-bootstrap/hnb659fds/version', Size: 200 },
  conditions: { IsLocal: true, IsProd: false },
  ref: (id) => {
    if (physicalIds[id] === undefined) throw new TemplateError(`no resource ${id}`);
    return physicalIds[id];
  },
  getAtt: (id, attribute) => {
    const value = attributes[id]?.[attribute];
    if (value === undefined) throw new TemplateError(`no ${id}.${attribute}`);
    return value;
  },
  importValue: (name) => ({ 'Class-LearnerRoleArn': 'arn:aws:iam::000000000000:role/learner' })[name],
};

describe('resolve', () => {
  it.each<[string, unknown, unknown]>([
    ['a plain string', 'hello', 'hello'],
    ['a number', 42, 42],
    ['Ref of a resource', { Ref: 'PhotosBucket' }, 'photos-abc'],
    ['Ref of a parameter', { Ref: 'Size' }, 200],
    ['Ref AWS::Region', { Ref: 'AWS::Region' }, 'us-east-1'],
    ['Ref AWS::AccountId', { Ref: 'AWS::AccountId' }, '000000000000'],
    ['Ref AWS::Partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['Ref AWS::StackName', { Ref: 'AWS::StackName' }, 'LambdaWorkbook-Thumbnails'],
    ['Ref AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, 'amazonaws.com'],
    ['Fn::GetAtt list form', { 'Fn::GetAtt': ['PhotosBucket', 'Arn'] }, 'arn:aws:s3:::photos-abc'],
    ['Fn::GetAtt dotted form', { 'Fn::GetAtt': 'Table.StreamArn' }, attributes.Table!.StreamArn],
    ['Fn::GetAtt ApiEndpoint', { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] }, 'http://a1b2c3.execute-api.localhost:4566'],
    [
      'Fn::Join with a nested GetAtt (CDK object ARNs)',
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['PhotosBucket', 'Arn'] }, '/*']] },
      'arn:aws:s3:::photos-abc/*',
    ],
    [
      'Fn::Join of pseudo parameters (CDK managed policy ARNs)',
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        ],
      },
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ],
    ['Fn::Join with a delimiter', { 'Fn::Join': [',', ['a', 'b', 'c']] }, 'a,b,c'],
    [
      'Fn::Sub string form with pseudo parameters (CDK asset bucket)',
      { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
      'cdk-hnb659fds-assets-000000000000-us-east-1',
    ],
    [
      'Fn::Sub with a resource and an attribute',
      { 'Fn::Sub': '${PhotosBucket}:${Fn.Arn}' },
      `photos-abc:${attributes.Fn!.Arn}`,
    ],
    ['Fn::Sub literal ${!…}', { 'Fn::Sub': 'keep ${!Literal} as is' }, 'keep ${Literal} as is'],
    [
      'Fn::Sub list form with variables',
      { 'Fn::Sub': ['${Name}-${AWS::Region}', { Name: { Ref: 'PhotosBucket' } }] },
      'photos-abc-us-east-1',
    ],
    ['Fn::Select', { 'Fn::Select': [1, ['a', 'b', 'c']] }, 'b'],
    ['Fn::Select with a string index', { 'Fn::Select': ['0', ['a', 'b']] }, 'a'],
    ['Fn::Split', { 'Fn::Split': [':', 'a:b:c'] }, ['a', 'b', 'c']],
    [
      'Fn::Select of Fn::Split (CDK parses ARNs this way)',
      { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Fn', 'Arn'] }] }] },
      'function',
    ],
    ['Fn::If true branch', { 'Fn::If': ['IsLocal', 'yes', 'no'] }, 'yes'],
    ['Fn::If false branch', { 'Fn::If': ['IsProd', 'yes', 'no'] }, 'no'],
    ['Fn::Equals equal', { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, true],
    ['Fn::Equals different', { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }, false],
    ['Fn::Not', { 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }, true],
    ['Fn::And', { 'Fn::And': [{ Condition: 'IsLocal' }, { 'Fn::Equals': ['a', 'a'] }] }, true],
    ['Fn::Or', { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'b'] }] }, false],
    ['Fn::GetAZs of the current region', { 'Fn::GetAZs': '' }, ['us-east-1a', 'us-east-1b', 'us-east-1c']],
    ['Fn::Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
    ['Fn::ImportValue', { 'Fn::ImportValue': 'Class-LearnerRoleArn' }, 'arn:aws:iam::000000000000:role/learner'],
    [
      'Fn::ImportValue of a Fn::Sub name',
      { 'Fn::ImportValue': { 'Fn::Sub': ['Class-${Kind}', { Kind: 'LearnerRoleArn' }] } },
      'arn:aws:iam::000000000000:role/learner',
    ],
    [
      'nested objects and lists',
      { Environment: { Variables: { BUCKET: { Ref: 'PhotosBucket' } } }, Layers: [{ Ref: 'Fn' }] },
      { Environment: { Variables: { BUCKET: 'photos-abc' } }, Layers: ['thumbnail-fn'] },
    ],
    [
      'AWS::NoValue removes a property',
      { A: 'kept', B: { 'Fn::If': ['IsProd', 'x', { Ref: 'AWS::NoValue' }] } },
      { A: 'kept' },
    ],
    ['AWS::NoValue removes a list item', ['a', { Ref: 'AWS::NoValue' }, 'b'], ['a', 'b']],
  ])('%s', (_name, input, expected) => {
    expect(resolve(input, context)).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ['an unknown intrinsic', { 'Fn::Transform': {} }, "Unsupported intrinsic function 'Fn::Transform'"],
    ['an unknown condition in Fn::If', { 'Fn::If': ['Nope', 1, 2] }, "unknown condition 'Nope'"],
    ['an unknown pseudo parameter', { Ref: 'AWS::Nope' }, "Unknown pseudo parameter 'AWS::Nope'"],
    ['Fn::Select out of range', { 'Fn::Select': [3, ['a']] }, 'out of range'],
    ['a missing attribute', { 'Fn::GetAtt': ['PhotosBucket', 'Nope'] }, 'no PhotosBucket.Nope'],
    ['Fn::Join of a non-list', { 'Fn::Join': ['', 'abc'] }, 'Fn::Join expects a list'],
    ['an export no stack made', { 'Fn::ImportValue': 'Nope' }, "no stack exports 'Nope'"],
  ])('rejects %s', (_name, input, message) => {
    expect(() => resolve(input, context)).toThrow(message);
  });

  it('does not resolve NO_VALUE at the top level into anything else', () => {
    expect(resolve({ Ref: 'AWS::NoValue' }, context)).toBe(NO_VALUE);
  });
});

describe('evaluateConditions', () => {
  const base = { pseudo, parameters: {}, ref: context.ref, getAtt: context.getAtt };

  it("evaluates CDK's CDKMetadataAvailable (Fn::Or of Fn::Equals on the region)", () => {
    const conditions = {
      CDKMetadataAvailable: {
        'Fn::Or': [
          { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'af-south-1'] }] },
          { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        ],
      },
      NotInEurope: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }] },
    };
    expect(evaluateConditions(conditions, base)).toEqual({ CDKMetadataAvailable: true, NotInEurope: true });
  });

  it('evaluates conditions that refer to other conditions, in any order', () => {
    const conditions = {
      Both: { 'Fn::And': [{ Condition: 'InUsEast' }, { Condition: 'NotProd' }] },
      InUsEast: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
      NotProd: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::StackName' }, 'prod'] }] },
    };
    expect(evaluateConditions(conditions, base)).toEqual({ Both: true, InUsEast: true, NotProd: true });
  });

  it('rejects a condition that refers to itself', () => {
    expect(() => evaluateConditions({ Loop: { 'Fn::Not': [{ Condition: 'Loop' }] } }, base)).toThrow(
      "Condition 'Loop' refers to itself",
    );
  });
});
