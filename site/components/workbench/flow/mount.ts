// The flow diagram panel: the scenario's resources as an SVG (left to right, or top to bottom on a
// phone) whose boxes and arrows light up as trace messages arrive, beside a step log that tells
// the same journey in words.
import type { FlowGraph, TraceMessage } from '../../../lib/workbench-api.ts';
import type { MountPanel } from '../context.ts';
import {
  chooseOrientation,
  type FlowLayout,
  KIND_CAPTIONS,
  layoutFlow,
  type Orientation,
  type PlacedEdge,
  type PlacedNode,
  truncate,
  truncateMiddle,
} from './layout.ts';
import { describeTrace, HighlightTracker, isBackgroundRead, isForScenario } from './steps.ts';
import '../panels.css';

const SVG = 'http://www.w3.org/2000/svg';
/** Steps kept in the log. */
const LOG_LENGTH = 14;
let instances = 0;

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

function drawNode(placed: PlacedNode): SVGGElement {
  const { node, x, y, width, height } = placed;
  const group = svg('g', { class: 'wb-flow__node', 'data-id': node.id, 'data-kind': node.kind });
  group.append(svg('title', {}, `${node.label}${node.resourceName ? ` — ${node.resourceName}` : ''}`));
  group.append(svg('rect', { x, y, width, height, rx: 10, ry: 10 }));
  const cx = x + width / 2;
  group.append(
    svg('text', { x: cx, y: y + 18, class: 'wb-flow__caption' }, truncate(KIND_CAPTIONS[node.kind], 28)),
    svg('text', { x: cx, y: y + 37, class: 'wb-flow__label' }, truncate(node.label, 22)),
    svg(
      'text',
      { x: cx, y: y + 55, class: 'wb-flow__name' },
      node.resourceName ? truncateMiddle(node.resourceName, 26) : node.kind === 'client' ? '' : 'not deployed',
    ),
  );
  return group;
}

function drawEdge(placed: PlacedEdge, markers: { normal: string; lit: string }) {
  const group = svg('g', { class: 'wb-flow__edge', 'data-id': placed.id });
  const line = { x1: placed.x1, y1: placed.y1, x2: placed.x2, y2: placed.y2 };
  if (placed.edge.label) group.append(svg('title', {}, placed.edge.label));
  group.append(
    svg('line', { ...line, class: 'wb-flow__line', 'marker-end': `url(#${markers.normal})` }),
    svg('line', { ...line, class: 'wb-flow__pulse', 'marker-end': `url(#${markers.lit})` }),
  );
  if (placed.labelText !== undefined) {
    group.append(
      svg(
        'text',
        { x: placed.labelX, y: placed.labelY, class: 'wb-flow__edge-label', 'text-anchor': placed.labelAnchor },
        placed.labelText,
      ),
    );
  }
  return group;
}

function drawDiagram(
  layout: FlowLayout,
  graph: FlowGraph,
  ids: { title: string; desc: string; marker: string },
  scenario: string,
): SVGSVGElement {
  const root = svg('svg', {
    class: 'wb-flow__svg',
    role: 'img',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    'aria-labelledby': `${ids.title} ${ids.desc}`,
    'data-orientation': layout.orientation,
  });
  root.style.maxWidth = `${Math.ceil(layout.width)}px`;
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
  for (const node of layout.nodes) nodes.append(drawNode(node));
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
  const clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'wb-button';
  clear.textContent = 'Clear steps';
  clear.addEventListener('click', () => {
    list.replaceChildren();
    empty.hidden = false;
  });
  log.append(heading, empty, steps, clear);
  const grid = document.createElement('div');
  grid.className = 'wb-flow__grid';
  grid.append(figure, log);
  element.replaceChildren(grid);

  if (graph.nodes.length === 0) {
    figure.textContent = 'This scenario has no diagram.';
  }

  const known = [...graph.nodes.map((node) => node.id), ...layoutFlow(graph, 'horizontal').edges.map((e) => e.id)];
  const tracker = new HighlightTracker(known);
  let orientation: Orientation | undefined;
  let diagram: SVGSVGElement | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const paint = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const now = Date.now();
    const lit = tracker.active(now);
    for (const item of diagram?.querySelectorAll<SVGGElement>('[data-id]') ?? []) {
      item.classList.toggle('is-lit', lit.has(item.dataset.id ?? ''));
    }
    const next = tracker.nextExpiry();
    if (next !== undefined) timer = setTimeout(paint, Math.max(16, next - now + 5));
  };

  const render = () => {
    if (graph.nodes.length === 0) return;
    // Left to right when the drawing fits the panel's width (the step log then goes below it);
    // top to bottom otherwise, with the step log beside it when there is room (see panels.css).
    const width = element.clientWidth || 800;
    // In the workspace's run column the diagram shares the height with the triggers and the
    // result: left to right keeps it short (scaled to the column's width).
    const inRunColumn = element.closest('.wb-pane-run') !== null && window.matchMedia('(min-width: 900px)').matches;
    const wanted = inRunColumn ? 'horizontal' : chooseOrientation(graph, width);
    if (wanted === orientation && diagram) return;
    orientation = wanted;
    diagram = drawDiagram(layoutFlow(graph, wanted), graph, ids, context.scenario.id);
    figure.replaceChildren(diagram);
    element.dataset.orientation = wanted;
    paint();
  };
  render();
  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => render()) : undefined;
  observer?.observe(element);

  const addStep = (message: TraceMessage, lit: readonly string[]) => {
    const line = describeTrace(message, graph);
    if (line === undefined) return;
    const item = document.createElement('li');
    item.className = lit.length > 0 ? 'is-lit' : '';
    item.dataset.type = message.type;
    const time = document.createElement('time');
    const at = new Date(message.time);
    time.dateTime = at.toISOString();
    time.textContent = at.toLocaleTimeString(undefined, { hour12: false });
    item.append(time, ` ${line}`);
    list.append(item);
    while (list.children.length > LOG_LENGTH) list.firstElementChild?.remove();
    empty.hidden = true;
  };

  const unsubscribe = context.onTrace((message) => {
    if (!isForScenario(message, context.scenario.id) || isBackgroundRead(message, graph)) return;
    const lit = message.highlight ? tracker.light(message.highlight, Date.now()) : [];
    // Only steps of this scenario's resources go in its log (other scenarios share the cloud).
    if (lit.length === 0 && message.scenario === undefined) return;
    if (lit.length > 0) paint();
    addStep(message, lit);
  });

  return () => {
    unsubscribe();
    observer?.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    element.replaceChildren();
    element.classList.remove('wb-flow-panel', 'not-content');
  };
};
