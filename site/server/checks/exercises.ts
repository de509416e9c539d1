// The exercises of a scenario: `scenarios/<name>/exercises/<id>/` with README.md (frontmatter
// `title`, `order` and optionally `edits: infra.ts`, the statement as Markdown), starter.ts,
// solution.ts and check.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import type { ExerciseInfo } from '../../lib/workbench-api.ts';

/** The files every exercise folder holds. */
export const EXERCISE_FILES = ['README.md', 'starter.ts', 'solution.ts', 'check.ts'] as const;

/** An exercise id is its folder name. */
const EXERCISE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** The exercises folder of a scenario. */
export const exercisesDir = (root: string, scenario: ScenarioId): string =>
  join(root, 'scenarios', scenario, 'exercises');

/** The folder of one exercise. */
export const exerciseDir = (root: string, scenario: ScenarioId, exercise: string): string =>
  join(exercisesDir(root, scenario), exercise);

/** Thrown for a malformed exercise folder; says which file and what is wrong. */
export class ExerciseFormatError extends Error {
  override name = 'ExerciseFormatError';
}

/**
 * Splits `---`-delimited frontmatter of flat `key: value` lines (values optionally quoted) from a
 * Markdown body. Enough for the two fields an exercise has; anything else is an error.
 */
export function parseFrontmatter(text: string, file: string): { fields: Record<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) throw new ExerciseFormatError(`${file}: must start with frontmatter (--- title: …, order: … ---).`);
  const fields: Record<string, string> = {};
  for (const [index, raw] of (match[1] ?? '').split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const pair = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!pair) throw new ExerciseFormatError(`${file}: frontmatter line ${index + 2} is not 'key: value': ${raw}`);
    let value = pair[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    fields[pair[1] ?? ''] = value;
  }
  return { fields, body: text.slice(match[0].length).trim() };
}

/** One exercise with its order, as read from disk. */
function readExercise(dir: string, id: string): ExerciseInfo & { readonly order: number } {
  for (const name of EXERCISE_FILES) {
    if (!existsSync(join(dir, name))) throw new ExerciseFormatError(`${join(dir, name)} is missing.`);
  }
  const readme = join(dir, 'README.md');
  const { fields, body } = parseFrontmatter(readFileSync(readme, 'utf8'), readme);
  const title = fields.title?.trim();
  if (!title) throw new ExerciseFormatError(`${readme}: frontmatter needs a non-empty 'title'.`);
  const order = Number(fields.order);
  if (fields.order === undefined || !Number.isInteger(order)) {
    throw new ExerciseFormatError(`${readme}: frontmatter needs an integer 'order', got '${fields.order ?? ''}'.`);
  }
  if (body === '')
    throw new ExerciseFormatError(`${readme}: the statement (the Markdown after the frontmatter) is empty.`);
  const edits = fields.edits?.trim();
  if (edits !== undefined && edits !== 'infra.ts') {
    throw new ExerciseFormatError(
      `${readme}: 'edits' may only be 'infra.ts' (or left out for the handler), got '${edits}'.`,
    );
  }
  return {
    id,
    title,
    order,
    statement: body,
    starter: readFileSync(join(dir, 'starter.ts'), 'utf8'),
    solution: readFileSync(join(dir, 'solution.ts'), 'utf8'),
    ...(edits === 'infra.ts' ? { edits } : {}),
  };
}

/** The exercises of a scenario, sorted by their README's `order` (then id); none when it has no exercises folder. */
export function loadExercises(root: string, scenario: ScenarioId): ExerciseInfo[] {
  if (SCENARIOS[scenario] === undefined) throw new Error(`Unknown scenario '${scenario}'.`);
  const dir = exercisesDir(root, scenario);
  if (!existsSync(dir)) return [];
  const exercises = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && EXERCISE_ID.test(entry.name))
    .map((entry) => readExercise(join(dir, entry.name), entry.name))
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return exercises.map(({ order: _order, ...info }) => info);
}

/** One exercise by id, or undefined when the scenario has no such exercise. */
export function findExercise(root: string, scenario: ScenarioId, exercise: string): ExerciseInfo | undefined {
  if (!EXERCISE_ID.test(exercise)) return undefined;
  return loadExercises(root, scenario).find((info) => info.id === exercise);
}
