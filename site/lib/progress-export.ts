// A learner's progress as a file to hand in: what the progress page shows (site/components/
// workbench/progress.ts), with the learner's name, the time of export and a SHA-256 digest of the
// rest. The digest shows that a file was not changed after export — by hand, by a text editor that
// re-saved it, by a transfer that cut it — and `npm run progress` checks it for a whole class. It is
// not a signature: everything needed to recompute it is in the learner's browser, so it proves care,
// not identity. Runs in the browser and in Node (Web Crypto in both).

export const PROGRESS_FORMAT = 'lambda-workbook-progress';
export const PROGRESS_VERSION = 1;

export interface ExportedExercise {
  readonly id: string;
  readonly title: string;
  /** The last check's outcome, or `not-checked`. */
  readonly status: 'pass' | 'fail' | 'error' | 'not-checked';
  readonly passed?: number;
  readonly total?: number;
  readonly checkedAt?: string;
}

export interface ExportedLesson {
  readonly id: string;
  readonly title: string;
  readonly edited: boolean;
  readonly deploys: number;
  readonly runs: number;
  readonly lastVisit?: string;
  readonly exercises: readonly ExportedExercise[];
}

/** What is digested: everything in the file but the digest. */
export interface ProgressBody {
  readonly format: typeof PROGRESS_FORMAT;
  readonly version: typeof PROGRESS_VERSION;
  readonly learner: string;
  readonly exportedAt: string;
  readonly summary: { readonly passed: number; readonly exercises: number; readonly lessonsWorkedOn: number };
  readonly lessons: readonly ExportedLesson[];
}

export interface ProgressExport extends ProgressBody {
  /** `sha256:<hex>` of the canonical JSON of the body (keys sorted, no spaces). */
  readonly digest: string;
}

/** JSON with object keys sorted at every level: the same body always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function sha256(text: string): Promise<string> {
  const bytes = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The body of a progress file, totals computed from the lessons. */
export function progressBody(learner: string, lessons: readonly ExportedLesson[], exportedAt: Date): ProgressBody {
  const exercises = lessons.flatMap((lesson) => lesson.exercises);
  return {
    format: PROGRESS_FORMAT,
    version: PROGRESS_VERSION,
    learner: learner.trim(),
    exportedAt: exportedAt.toISOString(),
    summary: {
      passed: exercises.filter((exercise) => exercise.status === 'pass').length,
      exercises: exercises.length,
      lessonsWorkedOn: lessons.filter((lesson) => lesson.lastVisit !== undefined || lesson.edited).length,
    },
    lessons,
  };
}

export async function sealProgress(body: ProgressBody): Promise<ProgressExport> {
  return { ...body, digest: `sha256:${await sha256(canonicalJson(body))}` };
}

export type ProgressVerdict =
  | { readonly ok: true; readonly progress: ProgressExport }
  | { readonly ok: false; readonly reason: string };

/** Reads a handed-in file: its format, its digest, and that its totals add up. */
export async function verifyProgress(text: string): Promise<ProgressVerdict> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a progress file: expected a JSON object' };
  }
  const file = value as Partial<ProgressExport>;
  if (file.format !== PROGRESS_FORMAT) {
    return {
      ok: false,
      reason: `not a progress file: format is ${JSON.stringify(file.format)}, expected "${PROGRESS_FORMAT}"`,
    };
  }
  if (file.version !== PROGRESS_VERSION) {
    return {
      ok: false,
      reason: `version ${JSON.stringify(file.version)} is not one this workbook reads (${PROGRESS_VERSION})`,
    };
  }
  if (typeof file.digest !== 'string' || !Array.isArray(file.lessons) || typeof file.learner !== 'string') {
    return { ok: false, reason: 'incomplete: learner, lessons or digest is missing' };
  }
  const { digest, ...body } = file as ProgressExport;
  const expected = `sha256:${await sha256(canonicalJson(body))}`;
  if (digest !== expected) return { ok: false, reason: 'the digest does not match: the file changed after export' };
  return { ok: true, progress: file as ProgressExport };
}

/** A file name for the download: the learner's name, safe on every file system. */
export function progressFileName(learner: string, exportedAt: Date): string {
  const name =
    learner
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'learner';
  return `workbook-progress-${name}-${exportedAt.toISOString().slice(0, 10)}.json`;
}
