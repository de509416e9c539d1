// The workspace's split layout: the task (lesson or exercise) on the left, the files and the
// editor in the middle, running it on the right (inputs, the flow diagram, the latest result),
// under one toolbar. The two column splitters resize by mouse, touch and keyboard (arrows, Home,
// End) and the sizes are remembered. Below 900 px the three columns become tabs — Task, Code, Run —
// and Run keeps the triggers, the diagram they light and the result together.
import { el } from '../dom.ts';
import { layoutStore } from '../storage.ts';

/** The slots the shell fills. */
export interface WorkspaceLayout {
  readonly element: HTMLElement;
  readonly toolbar: HTMLElement;
  readonly task: HTMLElement;
  readonly code: HTMLElement;
  readonly run: HTMLElement;
}

interface Splitter {
  /** Layout key and CSS variable. */
  readonly key: 'task' | 'run';
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly initial: number;
}

const SPLITTERS: readonly Splitter[] = [
  { key: 'task', label: 'Resize the task pane', min: 15, max: 45, initial: 21 },
  { key: 'run', label: 'Resize the run pane', min: 22, max: 50, initial: 31 },
];

/** The width below which the panes become tabs (matches the stylesheet's media query). */
export const NARROW_PX = 900;

function createSplitter(container: HTMLElement, splitter: Splitter, sizes: Record<string, number>): HTMLElement {
  const handle = el('div', {
    role: 'separator',
    tabindex: '0',
    'aria-orientation': 'vertical',
    'aria-label': splitter.label,
    'aria-valuemin': String(splitter.min),
    'aria-valuemax': String(splitter.max),
    class: `wb-splitter wb-splitter-${splitter.key}`,
    'data-wb-splitter': splitter.key,
  });
  const apply = (value: number, save: boolean) => {
    const clamped = Math.round(Math.min(splitter.max, Math.max(splitter.min, value)));
    sizes[splitter.key] = clamped;
    container.style.setProperty(`--wb-${splitter.key}`, `${clamped}%`);
    handle.setAttribute('aria-valuenow', String(clamped));
    handle.setAttribute('aria-valuetext', `${clamped} percent of the width`);
    if (save) layoutStore.set(sizes);
  };
  apply(sizes[splitter.key] ?? splitter.initial, false);
  handle.addEventListener('keydown', (event) => {
    const current = sizes[splitter.key] ?? splitter.initial;
    // The task pane grows to the right, the run pane to the left.
    const sign = splitter.key === 'task' ? 1 : -1;
    const step = event.shiftKey ? 10 : 2;
    const next =
      event.key === 'ArrowRight'
        ? current + sign * step
        : event.key === 'ArrowLeft'
          ? current - sign * step
          : event.key === 'Home'
            ? splitter.min
            : event.key === 'End'
              ? splitter.max
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    apply(next, true);
  });
  handle.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    const box = container.getBoundingClientRect();
    const move = (moveEvent: PointerEvent) => {
      const x = ((moveEvent.clientX - box.left) / box.width) * 100;
      apply(splitter.key === 'task' ? x : 100 - x, false);
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
      layoutStore.set(sizes);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });
  return handle;
}

/** Builds the layout; `idPrefix` keeps ids unique. */
export function createLayout(idPrefix: string): WorkspaceLayout {
  const toolbar = el('div', { class: 'wb-toolbar' });
  const pane = (name: 'task' | 'code' | 'run', label: string) =>
    el('section', {
      class: `wb-pane wb-pane-${name}`,
      id: `${idPrefix}-pane-${name}`,
      'aria-label': label,
      'data-wb-pane': name,
    });
  const task = pane('task', 'Task pane: the lesson or an exercise');
  const code = pane('code', 'Code pane: the scenario’s files');
  const run = pane('run', 'Run pane: triggers, flow and results');
  const panes = el('div', { class: 'wb-panes' });
  const sizes: Record<string, number> = { ...layoutStore.get() };
  const [taskSplitter, runSplitter] = SPLITTERS.map((splitter) => createSplitter(panes, splitter, sizes)) as [
    HTMLElement,
    HTMLElement,
  ];
  panes.append(task, taskSplitter, code, runSplitter, run);

  // Narrow screens: one pane at a time, chosen with tabs.
  const tabs = el('div', { class: 'wb-pane-tabs', role: 'tablist', 'aria-label': 'Workspace panes' });
  const entries = [
    { pane: task, label: 'Task' },
    { pane: code, label: 'Code' },
    { pane: run, label: 'Run' },
  ];
  const buttons = entries.map(({ pane: target, label }, index) => {
    const button = el(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `${target.id}-tab`,
        'aria-controls': target.id,
        class: 'wb-pane-tab',
      },
      label,
    );
    button.addEventListener('click', () => selectTab(index, false));
    button.addEventListener('keydown', (event) => {
      const next =
        event.key === 'ArrowRight'
          ? (index + 1) % entries.length
          : event.key === 'ArrowLeft'
            ? (index - 1 + entries.length) % entries.length
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? entries.length - 1
                : undefined;
      if (next === undefined) return;
      event.preventDefault();
      selectTab(next, true);
    });
    tabs.append(button);
    return button;
  });
  const narrow = window.matchMedia(`(max-width: ${NARROW_PX - 0.02}px)`);
  let selectedTab = 1;
  const selectTab = (index: number, focus: boolean) => {
    selectedTab = index;
    entries.forEach(({ pane: target }, i) => {
      const button = buttons[i] as HTMLButtonElement;
      const selected = i === index;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      target.toggleAttribute('data-wb-tab-hidden', !selected);
      if (narrow.matches) {
        target.setAttribute('role', 'tabpanel');
        target.setAttribute('aria-labelledby', button.id);
      } else {
        target.removeAttribute('role');
        target.removeAttribute('aria-labelledby');
      }
    });
    if (focus) buttons[index]?.focus();
  };
  narrow.addEventListener('change', () => selectTab(selectedTab, false));
  selectTab(selectedTab, false);

  const element = el('div', { class: 'wb-workspace' }, toolbar, tabs, panes);
  return { element, toolbar, task, code, run };
}

/** Shows a pane on narrow screens (e.g. Run after "Run" was pressed in the Code tab). */
export function showPane(layout: WorkspaceLayout, pane: 'task' | 'code' | 'run'): void {
  layout.element.querySelector<HTMLButtonElement>(`#${CSS.escape(layout[pane].id)}-tab`)?.click();
}
