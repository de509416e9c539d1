// What a class-sandbox learner's role may read and change of their own functions, for the
// workbench's configuration view: GetPolicy, the triggers' look-ups, the execution role's and the
// identity pool's guest role's policies, and UpdateFunctionConfiguration limited by IAM's
// conditions. Each grant names the learner's own resources, never "*".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asArray,
  type PolicyStatement,
  policyStatements,
  removeSynthOutputs,
  type SynthesizedWorkbook,
  synthWorkbook,
} from './helpers/synth.ts';

let workbook: SynthesizedWorkbook;

beforeAll(() => {
  workbook = synthWorkbook({ learners: 'ada,grace' });
}, 120_000);
afterAll(removeSynthOutputs);

type Statement = PolicyStatement & { Condition?: Record<string, Record<string, unknown>> };

/** The statements of the policy a learner's stack attaches to the learner's role. */
function learnerStatements(stack: string, learner: string): Statement[] {
  const template = workbook.templates.get(stack);
  if (!template) throw new Error(`no template ${stack}`);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [`LambdaWorkbook-${learner}-Learner`] },
  });
  const ids = new Set(Object.keys(policies));
  return policyStatements(template)
    .filter(({ logicalId }) => ids.has(logicalId))
    .map(({ statement }) => statement as Statement);
}

/** The statements that allow `action`. */
const allowing = (statements: Statement[], action: string) =>
  statements.filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action));

/** The logical id a resource expression points at (`{ 'Fn::GetAtt': [id, 'Arn'] }`, a join naming it…). */
function pointsAt(resource: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string') found.push(inner);
        else if (key === 'Fn::GetAtt' && Array.isArray(inner)) found.push(String(inner[0]));
        else walk(inner);
      }
    }
  };
  walk(resource);
  return found.filter((id) => !id.startsWith('AWS::'));
}

/** The logical ids of a stack's resources of `type`. */
const idsOfType = (stack: string, type: string) =>
  Object.keys(workbook.templates.get(stack)?.findResources(type) ?? {});

const LEARNER_STACKS = ['Thumbnails', 'StreamMetrics', 'WebBackend', 'MobileClicks'].map(
  (scenario) => `LambdaWorkbook-ada-${scenario}`,
);

describe("the learner role's grants for the configuration view", () => {
  it.each(LEARNER_STACKS)('%s: GetPolicy on its own functions only', (stack) => {
    const functions = new Set(idsOfType(stack, 'AWS::Lambda::Function'));
    const statements = allowing(learnerStatements(stack, 'ada'), 'lambda:GetPolicy');
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const targets = asArray(statement.Resource).flatMap(pointsAt);
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) expect(functions.has(target), target).toBe(true);
    }
  });

  it.each(LEARNER_STACKS)(
    '%s: UpdateFunctionConfiguration on its own functions, keeping their layers and out of any VPC',
    (stack) => {
      const functions = new Set(idsOfType(stack, 'AWS::Lambda::Function'));
      const layers = new Set(idsOfType(stack, 'AWS::Lambda::LayerVersion'));
      const statements = allowing(learnerStatements(stack, 'ada'), 'lambda:UpdateFunctionConfiguration');
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        // Only this action in the statement: its conditions must not loosen or tighten the others.
        expect(asArray(statement.Action)).toEqual(['lambda:UpdateFunctionConfiguration']);
        const targets = asArray(statement.Resource).flatMap(pointsAt);
        expect(targets.length).toBe(1);
        expect(functions.has(targets[0] ?? '')).toBe(true);
        expect(statement.Condition?.Null).toMatchObject({
          'lambda:VpcIds': 'true',
          'lambda:SubnetIds': 'true',
          'lambda:SecurityGroupIds': 'true',
        });
        const allowedLayers = statement.Condition?.['ForAllValues:StringEquals']?.['lambda:Layer'];
        if (allowedLayers === undefined) {
          // A function without layers may not be given one.
          expect(statement.Condition?.Null?.['lambda:Layer']).toBe('true');
        } else {
          for (const layer of asArray(allowedLayers).flatMap(pointsAt)) expect(layers.has(layer), layer).toBe(true);
        }
      }
    },
  );

  it('thumbnails: the sharp layer is the one layer the function may keep', () => {
    const [statement] = allowing(
      learnerStatements('LambdaWorkbook-ada-Thumbnails', 'ada'),
      'lambda:UpdateFunctionConfiguration',
    );
    const layers = idsOfType('LambdaWorkbook-ada-Thumbnails', 'AWS::Lambda::LayerVersion');
    expect(layers).toHaveLength(1);
    expect(asArray(statement?.Condition?.['ForAllValues:StringEquals']?.['lambda:Layer']).flatMap(pointsAt)).toEqual(
      layers,
    );
  });

  it.each(LEARNER_STACKS)("%s: the execution roles' policies, on those roles only", (stack) => {
    const roles = new Set(idsOfType(stack, 'AWS::IAM::Role'));
    const statements = learnerStatements(stack, 'ada');
    for (const action of ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies']) {
      const granted = allowing(statements, action);
      expect(granted.length, action).toBeGreaterThan(0);
      for (const statement of granted) {
        for (const target of asArray(statement.Resource).flatMap(pointsAt)) expect(roles.has(target)).toBe(true);
        expect(statement.Resource).not.toBe('*');
      }
    }
  });

  it('thumbnails and stream-metrics: GetBucketNotification on their own buckets', () => {
    for (const stack of ['LambdaWorkbook-ada-Thumbnails', 'LambdaWorkbook-ada-StreamMetrics']) {
      const buckets = idsOfType(stack, 'AWS::S3::Bucket');
      const statements = allowing(learnerStatements(stack, 'ada'), 's3:GetBucketNotification');
      const targets = statements.flatMap((s) => asArray(s.Resource).flatMap(pointsAt));
      // Every bucket the scenario has that the view looks at, and nothing else.
      for (const target of targets) expect(buckets).toContain(target);
      expect(new Set(targets).size).toBeGreaterThan(0);
    }
  });

  it('web-backend: apigateway:GET on its own API only', () => {
    const stack = 'LambdaWorkbook-ada-WebBackend';
    const apis = idsOfType(stack, 'AWS::ApiGatewayV2::Api');
    const statements = allowing(learnerStatements(stack, 'ada'), 'apigateway:GET');
    expect(statements).toHaveLength(1);
    const resources = asArray(statements[0]?.Resource);
    expect(resources).toHaveLength(2);
    for (const resource of resources) expect(pointsAt(resource)).toEqual(apis);
    expect(JSON.stringify(resources)).toContain('::/apis/');
  });

  it("mobile-clicks: reads the identity pool's guest role, and no other role", () => {
    const stack = 'LambdaWorkbook-ada-MobileClicks';
    const statements = allowing(learnerStatements(stack, 'ada'), 'iam:GetRole');
    expect(statements).toHaveLength(1);
    const [target] = asArray(statements[0]?.Resource).flatMap(pointsAt);
    const guest = workbook.templates.get(stack)?.findResources('AWS::Cognito::IdentityPoolRoleAttachment') ?? {};
    expect(JSON.stringify(Object.values(guest)[0]?.Properties?.Roles?.unauthenticated)).toContain(String(target));
  });

  it('stream-metrics: GetEventSourceMapping on its own mappings, whose ids are stack outputs', () => {
    const stack = 'LambdaWorkbook-ada-StreamMetrics';
    const mappings = idsOfType(stack, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(2);
    const statements = allowing(learnerStatements(stack, 'ada'), 'lambda:GetEventSourceMapping');
    const targets = statements.flatMap((s) => asArray(s.Resource).flatMap(pointsAt));
    expect(targets.sort()).toEqual([...mappings].sort());
    const outputs = workbook.templates.get(stack)?.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const key of ['MetricsEventSourceMappingId', 'ClickMetricsEventSourceMappingId']) {
      expect(mappings).toContain((outputs[key]?.Value as { Ref?: string })?.Ref);
    }
    // Listing cannot be scoped to a resource in IAM: not granted.
    for (const other of LEARNER_STACKS) {
      expect(allowing(learnerStatements(other, 'ada'), 'lambda:ListEventSourceMappings')).toEqual([]);
    }
  });

  it('grants nothing on "*"', () => {
    for (const stack of LEARNER_STACKS) {
      for (const statement of learnerStatements(stack, 'ada')) expect(asArray(statement.Resource)).not.toContain('*');
    }
  });
});
