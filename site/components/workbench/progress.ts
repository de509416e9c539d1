// The progress page's script: what every lesson's workbench stored in this browser, as one table,
// and the same as a file to hand in (site/lib/progress-export.ts) or a page to print.
import {
  type ExportedLesson,
  type ProgressExport,
  progressBody,
  progressFileName,
  sealProgress,
} from '../../lib/progress-export.ts';
import { el, replace } from './dom.ts';
import { forgetScenario, ScenarioStore } from './storage.ts';

/** A lesson as the page knows it at build time. */
interface LessonEntry {
  readonly id: string;
  readonly title: string;
  readonly href: string;
  readonly exercises: readonly { readonly id: string; readonly title: string }[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The lessons a `[data-progress]` view lists (known at build time). */
function lessonsOf(view: HTMLElement): LessonEntry[] {
  try {
    return JSON.parse(view.dataset.progress ?? '[]') as LessonEntry[];
  } catch {
    return [];
  }
}

/** What this browser stored for each lesson, as the progress file holds it. */
export function exportedLessons(lessons: readonly LessonEntry[]): ExportedLesson[] {
  return lessons.map((lesson) => {
    const store = new ScenarioStore(lesson.id);
    const progress = store.progress;
    return {
      id: lesson.id,
      title: lesson.title,
      edited: store.source !== undefined,
      deploys: progress.deploys,
      runs: progress.runs,
      ...(progress.lastVisit ? { lastVisit: progress.lastVisit } : {}),
      exercises: lesson.exercises.map((exercise) => {
        const result = progress.exercises[exercise.id];
        return result
          ? { id: exercise.id, title: exercise.title, ...result }
          : { id: exercise.id, title: exercise.title, status: 'not-checked' as const };
      }),
    };
  });
}

const LEARNER_KEY = 'lambda-workbook:v1:learner';

function storedLearner(): string {
  try {
    return localStorage.getItem(LEARNER_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeLearner(name: string): void {
  try {
    localStorage.setItem(LEARNER_KEY, name);
  } catch {
    // No storage: the name is asked again next time.
  }
}

/**
 * The hand-in controls of a `[data-progress]` view: the learner's name, a JSON download with its
 * digest, and a printed page (the table, headed by the name, the date and the same digest).
 */
export function setUpExport(view: HTMLElement): void {
  const name = view.querySelector<HTMLInputElement>('[data-progress-learner]');
  const download = view.querySelector<HTMLButtonElement>('[data-progress-download]');
  const print = view.querySelector<HTMLButtonElement>('[data-progress-print]');
  const status = view.querySelector<HTMLElement>('[data-progress-export-status]');
  const stamp = view.querySelector<HTMLElement>('[data-progress-stamp]');
  if (!name || !download || !print || !status || !stamp) return;
  name.value = storedLearner();
  name.addEventListener('input', () => storeLearner(name.value.trim()));
  const sealed = async (): Promise<ProgressExport | undefined> => {
    if (name.value.trim() === '') {
      status.textContent = 'Type your name first: your instructor sorts the files by it.';
      name.focus();
      return undefined;
    }
    renderProgress(view);
    return sealProgress(progressBody(name.value, exportedLessons(lessonsOf(view)), new Date()));
  };
  download.addEventListener('click', async () => {
    const file = await sealed();
    if (!file) return;
    const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' });
    const link = el('a', {
      href: URL.createObjectURL(blob),
      download: progressFileName(file.learner, new Date(file.exportedAt)),
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    status.textContent = `Downloaded ${link.download} (${file.summary.passed} of ${file.summary.exercises} exercises passed). Hand it to your instructor.`;
  });
  print.addEventListener('click', async () => {
    const file = await sealed();
    if (!file) return;
    replace(
      stamp,
      el('strong', {}, `Progress of ${file.learner}`),
      `, ${new Date(file.exportedAt).toLocaleString()}: ${file.summary.passed} of ${file.summary.exercises} exercises passed. `,
      el('span', { class: 'pv-digest' }, `Digest ${file.digest}`),
    );
    stamp.hidden = false;
    status.textContent = '';
    window.print();
  });
}

/** Fills a `[data-progress]` view (see ProgressView.astro) from localStorage. */
export function renderProgress(view: HTMLElement): void {
  const lessons = lessonsOf(view);
  const rows = view.querySelector<HTMLElement>('[data-progress-rows]');
  const summary = view.querySelector<HTMLElement>('[data-progress-summary]');
  if (!rows || !summary) return;
  let passedTotal = 0;
  let exerciseTotal = 0;
  let visited = 0;
  rows.replaceChildren();
  for (const lesson of lessons) {
    const store = new ScenarioStore(lesson.id);
    const progress = store.progress;
    const passed = lesson.exercises.filter((exercise) => progress.exercises[exercise.id]?.status === 'pass');
    passedTotal += passed.length;
    exerciseTotal += lesson.exercises.length;
    const touched = progress.lastVisit !== undefined || store.source !== undefined;
    if (touched) visited += 1;
    const share = lesson.exercises.length === 0 ? 0 : (passed.length / lesson.exercises.length) * 100;
    const exercises = el(
      'td',
      {},
      `${passed.length} of ${lesson.exercises.length} passed`,
      el('span', { class: 'pv-bar', 'aria-hidden': 'true' }, el('span', { style: `width: ${share.toFixed(0)}%` })),
      el(
        'ul',
        {},
        ...lesson.exercises.map((exercise) => {
          const result = progress.exercises[exercise.id];
          return el(
            'li',
            {},
            `${exercise.title}: `,
            el(
              'span',
              { class: result?.status === 'pass' ? 'pv-pass' : result ? 'pv-fail' : '' },
              result?.status === 'pass'
                ? 'passed'
                : result
                  ? `${result.passed} of ${result.total} tests pass`
                  : 'not checked yet',
            ),
          );
        }),
      ),
    );
    const activity = touched
      ? [
          store.source !== undefined ? 'Handler edited' : 'Original handler',
          `, ${plural(progress.deploys, 'deploy')}, ${plural(progress.runs, 'run')}`,
          progress.lastVisit ? `, last worked on ${new Date(progress.lastVisit).toLocaleString()}` : '',
        ].join('')
      : 'Not opened yet';
    const actions = el('td', {});
    if (touched) {
      const reset = el('button', { type: 'button', 'aria-label': `Start ${lesson.title} over` }, 'Start over');
      reset.addEventListener('click', () => {
        if (!window.confirm(`Forget your edits and progress in “${lesson.title}”? This cannot be undone.`)) return;
        forgetScenario(lesson.id);
        renderProgress(view);
      });
      actions.append(reset);
    }
    rows.append(
      el(
        'tr',
        { 'data-lesson': lesson.id },
        el('th', { scope: 'row' }, el('a', { href: lesson.href }, lesson.title)),
        exercises,
        el('td', {}, activity),
        actions,
      ),
    );
  }
  replace(
    summary,
    `${passedTotal} of ${exerciseTotal} exercises passed, ${visited} of ${lessons.length} lessons worked on in the workbench. `,
    'Progress is kept in this browser only.',
  );
}
