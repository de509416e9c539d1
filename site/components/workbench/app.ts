// The workbench shell: loaded by Workbench.astro's small loader when the learner reaches the
// workbench (prefetch) or opens it (click). Builds the console-like layout — toolbar with Deploy
// and Run, the handler editor, test events, triggers, exercises, results, flow and resources —
// and wires it to the workbench API. Monaco comes later still, from editor.ts.
import type {
  CheckProgress,
  CheckReport,
  CompileFailure,
  DeployResult,
  ExerciseInfo,
  InvokeRequest,
  InvokeResult,
  ScenarioInfo,
  SessionInfo,
  TraceMessage,
} from '../../lib/workbench-api.ts';
import { ApiRequestError, createApi, fetchSession } from './api.ts';
import type { MountPanel, WorkbenchApi, WorkbenchContext } from './context.ts';
import { el, replace } from './dom.ts';
import { type CodeEditor, createPlainEditor, type EditorOptions } from './editor-types.ts';
import { createEventPanel } from './events.ts';
import { createExercisesPanel } from './exercises.ts';
import { createResultsView } from './results.ts';
import { ScenarioStore } from './storage.ts';
import './workbench.css';

/** The panels another module provides; looked up at build time, so a missing one only hides its tab. */
const PANEL_MODULES = import.meta.glob<Record<string, MountPanel>>([
  './flow.ts',
  './resources.ts',
  './triggers.ts',
  './mobile.ts',
]);

async function loadPanel(file: string, exportName: string): Promise<MountPanel | undefined> {
  const load = PANEL_MODULES[file];
  if (!load) return undefined;
  const module = await load();
  return module[exportName];
}

/** The editor module (Monaco); imported once, on first need. */
let editorModule: Promise<typeof import('./editor.ts')> | undefined;
const loadEditorModule = () => {
  editorModule ??= import('./editor.ts');
  return editorModule;
};

/** Whether the page asked for the plain editor (`?editor=plain`): slow devices, and the benchmark's baseline. */
const plainEditorWanted = () => new URLSearchParams(location.search).get('editor') === 'plain';

// ----------------------------------------------------------------------------- session & trace

let sessionPromise: Promise<SessionInfo> | undefined;
const session = () => {
  sessionPromise ??= fetchSession().catch((error: unknown) => {
    sessionPromise = undefined;
    throw error;
  });
  return sessionPromise;
};

/** One EventSource per page, shared by every workbench and panel. */
function createTraceHub(api: WorkbenchApi): (listener: (message: TraceMessage) => void) => () => void {
  const listeners = new Set<(message: TraceMessage) => void>();
  let source: EventSource | undefined;
  const connect = () => {
    source = new EventSource(api.url('/trace'));
    source.addEventListener('trace', (event) => {
      let message: TraceMessage;
      try {
        message = JSON.parse((event as MessageEvent<string>).data) as TraceMessage;
      } catch {
        return;
      }
      for (const listener of listeners) {
        try {
          listener(message);
        } catch (error) {
          console.error('A workbench panel failed on a trace message:', error);
        }
      }
    });
  };
  return (listener) => {
    listeners.add(listener);
    if (!source) connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        source?.close();
        source = undefined;
      }
    };
  };
}

let traceHub: ReturnType<typeof createTraceHub> | undefined;

// ----------------------------------------------------------------------------- tabs

interface Tab {
  readonly id: string;
  readonly label: string;
  readonly panel: HTMLElement;
  onShow?(): void;
}

/** An ARIA tab list: arrow keys, Home and End move between tabs; the choice is kept per scenario. */
function createTabs(idPrefix: string, label: string, tabs: readonly Tab[], remember: string): HTMLElement {
  const list = el('div', { role: 'tablist', 'aria-label': label, class: 'wb-tablist' });
  const panels = el('div', { class: 'wb-tabpanels' });
  const buttons: HTMLButtonElement[] = [];
  const key = `lambda-workbook:v1:tab:${remember}`;
  const select = (index: number, focus: boolean) => {
    tabs.forEach((tab, i) => {
      const selected = i === index;
      const button = buttons[i];
      if (!button) return;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      tab.panel.hidden = !selected;
      if (selected) {
        if (focus) button.focus();
        tab.onShow?.();
        try {
          localStorage.setItem(key, tab.id);
        } catch {
          // storage unavailable
        }
      }
    });
  };
  tabs.forEach((tab, index) => {
    const button = el(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `${idPrefix}-tab-${tab.id}`,
        'aria-controls': `${idPrefix}-panel-${tab.id}`,
        class: 'wb-tab',
      },
      tab.label,
    );
    button.addEventListener('click', () => select(index, false));
    button.addEventListener('keydown', (event) => {
      const next =
        event.key === 'ArrowRight'
          ? (index + 1) % tabs.length
          : event.key === 'ArrowLeft'
            ? (index - 1 + tabs.length) % tabs.length
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? tabs.length - 1
                : undefined;
      if (next === undefined) return;
      event.preventDefault();
      select(next, true);
    });
    buttons.push(button);
    list.append(button);
    tab.panel.id = `${idPrefix}-panel-${tab.id}`;
    tab.panel.setAttribute('role', 'tabpanel');
    tab.panel.setAttribute('aria-labelledby', button.id);
    tab.panel.tabIndex = 0;
    tab.panel.classList.add('wb-tabpanel');
    panels.append(tab.panel);
  });
  let initial = 0;
  try {
    const saved = localStorage.getItem(key);
    initial = Math.max(
      0,
      tabs.findIndex((tab) => tab.id === saved),
    );
  } catch {
    // storage unavailable
  }
  select(initial, false);
  return el('div', { class: 'wb-tabs' }, list, panels);
}

// ----------------------------------------------------------------------------- the workbench

/** Scenario infos fetched ahead (when the workbench came near), with when they were fetched. */
const scenarioInfos = new Map<string, { at: number; info: Promise<ScenarioInfo> }>();
/** A prefetched scenario older than this is fetched again on open (the stack may have been deployed since). */
const SCENARIO_FRESH_MS = 30_000;

function scenarioInfo(scenarioId: string): Promise<ScenarioInfo> {
  const cached = scenarioInfos.get(scenarioId);
  if (cached && Date.now() - cached.at < SCENARIO_FRESH_MS) return cached.info;
  const info = session().then((current) =>
    createApi(current).get<ScenarioInfo>(`/scenarios/${encodeURIComponent(scenarioId)}`),
  );
  scenarioInfos.set(scenarioId, { at: Date.now(), info });
  info.catch(() => scenarioInfos.delete(scenarioId));
  return info;
}

/** Starts loading Monaco, the session and the scenario in the background (the learner is about to reach the workbench). */
export function prefetch(scenarioId?: string): void {
  if (!plainEditorWanted()) void loadEditorModule().catch(() => undefined);
  void session().catch(() => undefined);
  if (scenarioId) void scenarioInfo(scenarioId).catch(() => undefined);
}

/** Called when the workbench scrolls near the viewport: prefetch, and reopen it if the learner had opened it before. */
export function whenVisible(section: HTMLElement): void {
  const scenario = section.dataset.workbench ?? '';
  prefetch(scenario);
  if (new ScenarioStore(scenario).opened) void openWorkbench(section);
}

const opened = new WeakMap<HTMLElement, Promise<void>>();

/** Opens the workbench in its `<section data-workbench="<scenario>">`. Safe to call twice. */
export function openWorkbench(section: HTMLElement): Promise<void> {
  let pending = opened.get(section);
  if (!pending) {
    pending = open(section).catch((error: unknown) => {
      opened.delete(section);
      showLoadError(section, error);
    });
    opened.set(section, pending);
  }
  return pending;
}

function showLoadError(section: HTMLElement, error: unknown): void {
  const placeholder = section.querySelector<HTMLElement>('[data-wb-placeholder]');
  const message = section.querySelector<HTMLElement>('[data-wb-message]');
  const button = section.querySelector<HTMLButtonElement>('[data-wb-open]');
  if (placeholder) placeholder.hidden = false;
  if (button) {
    button.removeAttribute('aria-busy');
    button.textContent = 'Try again';
  }
  const text =
    error instanceof ApiRequestError && error.status === 0
      ? error.message
      : error instanceof ApiRequestError
        ? `${error.error}: ${error.message}`
        : `The workbench could not start: ${(error as Error).message ?? String(error)}`;
  if (message) {
    message.textContent = text;
    message.hidden = false;
  }
}

async function open(section: HTMLElement): Promise<void> {
  const scenarioId = section.dataset.workbench ?? '';
  const idPrefix = `wb-${scenarioId}`;
  const placeholder = section.querySelector<HTMLElement>('[data-wb-placeholder]');
  const root = section.querySelector<HTMLElement>('[data-wb-root]');
  if (!root) throw new Error('The workbench markup is missing its root element.');
  const openButton = section.querySelector<HTMLButtonElement>('[data-wb-open]');
  openButton?.setAttribute('aria-busy', 'true');
  if (openButton) openButton.textContent = 'Opening the workbench…';

  // Monaco loads while the session and the scenario are fetched.
  const editorLoading = plainEditorWanted() ? undefined : loadEditorModule();
  editorLoading?.catch(() => undefined);
  const info = await session();
  const api = createApi(info);
  traceHub ??= createTraceHub(api);
  const onTrace = traceHub;
  const scenario = await scenarioInfo(scenarioId);
  scenarioInfos.delete(scenarioId);
  performance.mark(`wb-scenario:${scenarioId}`);
  const store = new ScenarioStore(scenarioId);
  store.opened = true;

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
  const context: WorkbenchContext = { session: info, scenario, api, onTrace, announce };

  // ---- toolbar
  const target = info.target.kind === 'local' ? 'Local cloud' : `AWS ${info.target.region}`;
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
  const deployState = el('span', { class: 'wb-deploy-state', 'data-wb-deploy-state': '' });
  const toolbar = el(
    'div',
    { class: 'wb-toolbar' },
    el(
      'p',
      { class: 'wb-function' },
      el('span', { class: 'wb-lambda', 'aria-hidden': 'true' }, 'λ'),
      el('span', { class: 'wb-function-name' }, scenario.function.name ?? `${scenario.stack} (not deployed)`),
      el('span', { class: 'wb-badge wb-badge-target' }, target),
    ),
    el('div', { class: 'wb-row' }, deployButton, runButton, deployState),
  );

  // ---- editor
  const fileName = scenario.function.path.split('/').at(-1) ?? 'handler.ts';
  const editorHost = el('div', { class: 'wb-editor', 'data-wb-editor': 'loading' });
  const editorStatus = el('p', { class: 'wb-editor-status wb-muted' }, 'Loading the editor…');
  const restoreNote = el('p', { class: 'wb-restore-note wb-muted', hidden: '' });
  const problems = el('ul', { class: 'wb-problems', 'aria-label': 'Problems from the last deploy' });
  problems.hidden = true;
  const revertButton = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Revert to the original handler');
  const codeSection = el(
    'section',
    { class: 'wb-box wb-code', 'aria-labelledby': `${idPrefix}-code-title` },
    el(
      'div',
      { class: 'wb-section-head' },
      el('h3', { id: `${idPrefix}-code-title` }, 'Code ', el('span', { class: 'wb-file' }, fileName)),
      revertButton,
    ),
    editorHost,
    problems,
    restoreNote,
    editorStatus,
    el(
      'p',
      { class: 'wb-help' },
      'Ctrl+S (⌘S) deploys, Ctrl+Enter (⌘↩) runs. Press Ctrl+M in the editor to let Tab move focus out of it. Your edit is kept in this browser.',
    ),
  );

  // ---- results, events, exercises, panels
  const results = createResultsView(idPrefix, announce);
  const events = createEventPanel(scenario.events, store, idPrefix);
  let editor: CodeEditor | undefined;
  let deployedSource = store.deployed(info.token) ?? scenario.function.source;
  let busy = false;

  const updateDeployState = () => {
    const current = editor?.getValue();
    const changed = current !== undefined && current !== deployedSource;
    deployState.textContent = changed ? 'Changes not deployed' : 'Deployed code is up to date';
    deployState.classList.toggle('wb-tone-warn', changed);
  };

  const showProblems = (failure: CompileFailure | undefined) => {
    problems.replaceChildren();
    problems.hidden = !failure;
    if (!failure) return;
    for (const error of failure.errors) {
      const jump = el(
        'button',
        { type: 'button', class: 'wb-problem' },
        `Line ${error.line}, column ${error.column}: ${error.message}`,
      );
      jump.addEventListener('click', () => editor?.reveal(error.line, error.column));
      problems.append(el('li', {}, jump));
    }
  };

  /** Runs one action at a time; Deploy, Run and Check share the function. */
  const exclusive = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (busy) {
      announce('Wait: the workbench is still busy with the previous action.');
      return undefined;
    }
    busy = true;
    root.setAttribute('data-wb-busy', 'true');
    for (const button of [deployButton, runButton]) button.setAttribute('aria-disabled', 'true');
    try {
      return await action();
    } finally {
      busy = false;
      root.removeAttribute('data-wb-busy');
      for (const button of [deployButton, runButton]) button.removeAttribute('aria-disabled');
    }
  };

  const handleCompileFailure = (error: unknown): boolean => {
    if (!(error instanceof ApiRequestError) || error.error !== 'CompileError') return false;
    const failure = error.body as unknown as CompileFailure;
    const errors = Array.isArray(failure.errors) ? failure.errors : [];
    editor?.setErrors(errors);
    showProblems({ ...failure, errors });
    results.compileFailed({ ...failure, errors });
    return true;
  };

  const deploy = async (): Promise<boolean> => {
    if (!editor) return false;
    const source = editor.getValue();
    results.busy('Deploying your code…');
    try {
      const result = await api.post<DeployResult>(`/scenarios/${encodeURIComponent(scenarioId)}/deploy`, { source });
      deployedSource = source;
      store.setDeployed(info.token, source);
      store.updateProgress((progress) => ({ ...progress, deploys: progress.deploys + 1 }));
      editor.setErrors([]);
      showProblems(undefined);
      results.deployed(result);
      announce(`Deployed in ${Math.round(result.durationMs)} milliseconds.`);
      updateDeployState();
      return true;
    } catch (error) {
      if (!handleCompileFailure(error)) results.failed(error, 'Deploy');
      return false;
    }
  };

  const run = async (): Promise<void> => {
    if (!editor) return;
    const event = events.event();
    if (event === undefined) {
      announce('The event is not valid JSON; fix it before running.');
      return;
    }
    if (editor.getValue() !== deployedSource && !(await deploy())) return;
    const invocationType = events.invocationType();
    results.busy(invocationType === 'Event' ? 'Queuing the event…' : 'Running…');
    try {
      const functionIndex = events.functionIndex();
      const request: InvokeRequest = { event, invocationType, ...(functionIndex ? { functionIndex } : {}) };
      const result = await api.post<InvokeResult>(`/scenarios/${encodeURIComponent(scenarioId)}/invoke`, request);
      store.updateProgress((progress) => ({ ...progress, runs: progress.runs + 1 }));
      results.invoked(result, invocationType);
      performance.mark(`wb-result:${scenarioId}`);
    } catch (error) {
      results.failed(error, 'Run');
    }
  };

  const check = (exercise: ExerciseInfo, source: string, onProgress?: (progress: CheckProgress) => void) =>
    exclusive(async (): Promise<CheckReport | undefined> => {
      results.busy(`Checking “${exercise.title}”…`);
      try {
        let report: CheckReport | undefined;
        let total = 0;
        let done = 0;
        await api.postLines<CheckProgress>(
          `/scenarios/${encodeURIComponent(scenarioId)}/exercises/${encodeURIComponent(exercise.id)}/check`,
          { source },
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
        // The check deployed the learner's source (unless it did not compile).
        if (report.status !== 'error') {
          deployedSource = source;
          store.setDeployed(info.token, source);
          editor?.setErrors([]);
          showProblems(undefined);
        }
        updateDeployState();
        results.checked(report);
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
    if (runButton.getAttribute('aria-disabled') !== 'true') void exclusive(run);
  });

  // Inputs: test event, triggers, phone (mobile-clicks), exercises.
  const inputTabs: Tab[] = [{ id: 'event', label: 'Test event', panel: el('div', {}, events.element) }];
  const mounts: Array<() => Promise<void>> = [];
  const mountInto = (panel: HTMLElement, file: string, exportName: string, what: string) => {
    let done = false;
    const mount = async () => {
      if (done) return;
      done = true;
      try {
        const mountPanel = await loadPanel(file, exportName);
        if (!mountPanel) {
          replace(panel, el('p', { class: 'wb-muted' }, `The ${what} is not available in this build.`));
          return;
        }
        panel.replaceChildren();
        mountPanel(panel, context);
      } catch (error) {
        replace(panel, el('p', { class: 'wb-error' }, `The ${what} failed to load: ${(error as Error).message}`));
      }
    };
    mounts.push(mount);
    return mount;
  };
  if (PANEL_MODULES['./triggers.ts']) {
    const panel = el('div', { class: 'wb-panel-host' }, el('p', { class: 'wb-muted' }, 'Loading…'));
    inputTabs.push({
      id: 'triggers',
      label: 'Triggers',
      panel,
      onShow: mountInto(panel, './triggers.ts', 'mountTriggers', 'trigger panel'),
    });
  }
  if (scenarioId === 'mobile-clicks' && PANEL_MODULES['./mobile.ts']) {
    const panel = el('div', { class: 'wb-panel-host' }, el('p', { class: 'wb-muted' }, 'Loading…'));
    inputTabs.push({
      id: 'phone',
      label: 'Phone',
      panel,
      onShow: mountInto(panel, './mobile.ts', 'mountMobile', 'phone client'),
    });
  }
  const exercisesPanel = el('div', {});
  inputTabs.push({ id: 'exercises', label: `Exercises (${scenario.exercises.length})`, panel: exercisesPanel });

  const flowHost = el('div', { class: 'wb-panel-host' });
  const resourcesHost = el('div', { class: 'wb-panel-host' });
  const flowSection = el(
    'section',
    { class: 'wb-box wb-flow-box', 'aria-labelledby': `${idPrefix}-flow-title` },
    el('h3', { id: `${idPrefix}-flow-title` }, 'Event flow'),
    flowHost,
  );
  const resourcesSection = el(
    'section',
    { class: 'wb-box wb-resources-box', 'aria-labelledby': `${idPrefix}-resources-title` },
    el('h3', { id: `${idPrefix}-resources-title` }, 'Resources'),
    resourcesHost,
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

  const layout = el(
    'div',
    { class: 'wb-app' },
    liveRegion,
    toolbar,
    el(
      'div',
      { class: 'wb-main' },
      codeSection,
      el(
        'section',
        { class: 'wb-box wb-inputs', 'aria-label': 'Inputs and exercises' },
        createTabs(idPrefix, 'Inputs and exercises', inputTabs, scenarioId),
      ),
    ),
    el('div', { class: 'wb-bottom' }, results.element, el('div', { class: 'wb-side' }, flowSection, resourcesSection)),
  );
  root.replaceChildren(layout);
  root.hidden = false;
  if (placeholder) placeholder.hidden = true;

  // ---- the editor itself
  const initial = store.source ?? scenario.function.source;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const options: EditorOptions = {
    scenario: scenarioId,
    modelUri: `file:///${scenario.function.path}`,
    value: initial,
    ariaLabel: `Handler code, ${fileName}`,
    onChange(value) {
      updateDeployState();
      showProblems(undefined);
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        const edited = value !== scenario.function.source;
        store.source = edited ? value : undefined;
        if (edited && !store.progress.edited) store.updateProgress((progress) => ({ ...progress, edited: true }));
      }, 250);
    },
    onDeploy: () => void exclusive(deploy),
    onRun: () => void exclusive(run),
    onStatus: (text) => {
      editorStatus.textContent = text;
    },
  };
  try {
    if (!editorLoading) throw new Error('plain editor requested');
    const module = await editorLoading;
    performance.mark(`wb-editor-module:${scenarioId}`);
    editorHost.classList.add('wb-monaco');
    editor = await module.createMonacoEditor(editorHost, options);
  } catch (error) {
    editorHost.replaceChildren();
    editorHost.classList.remove('wb-monaco');
    editor = createPlainEditor(editorHost, options);
    editorStatus.textContent = plainEditorWanted()
      ? 'Plain editor (asked for with ?editor=plain).'
      : `The code editor did not load (${(error as Error).message}); this plain one works too.`;
  }
  editorHost.dataset.wbEditor = editor.kind;
  root.dataset.wbReady = 'true';
  performance.mark(`wb-editor-ready:${scenarioId}`);
  if (store.source !== undefined && store.source !== scenario.function.source) {
    restoreNote.textContent = 'Your edit from an earlier visit is restored.';
    restoreNote.hidden = false;
  }
  updateDeployState();

  revertButton.addEventListener('click', () => {
    if (!editor) return;
    if (!window.confirm('Replace your code with the original handler? Ctrl+Z in the editor undoes it.')) return;
    store.undo = editor.getValue();
    editor.setValue(scenario.function.source);
    announce('The original handler is back in the editor.');
  });

  exercisesPanel.append(
    createExercisesPanel(scenario.exercises, {
      idPrefix,
      store,
      editor: () => editor,
      check,
      announce,
      codeReplaced: updateDeployState,
    }),
  );

  // Flow and resources are visible at once; mount them now (their modules load in parallel).
  await Promise.all([
    mountInto(flowHost, './flow.ts', 'mountFlow', 'flow diagram')(),
    mountInto(resourcesHost, './resources.ts', 'mountResources', 'resources view')(),
  ]);
  // Results follow the trace of this scenario (invocations started by triggers, retries, batches).
  onTrace((message) => {
    const functionName = message.detail.functionName;
    if (
      message.scenario === scenarioId ||
      (message.scenario === undefined && functionName === scenario.function.name)
    ) {
      results.trace(message);
    }
  });
}
