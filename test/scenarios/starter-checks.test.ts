// Every exercise's starter, checked as "Check my work" checks it against a local cloud: it fails,
// each failing test ends on what the attempt did (never by waiting out a timeout: no "Waited … in
// vain"), and says what to do in words fitted to the starter. The hints for other attempts (half of
// the fix, the wrong field or order) are in exercise-hints.test.ts and decode-keys-check.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioId } from '../../scenarios/catalog.ts';
import { runCheck } from '../../site/server/checks/run.ts';
import { PROJECT_ROOT } from '../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from '../site/server/checks/cloud.ts';

let deployed: DeployedCloud;
beforeAll(async () => {
  deployed = await startDeployedCloud();
}, 400_000);
afterAll(async () => {
  await deployed?.close();
});

/** Each exercise, and what its starter's failures must say (one pattern per failing test, in order). */
const STARTERS: [ScenarioId, string, RegExp[]][] = [
  [
    'thumbnails',
    'decode-keys',
    [
      /S3's notification ran the function.*waiting longer would not help\. The key is used as S3 sent it/,
      /The function failed for .*The key is used as S3 sent it/,
    ],
  ],
  [
    'thumbnails',
    'skip-bad-uploads',
    [/skip the object instead of throwing/, /skip objects that are not photos/, /skip the bad record and go on/],
  ],
  ['thumbnails', 'catch-poison-photos', [/no asynchronous invocation settings/, /no asynchronous invocation settings/]],
  [
    'stream-metrics',
    'count-removals',
    [/eventName REMOVE, and they were not counted: count them too/, /eventName REMOVE, and they were not counted/],
  ],
  [
    'stream-metrics',
    'idempotent-redelivery',
    [/remember which eventIDs were applied/, /Deduplicate per record \(eventID\)/],
  ],
  [
    'stream-metrics',
    'partial-batch-failure',
    [/report the bad record in batchItemFailures/, /report the bad record in batchItemFailures/],
  ],
  ['stream-metrics', 'ignore-carts', [/The cart was handed to the function: filter the event source mapping/]],
  [
    'web-backend',
    'item-not-found',
    [
      /answered 500; expected 404\. API Gateway answers 500 when the function throws/,
      /answered 500; expected 400\. API Gateway answers 500/,
    ],
  ],
  [
    'web-backend',
    'validate-new-items',
    [/answered 500; expected 400\. API Gateway answers 500 when the function throws/, /answered 500; expected 400/],
  ],
  ['web-backend', 'one-origin', [/name the shop itself/, /allow the shop's origin only/]],
  [
    'mobile-clicks',
    'reject-invalid-clicks',
    [/The function threw for an invalid request/, /InvalidRequest/, /InvalidRequest/],
  ],
  ['mobile-clicks', 'your-own-count', [/The answers have no yourCount/]],
  [
    'mobile-clicks',
    'count-by-identity',
    [/yourCount followed the clientId the app wrote/, /no Cognito identity to count it for/],
  ],
];

describe("each exercise's starter", () => {
  it.each(STARTERS)(
    '%s/%s fails, ending on what it did, with the hint that fits',
    { timeout: 240_000 },
    async (scenario, exercise, hints) => {
      const source = readFileSync(
        join(PROJECT_ROOT, 'scenarios', scenario, 'exercises', exercise, 'starter.ts'),
        'utf8',
      );
      const report = await runCheck({ target: deployed.target, root: PROJECT_ROOT, scenario, exercise, source });
      expect(report.status, JSON.stringify(report, null, 2)).toBe('fail');
      const failed = report.tests.filter((test) => test.status !== 'pass');
      expect(failed.map((test) => test.status)).toEqual(hints.map(() => 'fail'));
      failed.forEach((test, index) => {
        expect(test.message).toMatch(hints[index] as RegExp);
        expect(test.message).not.toMatch(/^Waited .* in vain/);
      });
    },
  );
});
