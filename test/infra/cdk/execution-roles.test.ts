// What each scenario role may do, read from the synthesized templates (real CDK synth), against
// what the lessons and the infra.ts comments say it may do. A grant that widens (CDK's grantRead
// adds s3:List* and s3:GetBucket*, S3OnFailureDestination adds read and delete) fails here until
// the words change with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../local/deploy/assembly.ts';
import { asArray, type PolicyStatement, removeSynthOutputs, synthWorkbook } from './helpers/synth.ts';

let templates: Map<string, Template>;

beforeAll(() => {
  templates = synthWorkbook().templates;
}, 120_000);

afterAll(removeSynthOutputs);

/** A resource of a statement as `<logical id without its hash>` or `<…>/*` (its objects), `.StreamArn` for a stream. */
function resourceName(resource: unknown): string {
  const getAtt = (value: unknown) => (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  const strip = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');
  const direct = getAtt(resource);
  if (direct) return `${strip(direct[0])}${direct[1] === 'Arn' ? '' : `.${direct[1]}`}`;
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const parts = join?.[1] ?? [];
  const inner = getAtt(parts[0]);
  if (inner && parts.length === 2 && parts[1] === '/*') return `${strip(inner[0])}/*`;
  return JSON.stringify(resource);
}

/** The actions a role's policies allow, by resource name (sorted, for exact comparison). */
function allowedActions(template: Template, rolePrefix: string): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {};
  for (const resource of Object.values<{ Type: string; Properties: Record<string, unknown> }>(
    template.toJSON().Resources,
  )) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = asArray(resource.Properties.Roles as { Ref: string }[]).map((role) => role.Ref);
    if (!roles.some((ref) => ref.startsWith(rolePrefix))) continue;
    const document = resource.Properties.PolicyDocument as { Statement: PolicyStatement[] };
    for (const statement of document.Statement) {
      expect(statement.Effect).toBe('Allow');
      for (const target of asArray(statement.Resource)) {
        const name = resourceName(target);
        grants[name] ??= new Set();
        for (const action of asArray(statement.Action)) grants[name].add(action);
      }
    }
  }
  return Object.fromEntries(Object.entries(grants).map(([name, actions]) => [name, [...actions].sort()]));
}

const lesson = (scenario: string) => readFileSync(join(PROJECT_ROOT, 'scenarios', scenario, 'lesson.mdx'), 'utf8');

/** Each role's exact grants, and the sentence of its lesson that states them. */
const ROLES = [
  {
    scenario: 'thumbnails',
    stack: 'LambdaWorkbook-Thumbnails',
    role: 'ThumbnailsThumbnailFunctionExecutionRole',
    grants: {
      ThumbnailsThumbnailFunctionLogGroup: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      'ThumbnailsPhotosBucket/*': ['s3:GetObject'],
      'ThumbnailsThumbnailsBucket/*': ['s3:PutObject'],
    },
    lessonSays: /`s3:GetObject` on the photos bucket's objects and `s3:PutObject` on the thumbnails bucket's objects/,
  },
  {
    scenario: 'stream-metrics',
    stack: 'LambdaWorkbook-StreamMetrics',
    role: 'StreamMetricsMetricsFunctionExecutionRole',
    grants: {
      StreamMetricsMetricsFunctionLogGroup: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      StreamMetricsMetricsTable: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      'StreamMetricsOrdersTable.StreamArn': [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
      StreamMetricsFailuresBucket: ['s3:ListBucket'],
      'StreamMetricsFailuresBucket/*': ['s3:PutObject'],
    },
    lessonSays: /`s3:PutObject` and `s3:ListBucket` on the failures bucket/,
  },
  {
    scenario: 'web-backend',
    stack: 'LambdaWorkbook-WebBackend',
    role: 'WebBackendApiFunctionExecutionRole',
    grants: {
      WebBackendApiFunctionLogGroup: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      WebBackendItemsTable: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
    },
    lessonSays: /may `GetItem`, `PutItem` and `Scan` on the items table/,
  },
  {
    scenario: 'mobile-clicks',
    stack: 'LambdaWorkbook-MobileClicks',
    role: 'MobileClicksClicksFunctionExecutionRole',
    grants: {
      MobileClicksClicksFunctionLogGroup: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      MobileClicksClicksTable: ['dynamodb:UpdateItem'],
    },
    lessonSays: /may call `dynamodb:UpdateItem` on the clicks\s+table, nothing else/,
  },
  {
    scenario: 'mobile-clicks',
    stack: 'LambdaWorkbook-MobileClicks',
    role: 'MobileClicksIdentityPoolUnauthenticatedRole',
    grants: { MobileClicksClicksFunction: ['lambda:InvokeFunction'] },
    lessonSays: /`lambda:InvokeFunction` on \*\*this\*\* function/,
  },
] as const;

describe('every scenario role allows exactly what its lesson says', () => {
  it.each(ROLES)('$role ($scenario)', ({ scenario, stack, role, grants, lessonSays }) => {
    const template = templates.get(stack);
    if (template === undefined) throw new Error(`no stack ${stack}`);
    expect(allowedActions(template, role)).toEqual(grants);
    expect(lesson(scenario)).toMatch(lessonSays);
  });
});

describe("CDK's convenience grants are wider than their names (what the lessons and comments warn about)", () => {
  it('grantRead adds s3:GetBucket* and s3:List*, grantPut five more actions than s3:PutObject', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Grants');
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    new Bucket(stack, 'Read').grantRead(role);
    new Bucket(stack, 'Put').grantPut(role);
    expect(allowedActions(Template.fromStack(stack), 'Role')).toEqual({
      Read: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'],
      'Read/*': ['s3:GetBucket*', 's3:GetObject*', 's3:List*'],
      'Put/*': [
        's3:Abort*',
        's3:PutObject',
        's3:PutObjectLegalHold',
        's3:PutObjectRetention',
        's3:PutObjectTagging',
        's3:PutObjectVersionTagging',
      ],
    });
  });
});
