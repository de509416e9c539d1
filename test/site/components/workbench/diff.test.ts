// The line diff behind "Show solution": kept, removed and added lines with their numbers.
import { describe, expect, it } from 'vitest';
import { diffLines } from '../../../../site/components/workbench/diff.ts';

const kinds = (before: string, after: string) =>
  diffLines(before, after).map(
    (line) => `${line.kind === 'same' ? ' ' : line.kind === 'added' ? '+' : '-'}${line.text}`,
  );

describe('diffLines', () => {
  it('finds a changed line between unchanged ones, with both line numbers', () => {
    const lines = diffLines('a\nb\nc\n', 'a\nB\nc\n');
    expect(lines).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'added', text: 'B', newLine: 2 },
      { kind: 'removed', text: 'b', oldLine: 2 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 3 },
    ]);
  });

  it('keeps the longest common run and marks insertions and deletions', () => {
    expect(kinds('x\nkeep1\nkeep2\ny', 'keep1\nnew\nkeep2\ny\nz')).toEqual([
      '-x',
      ' keep1',
      '+new',
      ' keep2',
      ' y',
      '+z',
    ]);
  });

  it('says nothing changed for identical texts, CRLF or not', () => {
    expect(diffLines('one\r\ntwo\r\n', 'one\ntwo\n').every((line) => line.kind === 'same')).toBe(true);
  });

  it('handles an empty side', () => {
    expect(kinds('', 'a\nb')).toEqual(['+a', '+b']);
    expect(kinds('a', '')).toEqual(['-a']);
  });
});
