// The run pane: how the learner runs the function (the triggers, the test event and, for the mobile
// scenario, the phone client, in tabs), the flow diagram, and what came of it (the invocation
// timeline, the resources, the configuration, in tabs). The panels other modules provide are looked
// up at build time and mounted when first shown, so a missing one only hides its tab.
import { ApiRequestError } from '../api.ts';
import type { MountPanel, WorkbenchContext } from '../context.ts';
import { el, replace } from '../dom.ts';
import type { LessonNames } from '../results/names.ts';
import { createEventPanel, type EventPanel } from '../results/test-event.ts';
import { createResultsView, type ResultsView } from '../results/view.ts';
import type { ScenarioStore } from '../storage.ts';
import { createTabs, type Tab } from './tabs.ts';

const PANEL_MODULES = import.meta.glob<Record<string, MountPanel>>([
  '../flow/mount.ts',
  '../resources/mount.ts',
  '../triggers/mount.ts',
  '../mobile/mount.ts',
  '../config/mount.ts',
]);

/**
 * Loads, in idle time before the workspace opens, the panels it mounts on opening (the triggers or
 * the phone, the flow diagram, the resources): their stylesheet is then in the page before the
 * click, not added after the editor is drawn, when adding it restyled the whole page (the lesson's
 * code blocks included) in the learner's first frames.
 */
export function preloadPanels(scenarioId: string): Promise<unknown> {
  const files = ['../flow/mount.ts', '../resources/mount.ts', '../triggers/mount.ts'];
  if (scenarioId === 'mobile-clicks') files.push('../mobile/mount.ts');
  return Promise.all(files.map((file) => PANEL_MODULES[file]?.()));
}

async function loadPanel(file: string, exportName: string): Promise<MountPanel | undefined> {
  const load = PANEL_MODULES[file];
  if (!load) return undefined;
  const module = await load();
  return module[exportName];
}

export interface RunPane {
  readonly results: ResultsView;
  readonly events: EventPanel;
  /** Mounts the flow diagram and the resources view (their modules load in parallel). */
  mountFlowAndResources(): Promise<void>;
}

export interface RunPaneHost {
  readonly idPrefix: string;
  readonly context: WorkbenchContext;
  readonly store: ScenarioStore;
  readonly lessonNames: LessonNames;
  /** Called with each mounted panel's unmount. */
  onUnmount(unmount: () => void): void;
}

export function createRunPane(
  host: HTMLElement,
  { idPrefix, context, store, lessonNames, onUnmount }: RunPaneHost,
): RunPane {
  const { scenario, announce } = context;
  const scenarioId = scenario.id;
  const results = createResultsView(idPrefix, announce, lessonNames);
  const events = createEventPanel(scenario.events, store, idPrefix);
  events.element.addEventListener('input', () => results.clearRunNote());

  /** Mounts a panel once, the first time it is asked for. */
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
        if (typeof unmount === 'function') onUnmount(unmount);
      } catch (error) {
        replace(panel, el('p', { class: 'wb-error' }, `The ${what} failed to load: ${(error as Error).message}`));
      }
    };
  };
  const lazyTab = (id: string, label: string, file: string, exportName: string, what: string): Tab => {
    const panel = el('div', { class: 'wb-panel-host' }, el('p', { class: 'wb-muted' }, 'Loading…'));
    return { id, label, panel, onShow: mountInto(panel, file, exportName, what) };
  };

  const inputTabs: Tab[] = [];
  if (PANEL_MODULES['../triggers/mount.ts']) {
    inputTabs.push(lazyTab('triggers', 'Triggers', '../triggers/mount.ts', 'mountTriggers', 'trigger panel'));
  }
  inputTabs.push({ id: 'event', label: 'Test event', panel: el('div', {}, events.element) });
  if (scenarioId === 'mobile-clicks' && PANEL_MODULES['../mobile/mount.ts']) {
    inputTabs.push(lazyTab('phone', 'Phone', '../mobile/mount.ts', 'mountMobile', 'phone client'));
  }
  const flowHost = el('div', { class: 'wb-panel-host' });
  const resourcesHost = el('div', { class: 'wb-panel-host' });
  const outputTabs: Tab[] = [
    { id: 'timeline', label: 'Invocations', panel: results.element },
    { id: 'resources', label: 'Resources', panel: resourcesHost },
  ];
  if (PANEL_MODULES['../config/mount.ts']) {
    outputTabs.push(lazyTab('config', 'Configuration', '../config/mount.ts', 'mountConfig', 'configuration view'));
  }
  host.append(
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
    const target = context.session.target.kind === 'local' ? 'local cloud' : `AWS ${context.session.target.region}`;
    results.failed(
      new ApiRequestError(409, {
        error: 'NotDeployed',
        message: `The stack ${scenario.stack} is not deployed on the ${target}: run \`npm start\` (or deploy the stack) and reload.`,
      }),
      'Loading the scenario',
    );
  }

  return {
    results,
    events,
    mountFlowAndResources: async () => {
      await Promise.all([
        mountInto(flowHost, '../flow/mount.ts', 'mountFlow', 'flow diagram')(),
        mountInto(resourcesHost, '../resources/mount.ts', 'mountResources', 'resources view')(),
      ]);
    },
  };
}
