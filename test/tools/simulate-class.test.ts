// The class simulation end to end, small: three learners on a local cloud enforcing AWS's quotas.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
  it('sees every learner’s results arrive within the quotas, and reports the rates against them', async () => {
    const { code, out } = await simulate(['--learners', '3', '--ramp', '1', '--triggers', '2']);
    expect(out).toContain('All 3 learners: 6/6 results arrived');
    expect(out).toMatch(/\| learner1 \| 2\/2 \| [\d.]+ s \| [\d.]+ s \|/);
    expect(out).toMatch(/\| logs:FilterLogEvents \| 25\/s \| \d+\/s \| \d+% \|/);
    expect(out).toMatch(/\| lambda:control plane \| 15\/s \| \d+\/s \| \d+% \|/);
    expect(out).toContain('no operation went above 80% of its quota');
    expect(code).toBe(0);
  }, 180_000);

  it("fails the deploy as AWS does when the account's concurrency cannot hold the reserved total", async () => {
    const { code, out } = await simulate(['--learners', '2', '--account-concurrency', '10', '--triggers', '1']);
    expect(out).toContain(
      "InvalidParameterValueException: Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    expect(code).toBe(1);
  }, 120_000);
});
