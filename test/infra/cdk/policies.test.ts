import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asArray,
  policyStatements,
  removeSynthOutputs,
  type SynthesizedWorkbook,
  synthWorkbook,
} from './helpers/synth.ts';

let workbook: SynthesizedWorkbook;

beforeAll(() => {
  // The class sandbox has every kind of policy: scenario grants, learner roles and groups.
  workbook = synthWorkbook({ learners: 'ada,grace', budget: '50', budgetEmail: 'teacher@example.com' });
}, 120_000);

afterAll(removeSynthOutputs);

describe('least privilege in every policy of every stack', () => {
  it('walks a meaningful number of statements', () => {
    const count = [...workbook.templates.values()].reduce((sum, t) => sum + policyStatements(t).length, 0);
    expect(count).toBeGreaterThan(40);
  });

  it('never allows every action (*) or every action of a service (s3:*)', () => {
    for (const [stack, template] of workbook.templates) {
      for (const { logicalId, statement } of policyStatements(template)) {
        for (const action of asArray(statement.Action)) {
          expect(action, `${stack}/${logicalId}`).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
        }
      }
    }
  });

  it('never allows anything on every resource (*)', () => {
    for (const [stack, template] of workbook.templates) {
      for (const { logicalId, statement } of policyStatements(template)) {
        expect(statement.NotResource, `${stack}/${logicalId}`).toBeUndefined();
        for (const resource of asArray(statement.Resource)) {
          expect(resource, `${stack}/${logicalId}: ${JSON.stringify(statement)}`).not.toBe('*');
        }
      }
    }
  });

  it('gives scenario functions no AWS managed policies (they would allow logs on every group)', () => {
    for (const [stack, template] of workbook.templates) {
      const roles = template.findResources('AWS::IAM::Role');
      for (const [id, role] of Object.entries(roles)) {
        // CDK's own custom-resource providers (bucket notifications, auto-delete) keep AWSLambdaBasicExecutionRole.
        if (/^(BucketNotificationsHandler|CustomS3AutoDeleteObjects)/.test(id)) continue;
        expect(role.Properties.ManagedPolicyArns, `${stack}/${id}`).toBeUndefined();
      }
    }
  });
});
