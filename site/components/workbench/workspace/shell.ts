// The workspace: opened over the lesson, full width, it puts side by side what a learner works
// with — the task (the lesson's text or an exercise's statement), the scenario's files in a tree
// and the editor, and running it (test event and triggers, the flow diagram, the latest result).
// It creates the state (state.ts), the layout (layout.ts) and the panels, and wires the actions
// (Deploy, Run, Check my work) to the workbench API. Panels render from the state.
import type {
  CheckProgress,
  CheckReport,
  CompileFailure,
  DeployResult,
  DeployState,
  ExerciseInfo,
  InvokeRequest,
  InvokeResult,
  ScenarioInfo,
  SessionInfo,
  TraceMessage,
} from '../../../lib/workbench-api.ts';
import { ApiRequestError } from '../api.ts';
import type { MountPanel, WorkbenchApi, WorkbenchContext } from '../context.ts';
import { diffLines, renderDiff } from '../diff.ts';
import { el, replace } from '../dom.ts';
import { type CodeEditor, createPlainEditor, type EditorFile, type EditorOptions } from '../editor/code-editor.ts';
import { displayName, renderFileTree } from '../editor/file-tree.ts';
import { LessonNames } from '../results/names.ts';
import { createEventPanel } from '../results/test-event.ts';
import { createResultsView, renderFunctionTitle } from '../results/view.ts';
import { deployedInThisTab, ScenarioStore } from '../storage.ts';
import { borrowLesson, createTaskPane } from '../task/task-pane.ts';
import { judgeDeployState } from './deploy-state.ts';
import { createLayout, showPane } from './layout.ts';
import { WorkspaceState } from './state.ts';
import { createTabs, type Tab } from './tabs.ts';

/** The panels another module provides; looked up at build time, so a missing one only hides its tab. */
const PANEL_MODULES = import.meta.glob<Record<string, MountPanel>>([
  '../flow/mount.ts',
  '../resources/mount.ts',
  '../triggers/mount.ts',
  '../mobile/mount.ts',
  '../config/mount.ts',
]);

async function loadPanel(file: string, exportName: string): Promise<MountPanel | undefined> {
  const load = PANEL_MODULES[file];
  if (!load) return undefined;
  const module = await load();
  return module[exportName];
}

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

/** How long after the last edit the deploy state is asked again (the server bundles the files). */
const DEPLOY_STATE_DELAY_MS = 800;

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
  const layout = createLayout(idPrefix);

  // ---- toolbar
  const target = session.target.kind === 'local' ? 'Local cloud' : `AWS ${session.target.region}`;
  const deployButton = el(
    'button',
    { type: 'button', class: 'wb-button', 'data-wb-action': 'deploy', 'aria-keyshortcuts': 'Control+S' },
    'Deploy',
  );
  const runButton = el(
    'button',
    { type: 'button', class: 'wb-button wb-primary', 'data-wb-action': 'run', 'aria-keyshortcuts': 'Control+Enter' },
    'Run',
  );
  const deployState = el(
    'span',
    { class: 'wb-deploy-state', 'data-wb-deploy-state': '', role: 'status' },
    'Checking what is deployed…',
  );
  const closeButton = el(
    'button',
    { type: 'button', class: 'wb-button wb-close', 'data-wb-close': '' },
    'Back to the lesson',
  );
  const names = scenario.functions.map((fn) => fn.name).filter((name): name is string => name !== undefined);
  const lessonNames = LessonNames.of(scenario);
  layout.toolbar.append(
    el(
      'p',
      { class: 'wb-function' },
      el('span', { class: 'wb-lambda', 'aria-hidden': 'true' }, 'λ'),
      ...renderFunctionTitle(lessonNames, `${scenario.stack} (not deployed)`, announce),
      el('span', { class: 'wb-badge wb-badge-target' }, target),
    ),
    el('div', { class: 'wb-row wb-actions' }, deployButton, runButton, deployState),
    closeButton,
  );

  // ---- code pane: file tree, file head, editor
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
  layout.code.append(
    el(
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
    ),
  );

  // ---- run pane: inputs, flow, results
  const results = createResultsView(idPrefix, announce, lessonNames);
  const events = createEventPanel(scenario.events, store, idPrefix);
  events.element.addEventListener('input', () => results.clearRunNote());
  const mountInto = (panel: HTMLElement, file: string, exportName: string, what: string) => {
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      try {
        const mountPanel = await loadPanel(file, exportName);
        if (!mountPanel) {
          replace(panel, el('p', { class: 'wb-muted' }, `The ${what} is not available in this build.`));
          return;
        }
        panel.replaceChildren();
        const unmount = mountPanel(panel, context);
        if (typeof unmount === 'function') cleanups.push(unmount);
      } catch (error) {
        replace(panel, el('p', { class: 'wb-error' }, `The ${what} failed to load: ${(error as Error).message}`));
      }
    };
  };
  const inputTabs: Tab[] = [];
  if (PANEL_MODULES['../triggers/mount.ts']) {
    const panel = el('div', { class: 'wb-panel-host' }, el('p', { class: 'wb-muted' }, 'Loading…'));
    inputTabs.push({
      id: 'triggers',
      label: 'Triggers',
      panel,
      onShow: mountInto(panel, '../triggers/mount.ts', 'mountTriggers', 'trigger panel'),
    });
  }
  inputTabs.push({ id: 'event', label: 'Test event', panel: el('div', {}, events.element) });
  if (scenarioId === 'mobile-clicks' && PANEL_MODULES['../mobile/mount.ts']) {
    const panel = el('div', { class: 'wb-panel-host' }, el('p', { class: 'wb-muted' }, 'Loading…'));
    inputTabs.push({
      id: 'phone',
      label: 'Phone',
      panel,
      onShow: mountInto(panel, '../mobile/mount.ts', 'mountMobile', 'phone client'),
    });
  }
  const flowHost = el('div', { class: 'wb-panel-host' });
  const resourcesHost = el('div', { class: 'wb-panel-host' });
  const outputTabs: Tab[] = [
    { id: 'timeline', label: 'Invocations', panel: results.element },
    { id: 'resources', label: 'Resources', panel: resourcesHost },
  ];
  if (PANEL_MODULES['../config/mount.ts']) {
    const panel = el('div', { class: 'wb-panel-host' }, el('p', { class: 'wb-muted' }, 'Loading…'));
    const onShow = mountInto(panel, '../config/mount.ts', 'mountConfig', 'configuration view');
    outputTabs.push({ id: 'config', label: 'Configuration', panel, onShow });
  }
  layout.run.append(
    el(
      'section',
      { class: 'wb-box wb-inputs', 'aria-label': 'Triggers and test event' },
      results.runNote,
      createTabs(`${idPrefix}-in`, 'Triggers and test event', inputTabs, `${scenarioId}:inputs`),
    ),
    el(
      'section',
      { class: 'wb-box wb-flow-box', 'aria-labelledby': `${idPrefix}-flow-title` },
      el('h3', { id: `${idPrefix}-flow-title`, class: 'wb-box-title' }, 'Event flow'),
      flowHost,
    ),
    el(
      'section',
      { class: 'wb-box wb-outputs', 'aria-label': 'Results' },
      createTabs(`${idPrefix}-out`, 'Results', outputTabs, `${scenarioId}:outputs`),
    ),
  );

  if (!scenario.deployed) {
    results.failed(
      new ApiRequestError(409, {
        error: 'NotDeployed',
        message: `The stack ${scenario.stack} is not deployed on the ${target.toLowerCase()}: run \`npm start\` (or deploy the stack) and reload.`,
      }),
      'Loading the scenario',
    );
  }

  // ---- the task pane, with the lesson's text lent to it
  const lesson = borrowLesson(section);
  let editor: CodeEditor | undefined;
  const replaceHandler = (text: string) => {
    state.select(state.exerciseFile);
    if (editor) editor.setValue(text, state.exerciseFile);
    else state.edit(state.exerciseFile, text);
  };

  // ---- actions
  const handleCompileFailure = (error: unknown): boolean => {
    if (!(error instanceof ApiRequestError) || error.error !== 'CompileError') return false;
    const failure = error.body as unknown as CompileFailure;
    const errors = Array.isArray(failure.errors) ? failure.errors : [];
    editor?.setErrors(errors);
    showProblems({ ...failure, errors });
    results.compileFailed({ ...failure, errors });
    return true;
  };
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
        editor?.reveal(where.line, where.column, where.path);
      });
      problems.append(el('li', {}, jump));
    }
  };

  /** Runs one action at a time; Deploy, Run and Check share the functions. */
  const exclusive = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (state.busy) {
      announce('Wait: the workbench is still busy with the previous action.');
      return undefined;
    }
    state.setBusy(true);
    try {
      return await action();
    } finally {
      state.setBusy(false);
    }
  };

  // The deploy state: asked of the server (GetFunction's CodeSha256 against the editor's bundle).
  let stateRequest = 0;
  let stateTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshDeployState = async () => {
    clearTimeout(stateTimer);
    if (!scenario.deployed) {
      state.setDeploy(undefined);
      deployState.textContent = 'Not deployed';
      return;
    }
    const request = ++stateRequest;
    const edits = state.edits();
    try {
      const answer = await api.post<DeployState>(`/scenarios/${encodeURIComponent(scenarioId)}/deploy-state`, {
        files: edits,
      });
      if (request !== stateRequest) return;
      state.setDeploy(judgeDeployState(answer, Object.keys(edits).length > 0, deployedInThisTab.get(session.token)));
    } catch (error) {
      if (request !== stateRequest) return;
      state.setDeploy(undefined);
      deployState.textContent = `Deploy state unknown (${(error as Error).message})`;
    }
  };
  const scheduleDeployState = () => {
    clearTimeout(stateTimer);
    stateTimer = setTimeout(() => void refreshDeployState(), DEPLOY_STATE_DELAY_MS);
  };
  const recordDeploy = (result: DeployResult) => {
    const deployed = result.functions ?? [result];
    deployedInThisTab.set(session.token, Object.fromEntries(deployed.map((fn) => [fn.functionName, fn.codeSha256])));
  };

  const deploy = async (): Promise<boolean> => {
    results.busy('Deploying your code…');
    try {
      const result = await api.post<DeployResult>(`/scenarios/${encodeURIComponent(scenarioId)}/deploy`, {
        files: state.edits(),
      });
      recordDeploy(result);
      store.updateProgress((progress) => ({ ...progress, deploys: progress.deploys + 1 }));
      editor?.setErrors([]);
      showProblems(undefined);
      results.deployed(result);
      announce(`Deployed in ${Math.round(result.durationMs)} milliseconds.`);
      await refreshDeployState();
      return true;
    } catch (error) {
      if (!handleCompileFailure(error)) results.failed(error, 'Deploy');
      return false;
    }
  };

  const run = async (): Promise<void> => {
    const event = events.event();
    if (event === undefined) {
      // Said where the learner looks: beside the event editor (its tab shown) and in the results.
      document.getElementById(`${idPrefix}-in-tab-event`)?.click();
      events.element.querySelector('textarea')?.focus();
      results.invalidEvent(events.element.querySelector('.wb-field-error')?.textContent ?? '');
      announce('The event is not valid JSON; fix it before running.');
      return;
    }
    if (state.deploy?.status !== 'up-to-date' && !(await deploy())) return;
    const invocationType = events.invocationType();
    results.busy(invocationType === 'Event' ? 'Queuing the event…' : 'Running…');
    try {
      const functionIndex = events.functionIndex();
      const functionName = lessonNames.functions[functionIndex ?? 0]?.physical ?? '';
      const request: InvokeRequest = { event, invocationType, ...(functionIndex ? { functionIndex } : {}) };
      const runNumber = results.runStarted(functionName, invocationType);
      const result = await api.post<InvokeResult>(`/scenarios/${encodeURIComponent(scenarioId)}/invoke`, request);
      store.updateProgress((progress) => ({ ...progress, runs: progress.runs + 1 }));
      results.invoked(runNumber, functionName, result, invocationType);
      performance.mark(`wb-result:${scenarioId}`);
    } catch (error) {
      results.failed(error, 'Run');
    }
  };

  const check = (exercise: ExerciseInfo, onProgress?: (progress: CheckProgress) => void) =>
    exclusive(async (): Promise<CheckReport | undefined> => {
      results.busy(`Checking “${exercise.title}”…`);
      const edits = state.edits();
      const { [state.exerciseFile]: _handler, ...files } = edits;
      const source = state.file(state.exerciseFile)?.text ?? '';
      try {
        let report: CheckReport | undefined;
        let total = 0;
        let done = 0;
        await api.postLines<CheckProgress>(
          `/scenarios/${encodeURIComponent(scenarioId)}/exercises/${encodeURIComponent(exercise.id)}/check`,
          { source, files },
          (progress) => {
            if (progress.kind === 'report') report = progress.report;
            else if (progress.kind === 'error') throw new ApiRequestError(500, { ...progress.error });
            else if (progress.kind === 'deploying') results.busy(`Checking “${exercise.title}”: deploying your code…`);
            else if (progress.kind === 'running') total = progress.tests.length;
            else if (progress.kind === 'test') done += 1;
            if (progress.kind === 'running' || progress.kind === 'test') {
              results.busy(`Checking “${exercise.title}”: ${done} of ${total} tests done…`);
            }
            onProgress?.(progress);
          },
        );
        if (report === undefined) throw new Error('The check ended without a report.');
        if (report.status !== 'error') {
          editor?.setErrors([]);
          showProblems(undefined);
        }
        results.checked(report);
        // The check deployed the attempt to the edited function: this tab did it.
        const answer = await api
          .post<DeployState>(`/scenarios/${encodeURIComponent(scenarioId)}/deploy-state`, { files: edits })
          .catch(() => undefined);
        const first = answer?.functions[0];
        if (first && report.status !== 'error')
          deployedInThisTab.set(session.token, { [first.functionName]: first.deployedSha256 });
        await refreshDeployState();
        return report;
      } catch (error) {
        if (!handleCompileFailure(error)) results.failed(error, 'Check');
        return undefined;
      }
    });

  deployButton.addEventListener('click', () => {
    if (deployButton.getAttribute('aria-disabled') !== 'true') void exclusive(deploy);
  });
  runButton.addEventListener('click', () => {
    if (runButton.getAttribute('aria-disabled') === 'true') return;
    showPane(layout, 'run');
    void exclusive(run);
  });

  const renderTask = createTaskPane(layout.task, { idPrefix, state, check, replaceHandler, announce }, lesson);

  // ---- views of the state
  const renderTree = () =>
    renderFileTree(
      tree,
      state.files.map((file) => ({ ...file, changed: state.changed(file.path) })),
      state.selected.path,
      scenarioId,
      (path) => state.select(path),
    );
  const renderDiffView = () => {
    const open = diffButton.getAttribute('aria-expanded') === 'true';
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
  const renderFileHead = () => {
    const file = state.selected;
    const role = {
      handler: 'handler',
      module: 'module',
      infra: 'infrastructure (CDK), read-only',
      event: 'sample event, read-only',
    }[file.role];
    replace(
      fileTitle,
      displayName(file.path, scenarioId),
      el('span', { class: 'wb-muted wb-file-role' }, ` ${role}`),
      state.exercise && file.path === state.exerciseFile
        ? el('span', { class: 'wb-badge' }, `Your attempt: ${state.exercise.title}`)
        : undefined,
    );
    revertButton.hidden = !file.editable;
    revertButton.toggleAttribute('disabled', !state.changed(file.path));
    revertButton.textContent =
      state.exercise && file.path === state.exerciseFile ? 'Reset to starter' : 'Revert this file';
    diffButton.toggleAttribute(
      'disabled',
      !state.changed(file.path) && diffButton.getAttribute('aria-expanded') !== 'true',
    );
    renderDiffView();
  };
  const renderDeploy = () => {
    const verdict = state.deploy;
    if (!verdict) return;
    deployState.textContent = verdict.text;
    deployState.dataset.wbDeployStatus = verdict.status;
    deployState.classList.toggle('wb-tone-warn', verdict.status !== 'up-to-date');
  };
  const renderBusy = () => {
    if (state.busy) root.setAttribute('data-wb-busy', 'true');
    else root.removeAttribute('data-wb-busy');
    for (const button of [deployButton, runButton]) {
      if (state.busy) button.setAttribute('aria-disabled', 'true');
      else button.removeAttribute('aria-disabled');
    }
  };
  const editorFile = (path: string): EditorFile => {
    const file = state.file(path);
    return { path, value: file?.text ?? '', readOnly: !file?.editable };
  };
  cleanups.push(
    state.subscribe((change) => {
      if (change === 'files') {
        renderTree();
        renderFileHead();
        // Edited since the last answer: not what runs any more (until the server says otherwise).
        if (state.deploy?.status === 'up-to-date') {
          state.setDeploy({ status: 'changes', text: 'Changes not deployed', changedElsewhere: [] });
        }
        scheduleDeployState();
      } else if (change === 'selection') {
        editor?.show(editorFile(state.selected.path));
        renderTree();
        renderFileHead();
      } else if (change === 'exercise') {
        // The handler now holds the attempt (or the scenario's handler again).
        const text = state.file(state.exerciseFile)?.text ?? '';
        if (editor && editor.getValue(state.exerciseFile) !== text) editor.setValue(text, state.exerciseFile);
        editor?.show(editorFile(state.selected.path));
        renderTree();
        renderFileHead();
        renderTask();
        scheduleDeployState();
      } else if (change === 'deploy') {
        renderDeploy();
      } else if (change === 'busy') {
        renderBusy();
      }
    }),
  );
  revertButton.addEventListener('click', () => {
    const file = state.selected;
    if (!file.editable || !state.changed(file.path)) return;
    if (!window.confirm(`Put ${displayName(file.path, scenarioId)} back as it was? Ctrl+Z in the editor undoes it.`))
      return;
    if (editor) editor.setValue(file.original, file.path);
    else state.edit(file.path, file.original);
    announce(`${displayName(file.path, scenarioId)} is back as it was.`);
  });
  diffButton.addEventListener('click', () => {
    const open = diffButton.getAttribute('aria-expanded') === 'true';
    diffButton.setAttribute('aria-expanded', String(!open));
    diffButton.textContent = open ? 'Show changes' : 'Back to the editor';
    renderFileHead();
  });

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
  renderTree();
  renderFileHead();
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
  closeButton.addEventListener('click', close);

  // ---- the editor itself
  const editableFirst = [...state.files].sort((a, b) => Number(b.editable) - Number(a.editable));
  const editorOptions: EditorOptions = {
    scenario: scenarioId,
    files: [
      editorFile(state.selected.path),
      ...editableFirst.filter((file) => file.path !== state.selected.path).map((file) => editorFile(file.path)),
    ],
    ariaLabel: (path) => `${state.file(path)?.editable ? 'Code' : 'Read-only file'}, ${displayName(path, scenarioId)}`,
    onChange(path, value) {
      showProblems(undefined);
      state.edit(path, value);
    },
    onDeploy: () => void exclusive(deploy),
    onRun: () => {
      showPane(layout, 'run');
      void exclusive(run);
    },
    onStatus: (text) => {
      editorStatus.textContent = text;
    },
  };
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
    editorStatus.textContent = options.plainEditorWanted
      ? 'Plain editor (asked for with ?editor=plain).'
      : `The code editor did not load (${(error as Error).message}); this plain one works too.`;
  }
  editorHost.dataset.wbEditor = editor.kind;
  // The stable hooks: the editor is ready (the bench measures click → this attribute).
  editorHost.setAttribute('data-editor-ready', '');
  root.dataset.wbReady = 'true';
  performance.mark(`wb-editor-ready:${scenarioId}`);

  // Flow and resources mount now (their modules load in parallel); the deploy state is asked.
  void refreshDeployState();
  await Promise.all([
    mountInto(flowHost, '../flow/mount.ts', 'mountFlow', 'flow diagram')(),
    mountInto(resourcesHost, '../resources/mount.ts', 'mountResources', 'resources view')(),
  ]);
  const functionNames = new Set(names);
  let foreignUpdate: ReturnType<typeof setTimeout> | undefined;
  cleanups.push(
    onTrace((message) => {
      const functionName = message.detail.functionName;
      if (
        message.type === 'lambda.function.updated' &&
        typeof functionName === 'string' &&
        functionNames.has(functionName)
      ) {
        // An update, ours or someone else's: ask again once the deploys settle (ours ask after they finish).
        clearTimeout(foreignUpdate);
        foreignUpdate = setTimeout(() => {
          if (!state.busy) void refreshDeployState();
        }, 400);
        return;
      }
      if (
        message.scenario === scenarioId ||
        (message.scenario === undefined && typeof functionName === 'string' && functionNames.has(functionName))
      ) {
        results.trace(message);
      }
    }),
    () => clearTimeout(foreignUpdate),
    // Back from another window (a terminal that ran `npm run verify`, another browser): look again.
    (() => {
      const onVisible = () => {
        if (document.visibilityState === 'visible' && !state.busy) void refreshDeployState();
      };
      document.addEventListener('visibilitychange', onVisible);
      return () => document.removeEventListener('visibilitychange', onVisible);
    })(),
    () => clearTimeout(stateTimer),
  );
}
