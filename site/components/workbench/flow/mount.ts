// The flow diagram panel: the scenario's resources as an SVG (left to right, or top to bottom on a
// phone) whose boxes and arrows light up one step at a time, in the order the trace happened,
// beside a step log that tells the same journey in words; the last event's path can be replayed.
import type { FlowGraph } from '../../../lib/workbench-api.ts';
import type { MountPanel } from '../context.ts';
import { compactLabelChars, compactNodeLines, layoutCompact } from './compact.ts';
import {
  chooseOrientation,
  type FlowLayout,
  KIND_CAPTIONS,
  LABEL_LINE_PX,
  layoutFlow,
  type Orientation,
  type PlacedEdge,
  type PlacedNode,
  truncate,
  truncateMiddle,
} from './layout.ts';
import { type PlayerFrame, StepPlayer } from './player.ts';
import { describeTrace, isBackgroundRead, isForScenario } from './steps.ts';
import '../panels.css';

const SVG = 'http://www.w3.org/2000/svg';
/** The smallest scale the full drawing is drawn at in the Enlarge dialog (12 px labels read at 8.4 px). */
const MIN_SCALE = 0.7;
/** Steps kept in the log. */
const LOG_LENGTH = 14;
let instances = 0;

/** A workbench button. */
function button(label: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'wb-button';
  element.textContent = label;
  return element;
}

/** One line of the step log, with the diagram ids its step lights and its element once shown. */
interface LogStep {
  readonly line: string;
  readonly type: string;
  readonly time: number;
  readonly ids: readonly string[];
  item?: HTMLLIElement;
}

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The whole diagram in words, for the SVG's `<desc>` (screen readers read it instead of the picture). */
export function describeGraph(graph: FlowGraph): string {
  if (graph.nodes.length === 0) return 'The scenario has no resources to draw.';
  const label = (id: string) => graph.nodes.find((node) => node.id === id)?.label ?? id;
  const nodes = graph.nodes
    .map((node) => `${node.label} (${KIND_CAPTIONS[node.kind]}${node.resourceName ? `, ${node.resourceName}` : ''})`)
    .join('; ');
  const edges = graph.edges.map(
    (edge) => `${label(edge.from)} → ${label(edge.to)}${edge.label ? ` (${edge.label})` : ''}`,
  );
  return `Resources: ${nodes}. Connections: ${edges.length > 0 ? edges.join('; ') : 'none'}.`;
}

function drawNode(placed: PlacedNode, compact = false): SVGGElement {
  const { node, x, y, width, height } = placed;
  const group = svg('g', { class: 'wb-flow__node', 'data-id': node.id, 'data-kind': node.kind });
  // The compact box shows its label only: its kind and physical name are in its title.
  const kind = compact ? ` (${KIND_CAPTIONS[node.kind]})` : '';
  group.append(svg('title', {}, `${node.label}${kind}${node.resourceName ? ` — ${node.resourceName}` : ''}`));
  group.append(svg('rect', { x, y, width, height, rx: 10, ry: 10 }));
  const cx = x + width / 2;
  if (compact) {
    const lines = compactNodeLines(node.label, compactLabelChars(width));
    const text = svg('text', { x: cx, y: y + height / 2 + 4 - ((lines.length - 1) * 15) / 2, class: 'wb-flow__label' });
    lines.forEach((line, index) => {
      text.append(svg('tspan', { x: cx, dy: index === 0 ? 0 : 15 }, line));
    });
    group.append(text);
    return group;
  }
  group.append(
    svg('text', { x: cx, y: y + 19, class: 'wb-flow__caption' }, truncate(KIND_CAPTIONS[node.kind], 28)),
    svg('text', { x: cx, y: y + 39, class: 'wb-flow__label' }, truncate(node.label, 22)),
    svg(
      'text',
      { x: cx, y: y + 58, class: 'wb-flow__name' },
      node.resourceName ? truncateMiddle(node.resourceName, 26) : node.kind === 'client' ? '' : 'not deployed',
    ),
  );
  return group;
}

function drawEdge(placed: PlacedEdge, markers: { normal: string; lit: string }) {
  const group = svg('g', { class: 'wb-flow__edge', 'data-id': placed.id });
  const line = { x1: placed.x1, y1: placed.y1, x2: placed.x2, y2: placed.y2 };
  // The whole label, also where the picture shows a short form or none.
  if (placed.edge.label) group.append(svg('title', {}, placed.edge.label));
  group.append(
    svg('line', { ...line, class: 'wb-flow__line', 'marker-end': `url(#${markers.normal})` }),
    svg('line', { ...line, class: 'wb-flow__pulse', 'marker-end': `url(#${markers.lit})` }),
  );
  if (placed.labelLines.length > 0) {
    const text = svg('text', {
      x: placed.labelX,
      y: placed.labelY,
      class: 'wb-flow__edge-label',
      'text-anchor': placed.labelAnchor,
    });
    placed.labelLines.forEach((line, index) => {
      text.append(svg('tspan', { x: placed.labelX, dy: index === 0 ? 0 : LABEL_LINE_PX }, line));
    });
    group.append(text);
  }
  return group;
}

function drawDiagram(
  layout: FlowLayout,
  graph: FlowGraph,
  ids: { title: string; desc: string; marker: string },
  scenario: string,
  dialog = false,
): SVGSVGElement {
  const root = svg('svg', {
    class: 'wb-flow__svg',
    role: 'img',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    'aria-labelledby': `${ids.title} ${ids.desc}`,
    'data-orientation': layout.orientation,
  });
  if (layout.compact) root.dataset.compact = '';
  root.style.maxWidth = `${Math.ceil(layout.width)}px`;
  // The full drawing in the dialog is scaled to it, never so far that its text gets too small to
  // read: beyond that it scrolls sideways (and says so).
  if (dialog) root.style.minWidth = `${Math.ceil(layout.width * MIN_SCALE)}px`;
  root.dataset.crossings = String(layout.crossings);
  root.append(
    svg('title', { id: ids.title }, `How an event travels through the ${scenario} scenario`),
    svg('desc', { id: ids.desc }, describeGraph(graph)),
  );
  const defs = svg('defs');
  const markers = { normal: `${ids.marker}-n`, lit: `${ids.marker}-l` };
  for (const [id, className] of [
    [markers.normal, 'wb-flow__arrow'],
    [markers.lit, 'wb-flow__arrow wb-flow__arrow--lit'],
  ] as const) {
    const marker = svg('marker', {
      id,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
      class: className,
    });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }));
    defs.append(marker);
  }
  root.append(defs);
  const edges = svg('g', { class: 'wb-flow__edges' });
  for (const edge of layout.edges) edges.append(drawEdge(edge, markers));
  const nodes = svg('g', { class: 'wb-flow__nodes' });
  for (const node of layout.nodes) nodes.append(drawNode(node, layout.compact));
  root.append(edges, nodes);
  return root;
}

/** Mounts the flow diagram and its step log. */
export const mountFlow: MountPanel = (element, context) => {
  const graph = context.scenario.diagram;
  const n = ++instances;
  const ids = { title: `wb-flow-title-${n}`, desc: `wb-flow-desc-${n}`, marker: `wb-flow-arrow-${n}` };

  // not-content: Starlight's prose styles (margins between siblings, table looks) stay out.
  element.classList.add('wb-flow-panel', 'not-content');
  const figure = document.createElement('div');
  figure.className = 'wb-flow__figure';
  const log = document.createElement('section');
  log.className = 'wb-flow__log';
  const heading = document.createElement('h4');
  heading.id = `wb-flow-log-${n}`;
  heading.textContent = 'Steps';
  // The live region is a focusable scroll box around the list (a list cannot take the log role,
  // and a scroll box must be reachable by keyboard).
  const steps = document.createElement('div');
  steps.className = 'wb-flow__steps';
  steps.setAttribute('role', 'log');
  steps.setAttribute('aria-live', 'polite');
  steps.setAttribute('aria-labelledby', heading.id);
  steps.tabIndex = 0;
  const list = document.createElement('ol');
  steps.append(list);
  const empty = document.createElement('p');
  empty.className = 'wb-flow__empty';
  empty.textContent = 'Send an event: each step of its journey appears here and lights up in the diagram.';
  const controls = document.createElement('div');
  controls.className = 'wb-flow__controls';
  const replay = button('Replay last event');
  replay.setAttribute('aria-disabled', 'true');
  const clear = button('Clear steps');
  const enlarge = button('Enlarge diagram');
  enlarge.hidden = true;
  controls.append(replay, enlarge, clear);

  // The diagram at a readable size over the page, for a run column too narrow for more than an
  // overview: it lights as the small one does, with the step playing now written under it.
  const dialog = document.createElement('dialog');
  dialog.className = 'wb-flow__dialog';
  const dialogHeading = document.createElement('h3');
  dialogHeading.id = `wb-flow-dialog-${n}`;
  dialogHeading.textContent = 'Event flow';
  dialog.setAttribute('aria-labelledby', dialogHeading.id);
  const bigFigure = document.createElement('div');
  bigFigure.className = 'wb-flow__figure';
  const now = document.createElement('p');
  now.className = 'wb-flow__now';
  now.setAttribute('aria-live', 'polite');
  const dialogControls = document.createElement('div');
  dialogControls.className = 'wb-flow__controls';
  const bigReplay = button('Replay last event');
  const close = button('Close');
  dialogControls.append(bigReplay, close);
  dialog.append(dialogHeading, bigFigure, now, dialogControls);
  log.append(heading, empty, steps, controls);
  const grid = document.createElement('div');
  grid.className = 'wb-flow__grid';
  grid.append(figure, log);
  element.replaceChildren(grid, dialog);

  if (graph.nodes.length === 0) {
    figure.textContent = 'This scenario has no diagram.';
  }

  const known = new Set([
    ...graph.nodes.map((node) => node.id),
    ...layoutFlow(graph, 'horizontal').edges.map((e) => e.id),
  ]);
  let orientation: Orientation | 'compact' | undefined;
  let diagram: SVGSVGElement | undefined;
  let big: SVGSVGElement | undefined;
  let shown: PlayerFrame<LogStep> = { current: new Set(), visited: new Set(), replaying: false };
  let played = 0;

  /** Lights what the frame says: the step playing now, and the path that led to it. */
  const paint = () => {
    const items = [diagram, big].flatMap((root) => [...(root?.querySelectorAll<SVGGElement>('[data-id]') ?? [])]);
    for (const item of items) {
      const id = item.dataset.id ?? '';
      item.classList.toggle('is-lit', shown.current.has(id));
      item.classList.toggle('is-visited', shown.visited.has(id));
    }
    element.dataset.playing = shown.current.size > 0 ? (shown.replaying ? 'replay' : 'live') : 'idle';
    followLit();
  };

  /**
   * Keeps the step playing now in view where the diagram scrolls in its own box (the run column):
   * the box scrolls to the lit boxes and arrows, the page does not move.
   */
  const followLit = () => {
    const box = element.closest<HTMLElement>('.wb-box');
    const lit = [...(diagram?.querySelectorAll<SVGGElement>('.is-lit') ?? [])];
    if (!box || lit.length === 0 || box.scrollHeight <= box.clientHeight) return;
    if (getComputedStyle(box).overflowY === 'visible') return;
    const frame = box.getBoundingClientRect();
    const rects = lit.map((item) => item.getBoundingClientRect());
    const top = Math.min(...rects.map((rect) => rect.top));
    const bottom = Math.max(...rects.map((rect) => rect.bottom));
    const margin = 12;
    if (top < frame.top + margin) box.scrollTop -= frame.top + margin - top;
    else if (bottom > frame.bottom - margin)
      box.scrollTop += Math.min(bottom - (frame.bottom - margin), top - frame.top - margin);
  };

  /** A step's line in the log: added when the step first plays, marked again when it is replayed. */
  const showStep = (step: LogStep, replaying: boolean) => {
    for (const item of list.querySelectorAll('li.is-current')) item.classList.remove('is-current');
    if (!replaying || step.item === undefined) {
      const item = document.createElement('li');
      item.dataset.type = step.type;
      item.dataset.ids = step.ids.join(' ');
      if (step.ids.length > 0) item.classList.add('is-lit');
      const time = document.createElement('time');
      const at = new Date(step.time);
      time.dateTime = at.toISOString();
      time.textContent = at.toLocaleTimeString(undefined, { hour12: false });
      item.append(time, ` ${step.line}`);
      list.append(item);
      while (list.children.length > LOG_LENGTH) list.firstElementChild?.remove();
      empty.hidden = true;
      step.item = item;
    }
    if (step.ids.length > 0 && step.item.isConnected) {
      step.item.classList.add('is-current');
      // Keep the line being played in view, without moving the page.
      steps.scrollTop = Math.max(0, step.item.offsetTop - steps.offsetTop - steps.clientHeight / 2);
    }
  };

  const player = new StepPlayer<LogStep>({
    now: () => Date.now(),
    schedule: (run, ms) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    },
    onFrame: (frame) => {
      if (frame.step) showStep(frame.step.data, frame.replaying);
      shown = frame;
      paint();
      if (frame.step && frame.step.ids.length > 0) {
        now.textContent = frame.step.data.line;
        // Which step is lit, for whoever watches (the browser tests): a count and its ids.
        element.dataset.lit = frame.step.ids.join(' ');
        element.dataset.step = String(++played);
      }
      if (player.lastPath.length > 0) replay.removeAttribute('aria-disabled');
    },
  });

  const replayLast = () => {
    if (player.lastPath.length === 0) return;
    player.replay();
  };
  replay.addEventListener('click', replayLast);
  bigReplay.addEventListener('click', replayLast);
  enlarge.addEventListener('click', () => {
    const width = Math.max(320, window.innerWidth - 96);
    const wanted = chooseOrientation(graph, width);
    big = drawDiagram(
      layoutFlow(graph, wanted),
      graph,
      { title: `${ids.title}-big`, desc: `${ids.desc}-big`, marker: `${ids.marker}-big` },
      context.scenario.id,
      true,
    );
    bigFigure.replaceChildren(big);
    paint();
    dialog.showModal();
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    big = undefined;
    bigFigure.replaceChildren();
  });
  clear.addEventListener('click', () => {
    player.clear();
    list.replaceChildren();
    empty.hidden = false;
    replay.setAttribute('aria-disabled', 'true');
  });

  /** The compact drawing, found once (its search takes a moment on a large graph). */
  let compactLayout: FlowLayout | undefined;
  const render = () => {
    if (graph.nodes.length === 0) return;
    const width = element.clientWidth || 800;
    // In the workspace's run column the diagram shares the height with the triggers and the
    // result, in a column too narrow for the full drawing: the compact one, at its own size, with
    // a button for the full one. Elsewhere the full drawing, left to right when it fits the
    // panel's width at its own size (the step log then goes below it), top to bottom otherwise
    // (the step log beside it when there is room, see panels.css); the compact one when neither
    // fits, so the text never shrinks below its size.
    const inRunColumn = element.closest('.wb-pane-run') !== null && window.matchMedia('(min-width: 900px)').matches;
    let wanted: Orientation | 'compact' = 'compact';
    if (!inRunColumn) {
      const orientation = chooseOrientation(graph, width, undefined, 1);
      if (layoutFlow(graph, orientation).width <= width) wanted = orientation;
    }
    enlarge.hidden = !inRunColumn;
    if (wanted === orientation && diagram) return;
    orientation = wanted;
    if (wanted === 'compact' && compactLayout === undefined) compactLayout = layoutCompact(graph);
    const layout = wanted === 'compact' && compactLayout ? compactLayout : layoutFlow(graph, wanted as Orientation);
    diagram = drawDiagram(layout, graph, ids, context.scenario.id);
    figure.replaceChildren(diagram, scrollHint);
    element.dataset.orientation = wanted === 'compact' ? 'vertical' : wanted;
    element.dataset.drawing = wanted === 'compact' ? 'compact' : 'full';
    paint();
  };
  /** Shown when the figure is wider than its box. */
  const scrollHint = document.createElement('p');
  scrollHint.className = 'wb-flow__scroll-hint';
  scrollHint.textContent = 'Scroll sideways to see the whole diagram.';
  scrollHint.hidden = true;
  const updateHint = () => {
    scrollHint.hidden = figure.scrollWidth <= figure.clientWidth + 1;
  };
  render();
  updateHint();
  const observer =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          render();
          updateHint();
        })
      : undefined;
  observer?.observe(element);

  const unsubscribe = context.onTrace((message) => {
    if (!isForScenario(message, context.scenario.id) || isBackgroundRead(message, graph)) return;
    const lit = (message.highlight ?? []).filter((id) => known.has(id));
    // Only steps of this scenario's resources go in its log (other scenarios share the cloud).
    if (lit.length === 0 && message.scenario === undefined) return;
    // A step the log leaves out (a function's log line) is no step of the journey either.
    const line = describeTrace(message, graph);
    if (line === undefined) return;
    player.push({ ids: lit, data: { line, type: message.type, time: message.time, ids: lit } });
  });

  return () => {
    unsubscribe();
    observer?.disconnect();
    player.clear();
    element.replaceChildren();
    element.classList.remove('wb-flow-panel', 'not-content');
  };
};
