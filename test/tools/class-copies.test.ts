// One synthesized learner's class stacks, copied per learner: what each copy holds.
import { describe, expect, it } from 'vitest';
import type { StackArtifact, Template } from '../../infra/local/deploy/template.ts';
import { classCopies, SYNTHESIZED_LEARNER } from '../../tools/class-copies.ts';

const L = SYNTHESIZED_LEARNER;
const artifact = (stackName: string, template: Template, dependsOn: string[] = []): StackArtifact => ({
  stackName,
  templateFile: `${stackName}.template.json`,
  template,
  dependsOn,
  assets: new Map([['abc.zip', '/assembly/asset.abc']]),
});

// The shapes `cdk synth -c learners=<one>` gives (infra/cdk/learner-access.ts, scenario-stack.ts).
const assembly = [
  artifact('LambdaWorkbook-Class', {
    Resources: {
      CDKMetadata: { Type: 'AWS::CDK::Metadata' },
      [`${L}Role19974F90`]: { Type: 'AWS::IAM::Role', Properties: { RoleName: `LambdaWorkbook-${L}-Learner` } },
    },
    Outputs: { [`${L}RoleArn`]: { Value: { 'Fn::GetAtt': [`${L}Role19974F90`, 'Arn'] } } },
  }),
  artifact(
    `LambdaWorkbook-${L}-Thumbnails`,
    {
      Description: `Lambda Workbook: the thumbnails scenario for learner ${L}`,
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'abc.zip' } } },
        Policy: { Type: 'AWS::IAM::Policy', Properties: { Roles: [`LambdaWorkbook-${L}-Learner`] } },
      },
    },
    ['LambdaWorkbook-Class'],
  ),
];

describe('classCopies', () => {
  it("merges every learner's access into the one class stack, first", () => {
    const [classStack] = classCopies(assembly, ['ada', 'grace']);
    expect(classStack?.stackName).toBe('LambdaWorkbook-Class');
    expect(Object.keys(classStack?.template.Resources ?? {}).sort()).toEqual([
      'CDKMetadata',
      'adaRole19974F90',
      'graceRole19974F90',
    ]);
    expect(classStack?.template.Resources.graceRole19974F90?.Properties).toEqual({
      RoleName: 'LambdaWorkbook-grace-Learner',
    });
    expect(Object.keys(classStack?.template.Outputs ?? {}).sort()).toEqual(['adaRoleArn', 'graceRoleArn']);
  });

  it('gives each learner the scenario stacks under their name, with their role and the same assets', () => {
    const [, ada, grace] = classCopies(assembly, ['ada', 'grace']);
    expect([ada?.stackName, grace?.stackName]).toEqual([
      'LambdaWorkbook-ada-Thumbnails',
      'LambdaWorkbook-grace-Thumbnails',
    ]);
    expect(grace?.template.Description).toBe('Lambda Workbook: the thumbnails scenario for learner grace');
    expect(grace?.template.Resources.Policy?.Properties).toEqual({ Roles: ['LambdaWorkbook-grace-Learner'] });
    expect(grace?.assets.get('abc.zip')).toBe('/assembly/asset.abc');
    expect(grace?.dependsOn).toEqual(['LambdaWorkbook-Class']);
    expect(JSON.stringify(grace?.template)).not.toContain(L);
  });

  it('refuses an assembly that is not a class synthesized for the placeholder learner', () => {
    const local = [artifact('LambdaWorkbook-Thumbnails', { Resources: {} })];
    expect(() => classCopies(local, ['ada'])).toThrow(/no class synthesized for learner 'zzsynthlearner'/);
  });
});
