import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyStatements, removeSynthOutputs, type SynthesizedWorkbook, synthWorkbook } from './helpers/synth.ts';

let workbook: SynthesizedWorkbook;
const learners = ['ada', 'grace'];
const scenarios = ['Thumbnails', 'StreamMetrics', 'WebBackend', 'MobileClicks'];

beforeAll(() => {
  workbook = synthWorkbook({ learners: learners.join(','), budget: '50', budgetEmail: 'teacher@example.com' });
}, 120_000);

afterAll(removeSynthOutputs);

/** The logical ids of every resource in a template. */
const logicalIds = (name: string) => new Set(Object.keys(workbook.templates.get(name)!.toJSON().Resources));

/** Every Ref / Fn::GetAtt target in a JSON value. */
function references(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) references(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.push(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner)) found.push(String(inner[0]));
      else references(inner, found);
    }
  }
  return found;
}

describe('class sandbox (-c learners=ada,grace)', () => {
  it('gives each learner their own copy of every scenario, plus the class stack', () => {
    expect([...workbook.templates.keys()].sort()).toEqual(
      ['LambdaWorkbook-Class', ...learners.flatMap((l) => scenarios.map((s) => `LambdaWorkbook-${l}-${s}`))].sort(),
    );
  });

  it('makes every learner stack depend on the class stack (the learner role must exist first)', () => {
    for (const stack of workbook.scenarioStacks) {
      expect(stack.dependencies.map((d) => d.stackName)).toContain('LambdaWorkbook-Class');
    }
  });

  it('creates a role per learner, assumable in the account, and a group allowed to assume only it', () => {
    const t = workbook.templates.get('LambdaWorkbook-Class')!;
    for (const learner of learners) {
      t.hasResourceProperties('AWS::IAM::Role', { RoleName: `LambdaWorkbook-${learner}-Learner` });
      t.hasResourceProperties('AWS::IAM::Group', { GroupName: `LambdaWorkbook-${learner}` });
    }
    const groupPolicies = t.findResources('AWS::IAM::Policy', { Properties: { Groups: Match.anyValue() } });
    expect(Object.keys(groupPolicies)).toHaveLength(learners.length);
    for (const policy of Object.values(groupPolicies)) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
      ]);
    }
  });

  it.each(learners)("scopes %s's stack descriptions to their own stacks by name", (learner) => {
    const t = workbook.templates.get('LambdaWorkbook-Class')!;
    const statements = policyStatements(t).filter(({ statement }) =>
      JSON.stringify(statement).includes('cloudformation:DescribeStacks'),
    );
    const mine = statements.filter(({ statement }) =>
      JSON.stringify(statement.Resource).includes(`LambdaWorkbook-${learner}-*`),
    );
    expect(mine).toHaveLength(1);
  });

  it.each(learners.flatMap((learner) => scenarios.map((scenario) => [learner, scenario] as const)))(
    "%s's %s stack grants their role access to that stack's own resources only",
    (learner, scenario) => {
      const name = `LambdaWorkbook-${learner}-${scenario}`;
      const t = workbook.templates.get(name)!;
      const learnerPolicies = t.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [`LambdaWorkbook-${learner}-Learner`] },
      });
      // GIVEN the policy attached to the learner's role in their stack
      expect(Object.keys(learnerPolicies)).toHaveLength(1);
      const document = Object.values(learnerPolicies)[0]!.Properties.PolicyDocument;
      // THEN every resource it names is a resource of this very stack (or a pseudo parameter)
      const own = logicalIds(name);
      for (const target of references(document)) {
        expect(own.has(target) || target.startsWith('AWS::'), `${name}: ${target}`).toBe(true);
      }
      // AND it names no other learner, and no resource by a literal ARN pattern
      const text = JSON.stringify(document);
      for (const other of learners.filter((l) => l !== learner)) expect(text).not.toContain(other);
      expect(text).not.toMatch(/"arn:aws/);
      // AND no policy in this stack is attached to another learner's role
      for (const other of learners.filter((l) => l !== learner)) {
        expect(
          Object.keys(
            t.findResources('AWS::IAM::Policy', { Properties: { Roles: [`LambdaWorkbook-${other}-Learner`] } }),
          ),
        ).toEqual([]);
      }
    },
  );

  it('prefixes learner copies so resource names cannot collide', () => {
    const ada = workbook.templates.get('LambdaWorkbook-ada-Thumbnails')!.toJSON();
    expect(ada.Resources).toBeDefined();
    expect(workbook.scenarioStacks.map((s) => s.stackName)).toContain('LambdaWorkbook-grace-Thumbnails');
    for (const stack of workbook.scenarioStacks) {
      expect(stack.tags.tagValues()['lambda-workbook:learner']).toBe(stack.stackName.split('-')[1]);
    }
  });

  it('adds a monthly budget that emails the instructor', () => {
    workbook.templates.get('LambdaWorkbook-Class')!.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 50, Unit: 'USD' } },
      NotificationsWithSubscribers: Match.arrayWith([
        {
          Notification: {
            NotificationType: 'FORECASTED',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 100,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'teacher@example.com' }],
        },
      ]),
    });
  });

  it('numbers learners given as a count (-c learners=3)', { timeout: 120_000 }, () => {
    const counted = synthWorkbook({ learners: '3' });
    expect(counted.scenarioStacks.map((s) => s.stackName)).toContain('LambdaWorkbook-learner3-MobileClicks');
    expect(counted.scenarioStacks).toHaveLength(12);
    counted.templates.get('LambdaWorkbook-Class')!.resourceCountIs('AWS::Budgets::Budget', 0);
  });
});
