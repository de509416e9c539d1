// The progress page's script: what every lesson's workbench stored in this browser, as one table.
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

/** Fills a `[data-progress]` view (see ProgressView.astro) from localStorage. */
export function renderProgress(view: HTMLElement): void {
  let lessons: LessonEntry[];
  try {
    lessons = JSON.parse(view.dataset.progress ?? '[]') as LessonEntry[];
  } catch {
    return;
  }
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
