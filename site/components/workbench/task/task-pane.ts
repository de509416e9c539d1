// The task pane: what the learner is doing, beside the editor. Either the lesson itself (its text
// moved here while the workspace is open, scrolled to where the workbench sits) or an exercise: its
// statement with the hints, pinned, with "Check my work" (the server deploys the editor's files and
// runs the exercise's tests against the cloud), Reset to the starter (with an undo) and the
// solution as a diff against the learner's attempt.
import type { CheckProgress, CheckReport, ExerciseInfo } from '../../../lib/workbench-api.ts';
import { diffLines, renderDiff } from '../diff.ts';
import { el, formatMs, replace } from '../dom.ts';
import { renderMarkdown } from '../markdown.ts';
import type { ExerciseProgress } from '../storage.ts';
import type { WorkspaceState } from '../workspace/state.ts';

/** What the pane needs from the shell. */
export interface TaskHost {
  readonly idPrefix: string;
  readonly state: WorkspaceState;
  /** Runs the check (deploying the workspace first); the shell serialises it with Deploy and Run. */
  check(exercise: ExerciseInfo, onProgress?: (progress: CheckProgress) => void): Promise<CheckReport | undefined>;
  /** Replaces the handler's text in the editor (one undoable edit). */
  replaceHandler(text: string): void;
  announce(text: string): void;
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

/** The lesson's text, lent to the task pane while the workspace is open and given back on close. */
export interface LessonLoan {
  readonly element: HTMLElement;
  /** Puts every node back where it was. */
  giveBack(): void;
}

/**
 * Moves the lesson's content (every node of the article except the workbench itself) into a
 * container, leaving markers to put it back: one copy, so ids stay unique and the code blocks'
 * copy buttons keep working.
 */
export function borrowLesson(section: HTMLElement): LessonLoan {
  const element = el('div', { class: 'wb-lesson sl-markdown-content' });
  const article = section.closest('.sl-markdown-content') ?? section.parentElement;
  const moved: { node: ChildNode; marker: Comment }[] = [];
  if (article) {
    for (const node of [...article.childNodes]) {
      if (node === section || node.contains(section)) continue;
      const marker = document.createComment('lesson');
      node.replaceWith(marker);
      element.append(node);
      moved.push({ node, marker });
    }
  }
  const naming = nameCodeRegions(element);
  return {
    element,
    giveBack() {
      naming.disconnect();
      for (const { node, marker } of moved) marker.replaceWith(node);
      moved.length = 0;
    },
  };
}

/**
 * Expressive Code makes a code block that overflows a scrollable `region` (focusable, so it can be
 * scrolled by keyboard) but gives it no name; in the narrow task pane many overflow, and unnamed
 * regions are indistinguishable landmarks. Each gets its own name while it is a region.
 */
function nameCodeRegions(root: HTMLElement): { disconnect(): void } {
  const blocks = () => [...root.querySelectorAll<HTMLElement>('.expressive-code pre')];
  const name = () => {
    blocks().forEach((pre, index) => {
      if (pre.getAttribute('role') !== 'region') {
        pre.removeAttribute('aria-label');
        return;
      }
      const title = pre.closest('figure')?.querySelector('figcaption .title')?.textContent?.trim();
      pre.setAttribute('aria-label', `Code example ${index + 1}${title ? `: ${title}` : ''}`);
    });
  };
  // Only `role` is watched: setting the name does not wake the observer again.
  const observer = new MutationObserver(name);
  observer.observe(root, { subtree: true, attributes: true, attributeFilter: ['role'] });
  name();
  return {
    disconnect() {
      observer.disconnect();
      for (const pre of blocks()) pre.removeAttribute('aria-label');
    },
  };
}

/** Builds the pane into `element`; `lesson` is the borrowed lesson text. Returns a function that re-renders it. */
export function createTaskPane(element: HTMLElement, host: TaskHost, lesson: LessonLoan): () => void {
  const { idPrefix, state } = host;
  const { exercises } = state.scenario;
  const pickerId = `${idPrefix}-task-picker`;
  const picker = el('select', { id: pickerId, class: 'wb-select', 'data-wb-task-picker': '' });
  picker.append(el('option', { value: '' }, 'The lesson (the finished handler)'));
  for (const [index, exercise] of exercises.entries()) {
    picker.append(el('option', { value: exercise.id }, `Exercise ${index + 1}: ${exercise.title}`));
  }
  picker.addEventListener('change', () => {
    state.chooseExercise(picker.value || undefined);
    const exercise = state.exercise;
    host.announce(
      exercise
        ? `Working on ${exercise.title}: your attempt is in the editor (the starter the first time).`
        : 'Back to the lesson: the scenario’s handler is in the editor.',
    );
  });
  const head = el('div', { class: 'wb-task-head' }, el('label', { for: pickerId }, 'Working on'), picker);
  const body = el('div', { class: 'wb-task-body' });
  element.replaceChildren(head, body);
  state.store.updateProgress((progress) => ({
    ...progress,
    exerciseTitles: Object.fromEntries(exercises.map((exercise) => [exercise.id, exercise.title])),
  }));

  const renderExercise = (exercise: ExerciseInfo) => {
    const id = `${idPrefix}-ex-${exercise.id}`;
    const status = el('span', { class: 'wb-exercise-status' }, badge(state.store.progress.exercises[exercise.id]));
    const output = el('div', { class: 'wb-exercise-output', 'aria-live': 'polite' });
    const solution = el('div', { class: 'wb-solution', id: `${id}-solution`, hidden: '' });
    const undoRow = el('p', { class: 'wb-undo', hidden: '' });
    const checkButton = el(
      'button',
      { type: 'button', class: 'wb-button wb-primary', 'data-wb-action': 'check' },
      'Check my work',
    );
    const resetButton = el('button', { type: 'button', class: 'wb-button' }, 'Reset to starter');
    const solutionButton = el(
      'button',
      { type: 'button', class: 'wb-button', 'aria-expanded': 'false', 'aria-controls': solution.id },
      'Show solution',
    );

    checkButton.addEventListener('click', async () => {
      if (checkButton.getAttribute('aria-disabled') === 'true') return;
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
        const report = await host.check(exercise, (step) => {
          if (step.kind === 'deploying') progress.textContent = 'Deploying your code…';
          if (step.kind === 'running') names = step.tests;
          if (step.kind === 'test') done += 1;
          if (step.kind === 'running' || step.kind === 'test') {
            const next = names[done];
            progress.textContent = `${done} of ${names.length} tests done${next ? `; running “${next}”…` : '.'}`;
          }
          // Why this test takes a while: what it waits for, why that is not instant, and for how long at most.
          if (step.kind === 'waiting') {
            progress.textContent =
              `${done} of ${names.length} tests done; “${step.test}” waits up to ${Math.round(step.upToMs / 1000)} s ` +
              `for ${step.what}${step.why ? ` (${step.why})` : ''}…`;
          }
        });
        if (!report) {
          replace(output);
          return;
        }
        const passed = report.tests.filter((test) => test.status === 'pass').length;
        state.store.updateProgress((current) => ({
          ...current,
          exercises: {
            ...current.exercises,
            [exercise.id]: {
              status: report.status,
              checkedAt: new Date().toISOString(),
              passed,
              total: report.tests.length,
            },
          },
        }));
        replace(status, badge(state.store.progress.exercises[exercise.id]));
        replace(output, renderReport(report));
        // Undoing the reset now would throw away an attempt that passes.
        if (report.status === 'pass') undoRow.hidden = true;
        host.announce(
          `${exercise.title}: ${report.status === 'pass' ? 'all tests pass' : `${passed} of ${report.tests.length} tests pass`}.`,
        );
      } finally {
        checkButton.removeAttribute('aria-disabled');
      }
    });

    resetButton.addEventListener('click', () => {
      if (!window.confirm(`Replace your attempt at “${exercise.title}” with its starter? You can undo it.`)) return;
      const previous = state.file(state.exerciseFile)?.text ?? '';
      host.replaceHandler(exercise.starter);
      const undo = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Undo reset');
      undo.addEventListener('click', () => {
        host.replaceHandler(previous);
        undoRow.hidden = true;
        host.announce('Your previous attempt is back.');
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
      const mine = state.file(state.exerciseFile)?.text ?? '';
      const copy = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Copy the solution');
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(exercise.solution);
          host.announce('Solution copied to the clipboard.');
        } catch {
          host.announce('The browser did not allow copying; select the code in the diff instead.');
        }
      });
      const solve = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Put it in the editor');
      solve.addEventListener('click', () => {
        host.replaceHandler(exercise.solution);
        host.announce('The solution is in the editor; Ctrl+Z undoes it.');
      });
      replace(
        solution,
        el('p', { class: 'wb-muted' }, 'The reference solution compared with your attempt. ', copy, ' ', solve),
        renderDiff(diffLines(mine, exercise.solution), 'Your attempt → the solution'),
      );
      solution.hidden = false;
      solutionButton.setAttribute('aria-expanded', 'true');
      solutionButton.textContent = 'Hide solution';
    });

    const statement = el('div', { class: 'wb-statement' });
    statement.append(renderMarkdown(exercise.statement, 4));
    return el(
      'article',
      { class: 'wb-exercise', 'data-exercise': exercise.id, 'aria-labelledby': `${id}-title` },
      el('h3', { id: `${id}-title`, class: 'wb-exercise-title' }, exercise.title, ' ', status),
      el('div', { class: 'wb-row wb-exercise-actions' }, checkButton, resetButton, solutionButton),
      undoRow,
      output,
      solution,
      statement,
    );
  };

  let shown: string | undefined | null = null;
  return () => {
    const exercise = state.exercise;
    picker.value = exercise?.id ?? '';
    if (shown === (exercise?.id ?? undefined)) return;
    shown = exercise?.id;
    if (exercise) {
      body.replaceChildren(renderExercise(exercise));
      body.scrollTop = 0;
    } else {
      body.replaceChildren(lesson.element);
    }
  };
}
