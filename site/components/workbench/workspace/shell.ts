// The workspace: opened over the lesson, full width, it puts side by side what a learner works
// with — the task (the lesson's text or an exercise's statement), the scenario's files and the
// editor, and running it (test event and triggers, the flow diagram, the latest result). This shell
// only wires the parts, each in its own module:
//   state.ts         the workspace's state (files, selection, exercise, deploy verdict, busy)
//   layout.ts        the split panes (resizable, remembered; tabs when narrow)
//   toolbar.ts       Deploy, Run, the deploy state, back to the lesson
//   file-view.ts     the file tree, the open file's head, the editor's host, diffs and problems
//   run-pane.ts      triggers and test event, the flow diagram, the results
//   actions.ts       Deploy, Run and Check my work against the workbench API
//   deploy-state.ts  the deploy state machine (what runs against what the editor holds)
// and the task pane (../task/task-pane.ts).
import type { DeployState, ScenarioInfo, SessionInfo, TraceMessage } from '../../../lib/workbench-api.ts';
import type { WorkbenchApi, WorkbenchContext } from '../context.ts';
import { afterNextFrame, el } from '../dom.ts';
import { type CodeEditor, createPlainEditor, type EditorOptions } from '../editor/code-editor.ts';
import { LessonNames } from '../results/names.ts';
import { deployedInThisTab, ScenarioStore } from '../storage.ts';
import { borrowLesson, createTaskPane } from '../task/task-pane.ts';
import { createActions } from './actions.ts';
import { DeployTracker } from './deploy-state.ts';
import { createFileView, editorFile, editorFiles, editorLabel } from './file-view.ts';
import { createLayout, showPane } from './layout.ts';
import { createRunPane } from './run-pane.ts';
import { WorkspaceState } from './state.ts';
import { createToolbar } from './toolbar.ts';

export interface WorkspaceOptions {
  readonly session: SessionInfo;
  readonly scenario: ScenarioInfo;
  readonly api: WorkbenchApi;
  readonly onTrace: (listener: (message: TraceMessage) => void) => () => void;
  /** Monaco's module (loading), or undefined for the plain editor. */
  readonly editorModule: Promise<typeof import('../editor/monaco.ts')> | undefined;
  readonly plainEditorWanted: boolean;
  /** Called after the learner went back to the lesson. */
  onClose(): void;
}

/** Opens the workspace of `section`'s scenario over the lesson. */
export async function openWorkspace(section: HTMLElement, options: WorkspaceOptions): Promise<void> {
  const { session, scenario, api, onTrace } = options;
  const scenarioId = scenario.id;
  const idPrefix = `wb-${scenarioId}`;
  const placeholder = section.querySelector<HTMLElement>('[data-wb-placeholder]');
  const root = section.querySelector<HTMLElement>('[data-wb-root]');
  if (!root) throw new Error('The workbench markup is missing its root element.');
  const store = new ScenarioStore(scenarioId);
  store.opened = true;
  const state = new WorkspaceState(scenario, store);
  const cleanups: Array<() => void> = [];
  let editor: CodeEditor | undefined;
  // The cloud's live feed is joined now, before the editor is drawn, so that what the learner sets
  // off as soon as the workspace shows is seen from its start; messages wait until the panels mount.
  const earlyTrace: TraceMessage[] = [];
  let onTraceMessage: ((message: TraceMessage) => void) | undefined;
  cleanups.push(
    onTrace((message) => {
      if (onTraceMessage) onTraceMessage(message);
      else earlyTrace.push(message);
    }),
  );

  // Announcements: one polite live region per workbench.
  const liveRegion = el('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  const announce = (text: string) => {
    clearTimeout(announceTimer);
    liveRegion.textContent = '';
    announceTimer = setTimeout(() => {
      liveRegion.textContent = text;
    }, 50);
  };
  const context: WorkbenchContext = { session, scenario, api, onTrace, announce };
  const lessonNames = LessonNames.of(scenario);
  const layout = createLayout(idPrefix);
  const toolbar = createToolbar(layout.toolbar, session, scenario, lessonNames, announce);
  const files = createFileView({ idPrefix, state, editor: () => editor, announce });
  layout.code.append(files.element);
  const runPane = createRunPane(layout.run, {
    idPrefix,
    context,
    store,
    lessonNames,
    onUnmount: (unmount) => cleanups.push(unmount),
  });

  const tracker = new DeployTracker(
    {
      deployed: scenario.deployed,
      edits: () => state.edits(),
      ask: (edits) =>
        api.post<DeployState>(`/scenarios/${encodeURIComponent(scenarioId)}/deploy-state`, { files: edits }),
      mine: {
        get: () => deployedInThisTab.get(session.token),
        set: (shas) => deployedInThisTab.set(session.token, shas),
      },
    },
    (verdict) => state.setDeploy(verdict),
  );
  cleanups.push(() => tracker.dispose());
  const actions = createActions({
    idPrefix,
    api,
    state,
    store,
    tracker,
    results: runPane.results,
    events: runPane.events,
    lessonNames,
    editor: () => editor,
    showProblems: files.showProblems,
    announce,
  });
  const deploy = () => {
    if (!state.busy) void actions.deploy();
  };
  const run = () => {
    if (state.busy) return;
    showPane(layout, 'run');
    void actions.run();
  };
  toolbar.deployButton.addEventListener('click', deploy);
  toolbar.runButton.addEventListener('click', run);

  // ---- the task pane, with the lesson's text lent to it
  const lesson = borrowLesson(section);
  const replaceHandler = (text: string) => {
    state.select(state.exerciseFile);
    if (editor) editor.setValue(text, state.exerciseFile);
    else state.edit(state.exerciseFile, text);
  };
  const renderTask = createTaskPane(
    layout.task,
    { idPrefix, state, check: actions.check, replaceHandler, announce },
    lesson,
  );

  // ---- views of the state
  const renderBusy = () => {
    if (state.busy) root.setAttribute('data-wb-busy', 'true');
    else root.removeAttribute('data-wb-busy');
    toolbar.renderBusy(state.busy);
  };
  cleanups.push(
    state.subscribe((change) => {
      if (change === 'files') {
        files.render();
        tracker.edited();
      } else if (change === 'selection') {
        editor?.show(editorFile(state, state.selected.path));
        files.render();
      } else if (change === 'exercise') {
        // The exercise's file now holds the attempt (or the scenario's own text again).
        const text = state.file(state.exerciseFile)?.text ?? '';
        if (editor && editor.getValue(state.exerciseFile) !== text) editor.setValue(text, state.exerciseFile);
        editor?.show(editorFile(state, state.selected.path));
        files.render();
        renderTask();
        tracker.changed();
      } else if (change === 'deploy') {
        if (state.deploy) toolbar.renderDeploy(state.deploy);
      } else if (change === 'busy') {
        renderBusy();
      }
    }),
  );

  // ---- open over the lesson: the section moves to the body (the lesson's column is a containing
  // block for fixed elements), and back where it was on close.
  root.replaceChildren(el('div', { class: 'wb-app' }, liveRegion, layout.element));
  root.hidden = false;
  if (placeholder) placeholder.hidden = true;
  const home = document.createComment('workbench');
  section.replaceWith(home);
  document.body.append(section);
  section.classList.add('wb-full');
  // Over the page, the workspace's name is a top-level section heading (the lesson's h2s follow in it).
  const label = section.querySelector<HTMLElement>('.wb-label');
  label?.setAttribute('aria-level', '2');
  document.documentElement.classList.add('wb-workspace-open');
  toolbar.renderDeploy(tracker.verdict);
  files.render();
  renderTask();
  renderBusy();
  // The lesson opens where the workbench sits in it.
  const heading = lesson.element.querySelector<HTMLElement>('#try-it-in-the-workbench') ?? undefined;
  requestAnimationFrame(() => heading?.scrollIntoView({ block: 'start' }));

  const close = () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    editor?.dispose();
    lesson.giveBack();
    root.replaceChildren();
    root.hidden = true;
    if (placeholder) placeholder.hidden = false;
    section.classList.remove('wb-full');
    label?.removeAttribute('aria-level');
    home.replaceWith(section);
    document.documentElement.classList.remove('wb-workspace-open');
    store.opened = false;
    section.scrollIntoView({ block: 'center' });
    options.onClose();
  };
  toolbar.closeButton.addEventListener('click', close);

  // ---- the editor itself
  const editorOptions: EditorOptions = {
    scenario: scenarioId,
    files: editorFiles(state),
    ariaLabel: (path) => editorLabel(state, path),
    onChange(path, value) {
      files.showProblems(undefined);
      state.edit(path, value);
    },
    onDeploy: deploy,
    onRun: run,
    onStatus: files.status,
  };
  const { editorHost } = files;
  try {
    if (!options.editorModule) throw new Error('plain editor requested');
    const module = await options.editorModule;
    performance.mark(`wb-editor-module:${scenarioId}`);
    editorHost.classList.add('wb-monaco');
    editor = await module.createMonacoEditor(editorHost, editorOptions);
  } catch (error) {
    editorHost.replaceChildren();
    editorHost.classList.remove('wb-monaco');
    editor = createPlainEditor(editorHost, editorOptions);
    files.status(
      options.plainEditorWanted
        ? 'Plain editor (asked for with ?editor=plain).'
        : `The code editor did not load (${(error as Error).message}); this plain one works too.`,
    );
  }
  editorHost.dataset.wbEditor = editor.kind;
  // The stable hooks: the editor is ready (the bench measures click → this attribute).
  editorHost.setAttribute('data-editor-ready', '');
  root.dataset.wbReady = 'true';
  performance.mark(`wb-editor-ready:${scenarioId}`);

  // The learner's code is drawn first; then the deploy state is asked and the flow diagram and the
  // resources mount (their layout and styles would otherwise run before the editor's first frame).
  await afterNextFrame();
  void tracker.refresh();
  await runPane.mountFlowAndResources();
  const functionNames = new Set(lessonNames.functions.map((fn) => fn.physical));
  onTraceMessage = (message) => {
    const functionName = message.detail.functionName;
    if (
      message.type === 'lambda.function.updated' &&
      typeof functionName === 'string' &&
      functionNames.has(functionName)
    ) {
      // An update, ours or someone else's: ask again once the deploys settle (ours ask after they finish).
      tracker.updatedElsewhere();
      return;
    }
    if (
      message.scenario === scenarioId ||
      (message.scenario === undefined && typeof functionName === 'string' && functionNames.has(functionName))
    ) {
      runPane.results.trace(message);
    }
  };
  for (const message of earlyTrace.splice(0)) onTraceMessage(message);
  cleanups.push(
    // Back from another window (a terminal that ran `npm run verify`, another browser): look again.
    (() => {
      const onVisible = () => {
        if (document.visibilityState === 'visible' && !state.busy) void tracker.refresh();
      };
      document.addEventListener('visibilitychange', onVisible);
      return () => document.removeEventListener('visibilitychange', onVisible);
    })(),
  );
}
