// Focused excerpts of real source files for the lessons: a lesson imports the file with `?raw`
// and shows the lines between two markers, so what the page shows is always what runs.

/** Thrown when an excerpt's markers are not in the file: the build fails instead of showing stale code. */
export class ExcerptError extends Error {
  override name = 'ExcerptError';
}

/**
 * The lines of `source` from the first line containing `from` through the first line after it
 * whose text (trailing spaces ignored) is exactly `to`, e.g. `excerpt(handler, 'export const
 * handler', '};')`, without the indentation the lines share. With `to` omitted, only the line
 * containing `from`.
 */
export function excerpt(source: string, from: string, to?: string): string {
  const lines = source.split(/\r?\n/);
  const start = lines.findIndex((line) => line.includes(from));
  if (start === -1) throw new ExcerptError(`excerpt: no line contains ${JSON.stringify(from)}.`);
  if (to === undefined) return dedent([lines[start] ?? '']);
  const end = lines.findIndex((line, index) => index > start && line.trimEnd() === to);
  if (end === -1) {
    throw new ExcerptError(
      `excerpt: no line equal to ${JSON.stringify(to)} after the line containing ${JSON.stringify(from)}.`,
    );
  }
  return dedent(lines.slice(start, end + 1));
}

/** The lines without the indentation they all share (blank lines do not count), joined. */
function dedent(lines: readonly string[]): string {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => line.slice(Math.min(common, line.length - line.trimStart().length))).join('\n');
}
