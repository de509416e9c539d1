// The hints the exercises' checks give, fitted to what an attempt did — the starter untouched, half
// of the fix, the wrong field, the wrong order — from constructed outcomes (what the checks saw for
// those attempts). The checks run end to end against the starters in starter-checks.test.ts.
import { describe, expect, it } from 'vitest';
import { yourCountHint } from '../../scenarios/mobile-clicks/exercises/support.ts';
import { removalHint } from '../../scenarios/stream-metrics/exercises/count-removals/check.ts';
import { deliveryHint } from '../../scenarios/stream-metrics/exercises/idempotent-redelivery/check.ts';
import { reportedHint } from '../../scenarios/stream-metrics/exercises/partial-batch-failure/check.ts';
import { allowsPut, missingRecordHint } from '../../scenarios/thumbnails/exercises/catch-poison-photos/check.ts';
import { statusHint } from '../../scenarios/web-backend/exercises/support.ts';
import type { EndedInvocation } from '../../site/server/checks/types.ts';

const run = (error?: string): EndedInvocation => ({
  requestId: 'r',
  startedAt: 1,
  report: 'REPORT RequestId: r',
  logs: [],
  ...(error ? { error } : {}),
});

describe('count-removals', () => {
  it.each([
    [
      'the starter (REMOVE skipped)',
      { INSERT: 1, MODIFY: 0, REMOVE: 0, revenue: 12.34 },
      [run()],
      /eventName REMOVE, and they were not counted/,
    ],
    [
      'REMOVE read from NewImage (it fails)',
      { INSERT: 1, MODIFY: 0, REMOVE: 0, revenue: 12.34 },
      [run("TypeError: Cannot read properties of undefined (reading 'total')")],
      /failed on the deletion's record \(TypeError.*read the deleted order from OldImage/,
    ],
    [
      'counted, total left in revenue',
      { INSERT: 1, MODIFY: 0, REMOVE: 1, revenue: 12.34 },
      [run()],
      /stayed in revenue: take OldImage.total off it/,
    ],
    ['counted twice', { INSERT: 1, MODIFY: 0, REMOVE: 2, revenue: -12.34 }, [run()], /counted more than once/],
  ])('%s', (_, seen, runs, hint) => {
    expect(removalHint(seen, 12.34, runs)).toMatch(hint);
  });
});

describe('catch-poison-photos', () => {
  it('says the role lacks s3:PutObject when every attempt failed and the role cannot write the record', () => {
    expect(missingRecordHint([run('NoSuchKey: gone'), run('NoSuchKey: gone')], 'failures', false)).toMatch(
      /may not s3:PutObject into failures: Lambda writes the failure record with the function’s own role/,
    );
  });
  it('says there was nothing to record when the attempts did not fail', () => {
    expect(missingRecordHint([run(), run()], 'failures', true)).toMatch(/no failure to record/);
  });
  it('asks about the destination when the role may write', () => {
    expect(missingRecordHint([run('x'), run('x')], 'failures', true)).toMatch(
      /Does the on-failure destination name that bucket/,
    );
  });
  it.each([
    [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::failures/*' }, true],
    [
      {
        Effect: 'Allow',
        Action: ['s3:PutObject*', 's3:Abort*'],
        Resource: ['arn:aws:s3:::failures', 'arn:aws:s3:::failures/*'],
      },
      true,
    ],
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::failures/*' }, false],
    [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/*' }, false],
  ])('allowsPut(%j) is %s', (statement, expected) => {
    expect(allowsPut(statement, 'failures')).toBe(expected);
  });
});

describe('idempotent-redelivery', () => {
  it('recognises a duplicate refused by a conditional write whose error escaped', () => {
    expect(deliveryHint('ConditionalCheckFailedException')).toMatch(/catch it, and skip that record/);
    expect(deliveryHint('TypeError')).toBe('');
  });
});

describe('partial-batch-failure', () => {
  const bad = { eventID: 'abc123', dynamodb: { SequenceNumber: '900' } };
  it.each([
    [[], /Nothing was reported/],
    [['abc123'], /reported the record’s eventID: .*dynamodb.SequenceNumber/],
    [['100'], /not the bad record’s/],
  ])('reported %j', (reported, hint) => {
    expect(reportedHint(reported, bad)).toMatch(hint);
  });
});

describe('web-backend', () => {
  it.each([
    [500, 404, /throws: catch the bad input and answer 404 yourself/],
    [200, 404, /GetItem answers no Item for an unknown id — answer 404/],
    [201, 400, /went through as it is/],
    [404, 400, /malformed id was looked up \(404\): check that it is a UUID first/],
    [400, 404, /not a bad request: answer 404/],
    [403, 400, /^$/],
  ])('answered %i where %i was expected', (answered, expected, hint) => {
    expect(statusHint(answered, expected)).toMatch(hint);
  });
});

describe('mobile-clicks yourCount', () => {
  const click = (identityId: string, answer: unknown, clientId = identityId) => ({
    who: identityId,
    identityId,
    clientId,
    answer,
    expected: { count: 1, yourCount: 1 },
  });
  it('the starter: no yourCount at all', () => {
    expect(yourCountHint([click('ada', { count: 1 })], (c) => c.clientId)).toMatch(/have no yourCount/);
  });
  it("half the fix: yourCount counted under the button's key", () => {
    expect(
      yourCountHint(
        [click('ada', { count: 1, yourCount: 1 }), click('grace', { count: 2, yourCount: 2 })],
        (c) => c.clientId,
      ),
    ).toMatch(/always the button's total/);
  });
  it('yourCount keyed by the clientId the app wrote', () => {
    expect(
      yourCountHint(
        [
          click('ada', { count: 1, yourCount: 1 }),
          click('grace', { count: 2, yourCount: 2 }, 'ada'),
          click('ada', { count: 3, yourCount: 3 }),
        ].map((c, i) =>
          i === 1
            ? { ...c, answer: { count: 2, yourCount: 2 } }
            : { ...c, answer: i === 2 ? { count: 3, yourCount: 2 } : c.answer },
        ),
        (c) => c.clientId,
      ),
    ).toMatch(/followed the clientId the app wrote.*context.identity.cognitoIdentityId/);
  });
});
