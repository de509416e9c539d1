// The exercises panel: each exercise's statement, "Check my work" (the server deploys the editor's
// code and runs the exercise's tests against the cloud), Reset to the starter (after a
// confirmation, with an undo), and the solution as a diff against the learner's code.
import type { CheckProgress, CheckReport, ExerciseInfo } from '../../lib/workbench-api.ts';
import { diffLines, renderDiff } from './diff.ts';
import { el, formatMs, replace } from './dom.ts';
import type { CodeEditor } from './editor-types.ts';
import { renderMarkdown } from './markdown.ts';
import type { ExerciseProgress, ScenarioStore } from './storage.ts';

/** What the panel needs from the shell. */
export interface ExerciseHost {
  readonly idPrefix: string;
  readonly store: ScenarioStore;
  editor(): CodeEditor | undefined;
  /** Runs the check (deploying the source first); the shell serialises it with Deploy and Run. */
  check(
    exercise: ExerciseInfo,
    source: string,
    onProgress?: (progress: CheckProgress) => void,
  ): Promise<CheckReport | undefined>;
  announce(text: string): void;
  /** Called after Reset/Undo replaced the editor's code. */
  codeReplaced(): void;
}

const STATUS_TEXT: Record<ExerciseProgress['status'] | 'new', string> = {
  new: 'Not checked yet',
  pass: 'Passed',
  fail: 'Not passing yet',
  error: 'Check could not run',
};

function badge(progress: ExerciseProgress | undefined): HTMLElement {
  const status = progress?.status ?? 'new';
  return el('span', { class: `wb-badge wb-badge-${status}` }, STATUS_TEXT[status]);
}

function renderReport(report: CheckReport): HTMLElement {
  const passed = report.tests.filter((test) => test.status === 'pass').length;
  return el(
    'div',
    { class: 'wb-check-report' },
    el(
      'p',
      { class: `wb-tone-${report.status === 'pass' ? 'ok' : 'error'}` },
      report.status === 'pass'
        ? `All ${report.tests.length} tests pass — well done.`
        : report.status === 'error'
          ? `The check could not run${report.message ? `: ${report.message}` : '.'}`
          : `${passed} of ${report.tests.length} tests pass.`,
      el('span', { class: 'wb-muted' }, ` (${formatMs(report.durationMs)} on ${report.target})`),
    ),
    el(
      'ul',
      { class: 'wb-tests' },
      ...report.tests.map((test) =>
        el(
          'li',
          { class: `wb-test wb-test-${test.status}` },
          el(
            'span',
            { class: `wb-badge wb-badge-${test.status}` },
            test.status === 'pass' ? 'Pass' : test.status === 'fail' ? 'Fail' : 'Error',
          ),
          ' ',
          el('span', { class: 'wb-test-name' }, test.name),
          test.message ? el('p', { class: 'wb-test-message' }, test.message) : undefined,
          test.output
            ? el(
                'details',
                {},
                el('summary', {}, 'What the test saw'),
                el('pre', { class: 'wb-log', tabindex: '0' }, test.output),
              )
            : undefined,
        ),
      ),
    ),
  );
}

/** Builds the exercises panel. */
export function createExercisesPanel(exercises: readonly ExerciseInfo[], host: ExerciseHost): HTMLElement {
  const { idPrefix, store } = host;
  if (exercises.length === 0) {
    return el('p', { class: 'wb-muted' }, 'This scenario has no exercises yet.');
  }
  const list = el('ol', { class: 'wb-exercises' });
  for (const exercise of exercises) {
    const id = `${idPrefix}-ex-${exercise.id}`;
    const status = el('span', { class: 'wb-exercise-status' }, badge(store.progress.exercises[exercise.id]));
    const output = el('div', { class: 'wb-exercise-output', 'aria-live': 'polite' });
    const solution = el('div', { class: 'wb-solution', id: `${id}-solution`, hidden: '' });
    const undoRow = el('p', { class: 'wb-undo', hidden: '' });

    const checkButton = el('button', { type: 'button', class: 'wb-button wb-primary' }, 'Check my work');
    const resetButton = el('button', { type: 'button', class: 'wb-button' }, 'Reset to starter');
    const solutionButton = el(
      'button',
      { type: 'button', class: 'wb-button', 'aria-expanded': 'false', 'aria-controls': solution.id },
      'Show solution',
    );

    checkButton.addEventListener('click', async () => {
      const editor = host.editor();
      if (!editor || checkButton.getAttribute('aria-disabled') === 'true') return;
      checkButton.setAttribute('aria-disabled', 'true');
      const progress = el(
        'p',
        { class: 'wb-tone-busy wb-check-progress' },
        'Deploying your code and running the tests…',
      );
      replace(output, progress);
      let names: readonly string[] = [];
      let done = 0;
      try {
        const report = await host.check(exercise, editor.getValue(), (step) => {
          if (step.kind === 'deploying') progress.textContent = 'Deploying your code…';
          if (step.kind === 'running') names = step.tests;
          if (step.kind === 'test') done += 1;
          if (step.kind === 'running' || step.kind === 'test') {
            const next = names[done];
            progress.textContent = `${done} of ${names.length} tests done${next ? `; running “${next}”…` : '.'}`;
          }
        });
        if (!report) {
          replace(output);
          return;
        }
        const passed = report.tests.filter((test) => test.status === 'pass').length;
        store.updateProgress((progress) => ({
          ...progress,
          exercises: {
            ...progress.exercises,
            [exercise.id]: {
              status: report.status,
              checkedAt: new Date().toISOString(),
              passed,
              total: report.tests.length,
            },
          },
        }));
        replace(status, badge(store.progress.exercises[exercise.id]));
        replace(output, renderReport(report));
        host.announce(
          `${exercise.title}: ${report.status === 'pass' ? 'all tests pass' : `${passed} of ${report.tests.length} tests pass`}.`,
        );
      } finally {
        checkButton.removeAttribute('aria-disabled');
      }
    });

    resetButton.addEventListener('click', () => {
      const editor = host.editor();
      if (!editor) return;
      if (!window.confirm(`Replace the code in the editor with the starter of “${exercise.title}”? You can undo it.`))
        return;
      store.undo = editor.getValue();
      editor.setValue(exercise.starter);
      host.codeReplaced();
      const undo = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Undo reset');
      undo.addEventListener('click', () => {
        const previous = store.undo;
        if (previous === undefined) return;
        editor.setValue(previous);
        store.undo = undefined;
        host.codeReplaced();
        undoRow.hidden = true;
        host.announce('Your previous code is back.');
        editor.focus();
      });
      replace(undoRow, 'The starter code is in the editor. ', undo);
      undoRow.hidden = false;
      host.announce(`Starter code of ${exercise.title} loaded. Undo reset is available.`);
    });

    solutionButton.addEventListener('click', () => {
      const open = solutionButton.getAttribute('aria-expanded') === 'true';
      if (open) {
        solution.hidden = true;
        solutionButton.setAttribute('aria-expanded', 'false');
        solutionButton.textContent = 'Show solution';
        return;
      }
      const mine = host.editor()?.getValue() ?? '';
      const copy = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Copy the solution');
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(exercise.solution);
          host.announce('Solution copied to the clipboard.');
        } catch {
          host.announce('The browser did not allow copying; select the code in the diff instead.');
        }
      });
      replace(
        solution,
        el(
          'p',
          { class: 'wb-muted' },
          'The reference solution compared with your code (your code stays as it is). ',
          copy,
        ),
        renderDiff(diffLines(mine, exercise.solution), 'Your code → the solution'),
      );
      solution.hidden = false;
      solutionButton.setAttribute('aria-expanded', 'true');
      solutionButton.textContent = 'Hide solution';
    });

    const statement = el('div', { class: 'wb-statement' });
    statement.append(renderMarkdown(exercise.statement, 5));
    list.append(
      el(
        'li',
        { class: 'wb-exercise', 'data-exercise': exercise.id, 'aria-labelledby': `${id}-title` },
        el('h4', { id: `${id}-title`, class: 'wb-exercise-title' }, exercise.title, ' ', status),
        el('details', {}, el('summary', {}, 'The task'), statement),
        el('div', { class: 'wb-row' }, checkButton, resetButton, solutionButton),
        undoRow,
        output,
        solution,
      ),
    );
  }
  store.updateProgress((progress) => ({
    ...progress,
    exerciseTitles: Object.fromEntries(exercises.map((exercise) => [exercise.id, exercise.title])),
  }));
  return list;
}
