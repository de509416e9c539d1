import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findExercise, loadExercises, parseFrontmatter } from '../../../../site/server/checks/exercises.ts';

let root: string;
const write = (exercise: string, files: Record<string, string>) => {
  const dir = join(root, 'scenarios', 'thumbnails', 'exercises', exercise);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
};
const complete = (readme: string) => ({
  'README.md': readme,
  'starter.ts': '// starter',
  'solution.ts': '// solution',
  'check.ts': 'export const tests = [];',
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'workbook-exercises-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('parseFrontmatter', () => {
  it('reads flat key: value lines, quoted or not, and the body after them', () => {
    expect(parseFrontmatter("---\ntitle: 'A: quoted title'\norder: 2\n---\n\n## Goal\nText\n", 'x.md')).toEqual({
      fields: { title: 'A: quoted title', order: '2' },
      body: '## Goal\nText',
    });
  });

  it('refuses text without frontmatter and lines that are not key: value', () => {
    expect(() => parseFrontmatter('# Title\n', 'x.md')).toThrow('x.md: must start with frontmatter');
    expect(() => parseFrontmatter('---\ntitle: A\n- list item\n---\nBody', 'x.md')).toThrow(
      "x.md: frontmatter line 3 is not 'key: value'",
    );
  });
});

describe('loadExercises', () => {
  it('answers the exercises sorted by their README order, with statement, starter and solution', () => {
    write('second', complete('---\ntitle: Second\norder: 2\n---\nDo the second thing.'));
    write('first', complete('---\ntitle: "First"\norder: 1\n---\nDo the first thing.'));
    write('also-second', complete('---\ntitle: Also second\norder: 2\n---\nTie, sorted by id.'));
    const list = loadExercises(root, 'thumbnails');
    expect(list.map((e) => e.id)).toEqual(['first', 'also-second', 'second']);
    expect(list[0]).toEqual({
      id: 'first',
      title: 'First',
      statement: 'Do the first thing.',
      starter: '// starter',
      solution: '// solution',
    });
    expect(findExercise(root, 'thumbnails', 'second')?.title).toBe('Second');
    expect(findExercise(root, 'thumbnails', 'nope')).toBeUndefined();
    expect(findExercise(root, 'thumbnails', '../second')).toBeUndefined();
  });

  it('answers none for a scenario without an exercises folder, and ignores loose files in it', () => {
    expect(loadExercises(root, 'web-backend')).toEqual([]);
    mkdirSync(join(root, 'scenarios', 'thumbnails', 'exercises'), { recursive: true });
    writeFileSync(join(root, 'scenarios', 'thumbnails', 'exercises', 'support.ts'), '// shared by checks');
    expect(loadExercises(root, 'thumbnails')).toEqual([]);
  });

  it('says which file is missing or malformed', () => {
    write('broken', { 'README.md': '---\ntitle: T\norder: 1\n---\nBody' });
    expect(() => loadExercises(root, 'thumbnails')).toThrow(/broken[/\\]starter\.ts is missing/);
    write('broken', complete('---\ntitle: T\norder: first\n---\nBody'));
    expect(() => loadExercises(root, 'thumbnails')).toThrow("needs an integer 'order', got 'first'");
    write('broken', complete('---\norder: 1\n---\nBody'));
    expect(() => loadExercises(root, 'thumbnails')).toThrow("needs a non-empty 'title'");
    write('broken', complete('---\ntitle: T\norder: 1\n---\n'));
    expect(() => loadExercises(root, 'thumbnails')).toThrow(
      'the statement (the Markdown after the frontmatter) is empty',
    );
  });

  it('refuses an unknown scenario', () => {
    expect(() => loadExercises(root, 'nope' as 'thumbnails')).toThrow("Unknown scenario 'nope'");
  });
});
