// The learner's infra.ts as a stack of its own: what is refused before anything is deployed, and
// that nothing is left behind. (Deploying a real variant is proven by test/scenarios/exercises.test.ts.)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployInfraVariant, InfraVariantError } from '../../../../site/server/checks/infra-variant.ts';
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
