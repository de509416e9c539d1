// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub templates
import { describe, expect, it } from 'vitest';
import { deploymentOrder, references } from '../../../../infra/local/deploy/graph.ts';
import { generatePhysicalName } from '../../../../infra/local/deploy/names.ts';

describe('references', () => {
  it.each<[string, unknown, string[]]>([
    ['Ref', { Ref: 'Bucket' }, ['Bucket']],
    ['pseudo parameters are not resources', { Ref: 'AWS::Region' }, []],
    ['Fn::GetAtt list', { 'Fn::GetAtt': ['Fn', 'Arn'] }, ['Fn']],
    ['Fn::GetAtt dotted', { 'Fn::GetAtt': 'Table.StreamArn' }, ['Table']],
    ['Fn::Sub names and attributes', { 'Fn::Sub': '${Bucket}/${Fn.Arn}/${AWS::Region}/${!Literal}' }, ['Bucket', 'Fn']],
    ['Fn::Sub variables are not resources', { 'Fn::Sub': ['${Name}', { Name: { Ref: 'Api' } }] }, ['Api']],
    ['nested in Fn::Join', { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] }, ['Bucket']],
  ])('%s', (_name, value, expected) => {
    expect([...references(value)].sort()).toEqual(expected.sort());
  });
});

describe('deploymentOrder', () => {
  it('puts every resource after what it refers to and what it DependsOn', () => {
    const order = deploymentOrder({
      Notifications: {
        Type: 'Custom::S3BucketNotifications',
        Properties: { BucketName: { Ref: 'Bucket' } },
        DependsOn: ['Permission'],
      },
      Permission: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } },
        DependsOn: 'Policy',
      },
      Policy: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Role' }] } },
      Role: { Type: 'AWS::IAM::Role' },
      Bucket: { Type: 'AWS::S3::Bucket' },
    });
    const expectBefore = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    expectBefore('Role', 'Policy');
    expectBefore('Policy', 'Fn');
    expectBefore('Role', 'Fn');
    expectBefore('Fn', 'Permission');
    expectBefore('Permission', 'Notifications');
    expectBefore('Bucket', 'Notifications');
    expect(order).toHaveLength(6);
  });

  it('names the resources of a cycle', () => {
    expect(() =>
      deploymentOrder({
        A: { Type: 'AWS::S3::Bucket', Properties: { X: { Ref: 'B' } } },
        B: { Type: 'AWS::S3::Bucket', Properties: { X: { Ref: 'A' } } },
      }),
    ).toThrow(/Circular dependency between resources: A → B → A/);
  });
});

describe('generatePhysicalName', () => {
  it.each<[string, Parameters<typeof generatePhysicalName>[2], RegExp, number]>([
    [
      'a function name',
      { suffix: 'ABCDEFGHIJKLM' },
      /^LambdaWorkbook-Thumbnail-ThumbnailsThumbnailFuncti-ABCDEFGHIJKLM$/,
      64,
    ],
    [
      'a lowercase bucket name',
      { suffix: 'ABCDEFGHIJKLM', maxLength: 63, lowercase: true },
      /^[a-z0-9-]+-abcdefghijklm$/,
      63,
    ],
    [
      'an identity pool name (no dashes)',
      { suffix: 'ABCDEFGHIJKLM', separator: '_' },
      /^[A-Za-z0-9_]+_ABCDEFGHIJKLM$/,
      64,
    ],
  ])('%s keeps to the service’s rules', (_name, options, pattern, maxLength) => {
    const name = generatePhysicalName('LambdaWorkbook-Thumbnails', 'ThumbnailsThumbnailFunctionDEFA96FB', options);
    expect(name).toMatch(pattern);
    expect(name.length).toBeLessThanOrEqual(maxLength);
  });

  it('is the same for the same suffix (names are stable across redeploys)', () => {
    const a = generatePhysicalName('S', 'Bucket', { suffix: 'X', lowercase: true });
    expect(generatePhysicalName('S', 'Bucket', { suffix: 'X', lowercase: true })).toBe(a);
  });
});
