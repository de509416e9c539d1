// `npm run progress -- <file.json>…`: the progress files a class handed in (the progress page's
// "Download for your instructor"), checked and summed up — one line per learner, with the exercises
// passed per lesson; a file whose digest does not match, or that is not a progress file, is named
// with the reason. Exit status 1 when any file fails the check.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { type ProgressExport, verifyProgress } from '../site/lib/progress-export.ts';

const USAGE = `Usage: npm run progress -- <progress file.json>… [--json]

  Checks the digest of each file learners downloaded from the workbook's "Your progress" page and
  prints one line per learner: exercises passed per lesson, and when the file was made.
  --json  print the checked files as JSON (learner, summary, lessons; or the reason a file failed)`;

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (parsed.positionals.length === 0) {
  console.error(`Name at least one progress file.\n\n${USAGE}`);
  process.exit(2);
}

type Row = { file: string } & ({ ok: true; progress: ProgressExport } | { ok: false; reason: string });
const rows: Row[] = [];
for (const file of parsed.positionals) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    rows.push({
      file,
      ok: false,
      reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    });
    continue;
  }
  rows.push({ file, ...(await verifyProgress(text)) });
}

if (parsed.values.json) {
  console.log(
    JSON.stringify(
      rows.map((row) =>
        row.ok
          ? {
              file: row.file,
              ok: true,
              learner: row.progress.learner,
              exportedAt: row.progress.exportedAt,
              summary: row.progress.summary,
              lessons: row.progress.lessons,
            }
          : { file: row.file, ok: false, reason: row.reason },
      ),
      null,
      2,
    ),
  );
} else {
  const good = rows.filter((row): row is Row & { ok: true; progress: ProgressExport } => row.ok);
  const lessonIds = [...new Set(good.flatMap((row) => row.progress.lessons.map((lesson) => lesson.id)))];
  const width = Math.max(8, ...good.map((row) => row.progress.learner.length));
  console.log(`${'learner'.padEnd(width)}  passed  ${lessonIds.map((id) => id.padEnd(15)).join('')}exported (UTC)`);
  for (const row of good.sort((a, b) => a.progress.learner.localeCompare(b.progress.learner))) {
    const { learner, summary, lessons, exportedAt } = row.progress;
    const perLesson = lessonIds.map((id) => {
      const lesson = lessons.find((candidate) => candidate.id === id);
      if (!lesson) return '—'.padEnd(15);
      const passed = lesson.exercises.filter((exercise) => exercise.status === 'pass').length;
      return `${passed}/${lesson.exercises.length}`.padEnd(15);
    });
    console.log(
      `${learner.padEnd(width)}  ${`${summary.passed}/${summary.exercises}`.padEnd(6)}  ${perLesson.join('')}${exportedAt.replace('T', ' ').slice(0, 16)}`,
    );
  }
  for (const row of rows) if (!row.ok) console.log(`✗ ${basename(row.file)}: ${row.reason}`);
}
process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
