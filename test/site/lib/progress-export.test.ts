// The progress file a learner hands in: sealed with a digest of everything else, which any change
// after export breaks; and its totals come from its lessons.
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  type ExportedLesson,
  progressBody,
  progressFileName,
  sealProgress,
  verifyProgress,
} from '../../../site/lib/progress-export.ts';

const lessons: ExportedLesson[] = [
  {
    id: 'thumbnails',
    title: 'File processing',
    edited: true,
    deploys: 3,
    runs: 5,
    lastVisit: '2026-12-07T09:00:00.000Z',
    exercises: [
      {
        id: 'decode-keys',
        title: 'Decode keys',
        status: 'pass',
        passed: 3,
        total: 3,
        checkedAt: '2026-12-07T09:01:00.000Z',
      },
      {
        id: 'skip-bad-uploads',
        title: 'Skip bad uploads',
        status: 'fail',
        passed: 1,
        total: 2,
        checkedAt: '2026-12-07T09:02:00.000Z',
      },
    ],
  },
  {
    id: 'web-backend',
    title: 'Web backend',
    edited: false,
    deploys: 0,
    runs: 0,
    exercises: [{ id: 'x', title: 'X', status: 'not-checked' }],
  },
];

describe('progress export', () => {
  it('sums up the lessons: exercises passed, exercises, lessons worked on', () => {
    const body = progressBody('  Ada Lovelace ', lessons, new Date('2026-12-07T10:00:00Z'));
    expect(body.learner).toBe('Ada Lovelace');
    expect(body.summary).toEqual({ passed: 1, exercises: 3, lessonsWorkedOn: 1 });
  });

  it('verifies a sealed file, and refuses it once anything in it changed', async () => {
    const sealed = await sealProgress(progressBody('Ada', lessons, new Date('2026-12-07T10:00:00Z')));
    expect(sealed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const text = JSON.stringify(sealed, null, 2);
    await expect(verifyProgress(text)).resolves.toMatchObject({ ok: true });
    // Reformatting does not matter: the digest is of the canonical JSON.
    await expect(verifyProgress(JSON.stringify(sealed))).resolves.toMatchObject({ ok: true });

    const edited = JSON.parse(text);
    edited.lessons[0].exercises[1].status = 'pass';
    await expect(verifyProgress(JSON.stringify(edited))).resolves.toEqual({
      ok: false,
      reason: 'the digest does not match: the file changed after export',
    });
    const renamed = { ...sealed, learner: 'Grace' };
    await expect(verifyProgress(JSON.stringify(renamed))).resolves.toMatchObject({ ok: false });
  });

  it.each([
    ['{', /^not JSON/],
    ['[]', /expected a JSON object/],
    ['{"format":"other"}', /format is "other"/],
    ['{"format":"lambda-workbook-progress","version":2}', /version 2/],
    ['{"format":"lambda-workbook-progress","version":1}', /incomplete/],
  ])('refuses %s, saying why', async (text, reason) => {
    const verdict = await verifyProgress(text);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('names the file after the learner and the day', () => {
    expect(progressFileName('Ada Lovelace', new Date('2026-12-07T10:00:00Z'))).toBe(
      'workbook-progress-ada-lovelace-2026-12-07.json',
    );
    expect(progressFileName('../../etc', new Date('2026-12-07T10:00:00Z'))).toBe(
      'workbook-progress-etc-2026-12-07.json',
    );
  });
});
