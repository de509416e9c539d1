// The learner's infra.ts as a stack of its own: what is refused before anything is deployed, and
// that nothing is left behind. (Deploying a real variant is proven by test/scenarios/exercises.test.ts.)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, type ScenarioId } from '../../../../scenarios/catalog.ts';
import { deployInfraVariant, InfraVariantError } from '../../../../site/server/checks/infra-variant.ts';
import { runCheck } from '../../../../site/server/checks/run.ts';
import type { Target } from '../../../../site/server/target.ts';
import { PROJECT_ROOT } from '../../../infra/local/deploy/assembly.ts';

const local: Target = { kind: 'local', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', stacks: {} };
const leftovers = () =>
  readdirSync(join(PROJECT_ROOT, 'scenarios', 'stream-metrics')).filter((name) => name.startsWith('.exercise-'));

describe('deployInfraVariant', () => {
  it('refuses a target on AWS, saying how to deploy there instead', async () => {
    const aws: Target = { kind: 'aws', region: 'eu-west-1', stacks: {} };
    const attempt = deployInfraVariant({ target: aws, root: PROJECT_ROOT, scenario: 'stream-metrics', source: '' });
    await expect(attempt).rejects.toThrow(InfraVariantError);
    await expect(attempt).rejects.toThrow(/only on the local cloud.*sandbox:deploy/);
  });

  it.each(['thumbnails/catch-poison-photos', 'stream-metrics/ignore-carts', 'web-backend/one-origin'])(
    'makes Check my work of %s in AWS mode an error that says why and what to do, deploying nothing',
    async (path) => {
      // GIVEN a learner's workbook in AWS mode, their scenario stack deployed (outputs as cdk writes them)
      const [scenario, exercise] = path.split('/') as [ScenarioId, string];
      const outputs = Object.fromEntries(
        [...SCENARIOS[scenario].functions.map((fn) => fn.output), ...Object.values(SCENARIOS[scenario].outputs)].map(
          (output) => [output, `ada-${output}`],
        ),
      );
      const aws: Target = {
        kind: 'aws',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9', // nothing listens: any call would fail with another message
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        stacks: { [SCENARIOS[scenario].stack]: outputs },
      };

      // WHEN they check their infra.ts
      const report = await runCheck({ target: aws, root: PROJECT_ROOT, scenario, exercise, source: '' });

      // THEN the check is an error naming the reason, with no test run
      expect(report.status).toBe('error');
      expect(report.tests).toEqual([]);
      expect(report.message).toMatch(
        /^Exercises on infra\.ts are checked only on the local cloud: .*learner role may not create stacks or roles on AWS\./,
      );
      expect(leftovers()).toEqual([]);
    },
  );

  it('refuses an infra.ts without the construct class, naming it, and removes its file', async () => {
    const attempt = deployInfraVariant({
      target: local,
      root: PROJECT_ROOT,
      scenario: 'stream-metrics',
      source: 'export const notAConstruct = 1;\n',
    });
    await expect(attempt).rejects.toThrow("must export the construct class 'StreamMetrics'");
    expect(leftovers()).toEqual([]);
    expect(existsSync(join(PROJECT_ROOT, 'node_modules', '.cache', 'lambda-workbook-exercises'))).toBe(true);
    expect(readdirSync(join(PROJECT_ROOT, 'node_modules', '.cache', 'lambda-workbook-exercises'))).toEqual([]);
  });

  it('reports an infra.ts that does not load as the learner wrote it', async () => {
    const attempt = deployInfraVariant({
      target: local,
      root: PROJECT_ROOT,
      scenario: 'stream-metrics',
      source: "import { Nope } from './no-such-module.ts';\nexport class StreamMetrics {}\n",
    });
    await expect(attempt).rejects.toThrow(/^Your infra.ts does not load/);
    expect(leftovers()).toEqual([]);
  });
});
