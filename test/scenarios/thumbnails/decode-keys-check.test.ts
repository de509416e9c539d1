// The decode-keys check against the attempts learners really make: each failing test ends as soon
// as the function's own answer settles it (no waiting out a thumbnail that cannot come), says what it
// waited for and why while it waits, and gives the hint that fits the attempt — nothing decoded,
// '%'-escapes decoded but '+' left, '+' replaced but escapes left, both in the wrong order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../../site/lib/workbench-api.ts';
import { runCheck } from '../../../site/server/checks/run.ts';
import { PROJECT_ROOT } from '../../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from '../../site/server/checks/cloud.ts';

const dir = join(PROJECT_ROOT, 'scenarios', 'thumbnails', 'exercises', 'decode-keys');
const starter = readFileSync(join(dir, 'starter.ts'), 'utf8');
const solution = readFileSync(join(dir, 'solution.ts'), 'utf8');
const DECODE = "decodeURIComponent(key.replace(/\\+/g, ' '))";
const variant = (expression: string) => {
  expect(solution).toContain(DECODE);
  return solution.replace(DECODE, expression);
};

let deployed: DeployedCloud;
beforeAll(async () => {
  deployed = await startDeployedCloud(['LambdaWorkbook-Thumbnails']);
}, 240_000);
afterAll(async () => {
  await deployed?.close();
});

async function check(source: string): Promise<{ report: CheckReport; waits: string[] }> {
  const waits: string[] = [];
  const report = await runCheck({
    target: deployed.target,
    root: PROJECT_ROOT,
    scenario: 'thumbnails',
    exercise: 'decode-keys',
    source,
    onPhase: (phase) => {
      if (phase.kind === 'waiting') waits.push(`${phase.what} (${phase.why}) up to ${phase.upToMs} ms`);
    },
  });
  return { report, waits };
}

const failures = (report: CheckReport) => report.tests.filter((test) => test.status !== 'pass');

describe('the decode-keys check', () => {
  it.each([
    [
      'the starter (nothing decoded)',
      starter,
      /The key is used as S3 sent it, URL-encoded \('summer\+trip\/caf%C3%A9\.jpg'/,
    ],
    [
      'decodeURIComponent alone',
      variant('decodeURIComponent(key)'),
      /You decode the %-escapes, but S3 sends a space as '\+'/,
    ],
    ["'+' replaced, escapes left", variant("key.replace(/\\+/g, ' ')"), /Spaces come through, but the %-escapes stay/],
    [
      'decoded, then + replaced',
      variant("decodeURIComponent(key).replace(/\\+/g, ' ')"),
      /a '\+' in the name itself arrives as '%2B'/,
    ],
  ])(
    '%s: fails with the hint that fits, without waiting out the thumbnail',
    { timeout: 180_000 },
    async (_, source, hint) => {
      const { report, waits } = await check(source);
      expect(report.status).toBe('fail');
      const failed = failures(report);
      expect(failed.length).toBeGreaterThan(0);
      for (const test of failed) {
        expect(test.status, test.message).toBe('fail');
        expect(test.message).toMatch(hint);
        // Ended by the function's own answer, not by a 20-second wait.
        expect(test.message).toMatch(
          /waiting longer would not help|wrote no thumbnail under that name|The function failed for/,
        );
      }
      // Waiting for S3's notification was announced with its reason; it ended with the run S3 set off.
      expect(waits.length).toBeGreaterThan(0);
      for (const wait of waits)
        expect(wait).toMatch(/\(S3 invokes the function asynchronously, a moment after the upload\) up to 20000 ms$/);
      for (const test of failed.filter((t) => /beach day/.test(t.message ?? ''))) {
        expect(test.message).toMatch(/^S3's notification ran the function/);
        expect(test.output).toMatch(/^Run 1 of \d+ \(request /);
      }
    },
  );

  it('passes the solution', { timeout: 120_000 }, async () => {
    const { report } = await check(solution);
    expect(report.status, JSON.stringify(report.tests, null, 2)).toBe('pass');
  });
});
