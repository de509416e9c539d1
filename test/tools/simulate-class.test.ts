// The class simulation end to end, small: three learners' copies of the synthesized class stacks on
// a local cloud enforcing AWS's quotas.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Template } from '../../infra/local/deploy/template.ts';
import { SYNTHESIZED_LEARNER } from '../../tools/class-copies.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function simulate(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['tools/simulate-class.ts', ...args], { cwd: root });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('npm run simulate:class', () => {
  it('deploys the synthesized class stacks per learner and sees every learner’s results arrive within the quotas', async () => {
    // GIVEN three learners, WHEN the simulation runs (it synthesizes the class app when stale)
    const { code, out } = await simulate(['--learners', '3', '--ramp', '1', '--triggers', '2']);

    // THEN the deployed stacks are the class app's: the learner's function carries the name
    // CloudFormation generates from the synthesized template's logical id, in the learner's stack
    const template = JSON.parse(
      readFileSync(
        join(root, 'cdk.class-sim.out', `LambdaWorkbook-${SYNTHESIZED_LEARNER}-Thumbnails.template.json`),
        'utf8',
      ),
    ) as Template;
    const [logicalId] = Object.entries(template.Resources).find(
      ([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.includes('ThumbnailFunction'),
    ) as [string, unknown];
    expect(out).toMatch(/LambdaWorkbook-Class and 4 stacks per learner, 13 stacks, \d+ resources/);
    const name = /their thumbnail function is (\S+)\./.exec(out)?.[1] ?? '';
    expect(name.startsWith('LambdaWorkbook-learner1-')).toBe(true);
    expect(logicalId.startsWith(name.split('-').at(-2) as string)).toBe(true);
    // and each learner signs in with the role the class stack made for them
    expect(out).toContain('learner1 signs in as LambdaWorkbook-learner1-Learner;');

    // and every result arrived, within the quotas
    expect(out).toContain('All 3 learners: 6/6 results arrived');
    expect(out).toMatch(/\| learner1 \| 2\/2 \| [\d.]+ s \| [\d.]+ s \|/);
    expect(out).toMatch(/\| logs:FilterLogEvents \| 25\/s \| \d+\/s \| \d+% \|/);
    expect(out).toMatch(/\| lambda:control plane \| 15\/s \| \d+\/s \| \d+% \|/);
    expect(out).toContain('no operation went above 80% of its quota');
    expect(code, out).toBe(0);
  }, 300_000);

  it("fails the deploy as AWS does when the account's concurrency cannot hold the reserved total", async () => {
    const { code, out } = await simulate(['--learners', '2', '--account-concurrency', '10', '--triggers', '1']);
    expect(out).toMatch(
      /The simulation failed: DeployError: LambdaWorkbook-learner\d-\w+\/\w+ \(AWS::Lambda::Function\): Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of \[100\]\./,
    );
    expect(code, out).toBe(1);
  }, 300_000);
});
