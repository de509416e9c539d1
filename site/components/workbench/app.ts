// The workbench's entry: loaded by Workbench.astro's small loader in idle time after the lesson
// loaded, when the learner reaches the workbench, or when they open it. Holds what every workspace
// of the page shares (the session, the one trace stream, Monaco's module) and opens the workspace
// (workspace/shell.ts) over the lesson.
import type { ScenarioInfo, SessionInfo, TraceMessage } from '../../lib/workbench-api.ts';
import { ApiRequestError, createApi, fetchSession } from './api.ts';
import type { WorkbenchApi } from './context.ts';
import { ScenarioStore } from './storage.ts';
import { preloadPanels } from './workspace/run-pane.ts';
import { openWorkspace } from './workspace/shell.ts';
import './workbench.css';

/** The editor module (Monaco); imported once, on first need. */
let editorModule: Promise<typeof import('./editor/monaco.ts')> | undefined;
export const loadEditorModule = (): Promise<typeof import('./editor/monaco.ts')> => {
  editorModule ??= import('./editor/monaco.ts');
  return editorModule;
};

/** Whether the page asked for the plain editor (`?editor=plain`): slow devices, and the benchmark's baseline. */
export const plainEditorWanted = () => new URLSearchParams(location.search).get('editor') === 'plain';

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

/** Runs `work` when the page is idle (soon at the latest). */
const whenIdle = <T>(work: () => Promise<T>): Promise<T> =>
  new Promise<void>((resolve) =>
    'requestIdleCallback' in window
      ? requestIdleCallback(() => resolve(), { timeout: 2000 })
      : setTimeout(resolve, 200),
  ).then(work);

/**
 * Starts loading Monaco (then, in idle time, the scenario's type declarations into its TypeScript
 * worker and a first editor drawn off screen), the session, the scenario and the panels the workspace
 * opens with in the background (the learner is about to reach the workbench).
 */
export function prefetch(scenarioId?: string): void {
  if (!plainEditorWanted()) {
    void loadEditorModule()
      .then((editor) => {
        if (scenarioId) void editor.preloadTypes(scenarioId).catch(() => undefined);
        return whenIdle(() => editor.warmUpEditor());
      })
      .catch(() => undefined);
  }
  void session().catch(() => undefined);
  if (scenarioId) {
    void scenarioInfo(scenarioId).catch(() => undefined);
    void whenIdle(() => preloadPanels(scenarioId)).catch(() => undefined);
  }
}

/** Called when the workbench scrolls near the viewport: prefetch, and reopen it if the learner left it open. */
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
  const openButton = section.querySelector<HTMLButtonElement>('[data-wb-open]');
  openButton?.setAttribute('aria-busy', 'true');
  if (openButton) openButton.textContent = 'Opening the workbench…';
  // Monaco loads while the session and the scenario are fetched.
  const editorLoading = plainEditorWanted() ? undefined : loadEditorModule();
  editorLoading?.catch(() => undefined);
  const info = await session();
  const api = createApi(info);
  traceHub ??= createTraceHub(api);
  const scenario = await scenarioInfo(scenarioId);
  scenarioInfos.delete(scenarioId);
  performance.mark(`wb-scenario:${scenarioId}`);
  await openWorkspace(section, {
    session: info,
    scenario,
    api,
    onTrace: traceHub,
    editorModule: editorLoading,
    plainEditorWanted: plainEditorWanted(),
    onClose() {
      opened.delete(section);
      if (openButton) {
        openButton.removeAttribute('aria-busy');
        openButton.textContent = 'Open the workbench';
        openButton.focus();
      }
    },
  });
  openButton?.removeAttribute('aria-busy');
}
