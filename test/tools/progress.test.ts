// `npm run progress`: an instructor's check of the files a class handed in — one line per learner,
// the tampered or foreign files named with the reason, exit 1 when any fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExportedLesson, progressBody, sealProgress } from '../../site/lib/progress-export.ts';

const dir = mkdtempSync(join(tmpdir(), 'workbook-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lesson = (passed: boolean): ExportedLesson => ({
  id: 'thumbnails',
  title: 'File processing',
  edited: true,
  deploys: 1,
  runs: 2,
  lastVisit: '2026-12-07T09:00:00.000Z',
  exercises: [
    passed
      ? {
          id: 'decode-keys',
          title: 'Decode keys',
          status: 'pass',
          passed: 3,
          total: 3,
          checkedAt: '2026-12-07T09:01:00.000Z',
        }
      : { id: 'decode-keys', title: 'Decode keys', status: 'not-checked' },
  ],
});

async function write(name: string, learner: string, passed: boolean): Promise<string> {
  const file = join(dir, name);
  const sealed = await sealProgress(progressBody(learner, [lesson(passed)], new Date('2026-12-07T10:00:00Z')));
  writeFileSync(file, JSON.stringify(sealed, null, 2));
  return file;
}

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['tools/progress.ts', ...args], { encoding: 'utf8', timeout: 30_000 });

describe('npm run progress', () => {
  it('prints one line per learner, sorted, and exits 0 when every file checks out', async () => {
    const grace = await write('grace.json', 'Grace', false);
    const ada = await write('ada.json', 'Ada', true);
    const result = run(grace, ada);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^learner\s+passed\s+thumbnails\s+exported \(UTC\)$/);
    expect(lines[1]).toMatch(/^Ada\s+1\/1\s+1\/1\s+2026-12-07 10:00$/);
    expect(lines[2]).toMatch(/^Grace\s+0\/1\s+0\/1\s+2026-12-07 10:00$/);
  });

  it('names a changed file and a file that is not one, and exits 1', async () => {
    const ada = await write('ada2.json', 'Ada', false);
    const changed = join(dir, 'changed.json');
    const sealed = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(ada, 'utf8')));
    sealed.lessons[0].exercises[0] = { ...sealed.lessons[0].exercises[0], status: 'pass', passed: 3, total: 3 };
    writeFileSync(changed, JSON.stringify(sealed));
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"hello": 1}');
    const result = run(ada, changed, other, join(dir, 'missing.json'));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('✗ changed.json: the digest does not match: the file changed after export');
    expect(result.stdout).toMatch(/✗ other\.json: not a progress file/);
    expect(result.stdout).toContain('✗ missing.json: cannot be read (ENOENT)');
    expect(result.stdout).toMatch(/^Ada\s+0\/1/m);
  });

  it('asks for a file when given none (exit 2)', () => {
    const result = run();
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Name at least one progress file/);
  });
});
