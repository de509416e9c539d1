// The learner's workbench attempt at an exercise, as a file `npm run check` can read. The browser
// keeps the attempt in its own storage; each "Check my work" also saves the checked source here,
// beside the stack outputs file (`.data/attempts/<scenario>/<exercise>.ts`), so the terminal checks
// the same code the page did.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the attempts of a workbook live: beside its stack outputs file (the data directory). */
export const attemptsDirFor = (stackOutputsFile: string): string => join(dirname(stackOutputsFile), 'attempts');

export const attemptFile = (dir: string, scenario: string, exercise: string): string =>
  join(dir, scenario, `${exercise}.ts`);

/** Saves the source "Check my work" checked (written aside and renamed: never read half-written). */
export function saveAttempt(dir: string, scenario: string, exercise: string, source: string): string {
  const file = attemptFile(dir, scenario, exercise);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, source, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return file;
}

export interface SavedAttempt {
  readonly file: string;
  readonly source: string;
  readonly savedAt: Date;
}

/** The attempt last checked in the workbench, or undefined when none was saved. */
export function readAttempt(dir: string, scenario: string, exercise: string): SavedAttempt | undefined {
  const file = attemptFile(dir, scenario, exercise);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  return { file, source: readFileSync(file, 'utf8'), savedAt: stat.mtime };
}
