// The file view: the scenario's files in a tree, the open file's head (its name, what it is, "Revert
// this file" and "Show changes"), the editor's host, the diff against the original, and the problems
// of the last deploy. What each file opens as — editable or read-only, in which order the editor
// loads them, what its head says — is worked out by the pure functions below (unit-tested); the
// view renders them from the workspace's state.
import type { CompileFailure } from '../../../lib/workbench-api.ts';
import { diffLines, renderDiff } from '../diff.ts';
import { el, replace } from '../dom.ts';
import type { CodeEditor, EditorFile } from '../editor/code-editor.ts';
import { displayName, renderFileTree } from '../editor/file-tree.ts';
import type { FileState, WorkspaceState } from './state.ts';

const ROLE_TEXT: Record<FileState['role'], string> = {
  handler: 'handler',
  module: 'module',
  infra: 'infrastructure (CDK), read-only',
  event: 'sample event, read-only',
};

/** What the head above the editor says of the open file. */
export interface FileHead {
  readonly title: string;
  readonly role: string;
  /** The exercise the file holds the learner's attempt of. */
  readonly attempt: string | undefined;
  readonly revert: { readonly shown: boolean; readonly enabled: boolean; readonly label: string };
  /** "Show changes" can be pressed (or pressed again to go back). */
  readonly diffEnabled: boolean;
}

export function describeFileHead(state: WorkspaceState, diffOpen: boolean): FileHead {
  const file = state.selected;
  const attempt = state.exercise && file.path === state.exerciseFile ? state.exercise.title : undefined;
  // An exercise on the infrastructure makes infra.ts editable while it is worked on.
  const role = file.role === 'infra' && file.editable ? 'infrastructure (CDK)' : ROLE_TEXT[file.role];
  return {
    title: displayName(file.path, state.scenario.id),
    role,
    attempt,
    revert: {
      shown: file.editable,
      enabled: state.changed(file.path),
      label: attempt ? 'Reset to starter' : 'Revert this file',
    },
    diffEnabled: state.changed(file.path) || diffOpen,
  };
}

/** A file as the editor opens it: read-only unless the learner may edit it now. */
export function editorFile(state: WorkspaceState, path: string): EditorFile {
  const file = state.file(path);
  return { path, value: file?.text ?? '', readOnly: !file?.editable };
}

/** The files the editor loads: the open one first, then the editable ones, then the read-only ones. */
export function editorFiles(state: WorkspaceState): EditorFile[] {
  const open = state.selected.path;
  const rest = state.files
    .filter((file) => file.path !== open)
    .sort((a, b) => Number(b.editable) - Number(a.editable))
    .map((file) => editorFile(state, file.path));
  return [editorFile(state, open), ...rest];
}

/** What a screen reader hears for the editor of `path`. */
export function editorLabel(state: WorkspaceState, path: string): string {
  return `${state.file(path)?.editable ? 'Code' : 'Read-only file'}, ${displayName(path, state.scenario.id)}`;
}

export interface FileView {
  readonly element: HTMLElement;
  /** Where the editor goes. */
  readonly editorHost: HTMLElement;
  /** A line under the editor (loading, plain editor, Monaco's own status). */
  status(text: string): void;
  /** Lists a deploy's compile errors (each jumps to its line), or clears them. */
  showProblems(failure: CompileFailure | undefined): void;
  /** Renders the tree and the head from the state (after a change of files, selection or exercise). */
  render(): void;
}

export interface FileViewHost {
  readonly idPrefix: string;
  readonly state: WorkspaceState;
  /** The editor, once it has loaded. */
  editor(): CodeEditor | undefined;
  announce(text: string): void;
}

export function createFileView({ idPrefix, state, editor, announce }: FileViewHost): FileView {
  const scenarioId = state.scenario.id;
  const tree = el('nav', { class: 'wb-tree', id: `${idPrefix}-files`, 'aria-label': 'Files of the scenario' });
  const fileTitle = el('h3', { class: 'wb-file-title', id: `${idPrefix}-file-title` });
  const revertButton = el(
    'button',
    { type: 'button', class: 'wb-button wb-small', 'data-wb-revert': '' },
    'Revert this file',
  );
  const diffButton = el(
    'button',
    { type: 'button', class: 'wb-button wb-small', 'aria-expanded': 'false', 'data-wb-diff': '' },
    'Show changes',
  );
  const diffView = el('div', {
    class: 'wb-diff-view',
    hidden: '',
    tabindex: '0',
    'aria-label': 'Changes against the original',
  });
  const editorHost = el('div', { class: 'wb-editor', 'data-wb-editor': 'loading' });
  const editorStatus = el('p', { class: 'wb-editor-status wb-muted' }, 'Loading the editor…');
  const problems = el('ul', { class: 'wb-problems', 'aria-label': 'Problems from the last deploy' });
  problems.hidden = true;
  // Edits from an earlier visit come back; say so once.
  const restoreNote = el('p', { class: 'wb-restore-note wb-muted' }, 'Your edits from an earlier visit are restored.');
  restoreNote.hidden = Object.keys(state.edits()).length === 0;

  const diffOpen = () => diffButton.getAttribute('aria-expanded') === 'true';
  const renderDiffView = () => {
    const open = diffOpen();
    diffView.hidden = !open;
    editorHost.hidden = open;
    if (!open) return;
    const file = state.selected;
    replace(
      diffView,
      state.changed(file.path)
        ? renderDiff(diffLines(file.original, file.text), `${displayName(file.path, scenarioId)}: original → yours`, [
            'Original',
            'Yours',
          ])
        : el('p', { class: 'wb-muted' }, 'No changes: this file is as the original.'),
    );
  };
  const renderHead = () => {
    const head = describeFileHead(state, diffOpen());
    replace(
      fileTitle,
      head.title,
      el('span', { class: 'wb-muted wb-file-role' }, ` ${head.role}`),
      head.attempt ? el('span', { class: 'wb-badge' }, `Your attempt: ${head.attempt}`) : undefined,
    );
    revertButton.hidden = !head.revert.shown;
    revertButton.toggleAttribute('disabled', !head.revert.enabled);
    revertButton.textContent = head.revert.label;
    diffButton.toggleAttribute('disabled', !head.diffEnabled);
    renderDiffView();
  };
  const renderTree = () =>
    renderFileTree(
      tree,
      state.files.map((file) => ({ ...file, changed: state.changed(file.path) })),
      state.selected.path,
      scenarioId,
      (path) => state.select(path),
    );

  revertButton.addEventListener('click', () => {
    const file = state.selected;
    if (!file.editable || !state.changed(file.path)) return;
    const name = displayName(file.path, scenarioId);
    if (!window.confirm(`Put ${name} back as it was? Ctrl+Z in the editor undoes it.`)) return;
    const current = editor();
    if (current) current.setValue(file.original, file.path);
    else state.edit(file.path, file.original);
    announce(`${name} is back as it was.`);
  });
  diffButton.addEventListener('click', () => {
    const open = diffOpen();
    diffButton.setAttribute('aria-expanded', String(!open));
    diffButton.textContent = open ? 'Show changes' : 'Back to the editor';
    renderHead();
  });

  const showProblems = (failure: CompileFailure | undefined) => {
    problems.replaceChildren();
    problems.hidden = !failure;
    if (!failure) return;
    for (const error of failure.errors) {
      const where = error.file ?? { path: state.exerciseFile, line: error.line, column: error.column };
      const jump = el(
        'button',
        { type: 'button', class: 'wb-problem' },
        `${displayName(where.path, scenarioId)}, line ${where.line}, column ${where.column}: ${error.message}`,
      );
      jump.addEventListener('click', () => {
        state.select(where.path);
        editor()?.reveal(where.line, where.column, where.path);
      });
      problems.append(el('li', {}, jump));
    }
  };

  const element = el(
    'div',
    { class: 'wb-code-grid' },
    tree,
    el(
      'div',
      { class: 'wb-code-main' },
      el('div', { class: 'wb-section-head' }, fileTitle, el('div', { class: 'wb-row' }, diffButton, revertButton)),
      editorHost,
      diffView,
      problems,
      restoreNote,
      editorStatus,
    ),
  );
  return {
    element,
    editorHost,
    status: (text) => {
      editorStatus.textContent = text;
    },
    showProblems,
    render: () => {
      renderTree();
      renderHead();
    },
  };
}
