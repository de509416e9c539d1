// The flow diagram's geometry, without the DOM: ranks (how far along the journey a node is),
// an order within each rank that keeps edges from crossing, and boxes and arrows in SVG units,
// laid out left to right on wide screens and top to bottom on narrow ones.
import type { FlowEdge, FlowGraph, FlowNode } from '../../../lib/workbench-api.ts';

export type Orientation = 'horizontal' | 'vertical';

/** Sizes of the drawing, in SVG user units (px at scale 1). */
export interface FlowSizes {
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  /** Space between ranks (where the arrows and their labels go). */
  readonly rankGap: number;
  /** Space between nodes of one rank. */
  readonly nodeGap: number;
  readonly padding: number;
}

/** How far apart a pair of opposite arrows are drawn, each from the line between the boxes. */
const EDGE_PAIR_SHIFT = 7;
/** Width of a label's character, roughly (the labels are 11 px sans-serif). */
const LABEL_CHAR_WIDTH = 6.2;
/** Distance of a label from its arrow. */
const LABEL_GAP = 6;

export const DEFAULT_SIZES: FlowSizes = { nodeWidth: 176, nodeHeight: 66, rankGap: 96, nodeGap: 24, padding: 12 };

export interface PlacedNode {
  readonly node: FlowNode;
  readonly rank: number;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  /** `from>to`, as in `TraceMessage.highlight`. */
  readonly id: string;
  readonly edge: FlowEdge;
  /** Start and end on the borders of the two boxes. */
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** Where the label goes: beside the middle of the arrow, on its left as one travels along it. */
  readonly labelX: number;
  readonly labelY: number;
  readonly labelAnchor: 'start' | 'middle' | 'end';
  /** The label as drawn (long ones cut with an ellipsis; the full one goes in a tooltip). */
  readonly labelText?: string;
}

export interface FlowLayout {
  readonly orientation: Orientation;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** The id of an edge in `TraceMessage.highlight`. */
export const edgeId = (from: string, to: string): string => `${from}>${to}`;

export { KIND_CAPTIONS } from '../../../lib/diagram-vocabulary.ts';

/** Edges between known nodes, without duplicates or self-loops. */
export function usableEdges(graph: FlowGraph): FlowEdge[] {
  const ids = new Set(graph.nodes.map((node) => node.id));
  const seen = new Set<string>();
  const edges: FlowEdge[] = [];
  for (const edge of graph.edges) {
    const id = edgeId(edge.from, edge.to);
    if (edge.from === edge.to || !ids.has(edge.from) || !ids.has(edge.to) || seen.has(id)) continue;
    seen.add(id);
    edges.push(edge);
  }
  return edges;
}

/**
 * Rank of each node: the length of the longest path reaching it from a node nothing points to
 * (edges closing a cycle are ignored). Nodes without edges get rank 0.
 */
export function rankNodes(graph: FlowGraph): Map<string, number> {
  const edges = usableEdges(graph);
  const outgoing = new Map<string, string[]>(graph.nodes.map((node) => [node.id, []]));
  for (const edge of edges) outgoing.get(edge.from)!.push(edge.to);

  // Depth-first search for a topological order; an edge to a node still on the stack closes a cycle.
  const state = new Map<string, 'active' | 'done'>();
  const order: string[] = [];
  const backEdges = new Set<string>();
  const visit = (id: string) => {
    state.set(id, 'active');
    for (const next of outgoing.get(id) ?? []) {
      const seen = state.get(next);
      if (seen === 'active') backEdges.add(edgeId(id, next));
      else if (seen === undefined) visit(next);
    }
    state.set(id, 'done');
    order.push(id);
  };
  const incoming = new Set(edges.map((edge) => edge.to));
  // Sources first, so a cycle's entry point comes from where the journey starts.
  for (const node of graph.nodes) if (!incoming.has(node.id) && !state.has(node.id)) visit(node.id);
  for (const node of graph.nodes) if (!state.has(node.id)) visit(node.id);
  order.reverse();

  const rank = new Map<string, number>(graph.nodes.map((node) => [node.id, 0]));
  for (const id of order) {
    for (const next of outgoing.get(id) ?? []) {
      if (backEdges.has(edgeId(id, next))) continue;
      rank.set(next, Math.max(rank.get(next)!, rank.get(id)! + 1));
    }
  }
  return rank;
}

/**
 * Nodes grouped by rank, each rank ordered to reduce crossings: a node sits near the mean position
 * of its neighbours in the rank before it (two sweeps of the barycenter heuristic).
 */
export function orderRanks(graph: FlowGraph, ranks: Map<string, number>): FlowNode[][] {
  const count = Math.max(0, ...ranks.values()) + 1;
  const layers: FlowNode[][] = Array.from({ length: count }, () => []);
  for (const node of graph.nodes) layers[ranks.get(node.id) ?? 0]!.push(node);
  const edges = usableEdges(graph);
  const neighbours = (id: string, before: boolean) =>
    edges
      .filter((edge) => (before ? edge.to === id : edge.from === id))
      .map((edge) => (before ? edge.from : edge.to))
      .filter((other) => ranks.get(other) === (ranks.get(id) ?? 0) + (before ? -1 : 1));
  const reorder = (layer: FlowNode[], reference: FlowNode[], before: boolean) => {
    const position = new Map(reference.map((node, index) => [node.id, index]));
    const keyed = layer.map((node, index) => {
      const linked = neighbours(node.id, before)
        .map((id) => position.get(id))
        .filter((value): value is number => value !== undefined);
      const center = linked.length === 0 ? index : linked.reduce((sum, value) => sum + value, 0) / linked.length;
      return { node, key: center, index };
    });
    keyed.sort((a, b) => a.key - b.key || a.index - b.index);
    return keyed.map((entry) => entry.node);
  };
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let r = 1; r < count; r++) layers[r] = reorder(layers[r]!, layers[r - 1]!, true);
    for (let r = count - 2; r >= 0; r--) layers[r] = reorder(layers[r]!, layers[r + 1]!, false);
  }
  return layers;
}

/** Where the segment from the center of a box towards (tx, ty) leaves the box. */
function borderPoint(box: PlacedNode, tx: number, ty: number): { x: number; y: number } {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const scale = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : box.width / 2 / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : box.height / 2 / Math.abs(dy),
  );
  return { x: cx + dx * scale, y: cy + dy * scale };
}

/** Boxes and arrows for `graph`. */
export function layoutFlow(graph: FlowGraph, orientation: Orientation, sizes: FlowSizes = DEFAULT_SIZES): FlowLayout {
  const ranks = rankNodes(graph);
  const layers = orderRanks(graph, ranks);
  const widest = Math.max(1, ...layers.map((layer) => layer.length));
  const horizontal = orientation === 'horizontal';
  // Along the journey (x when horizontal) and across it.
  const alongStep = (horizontal ? sizes.nodeWidth : sizes.nodeHeight) + sizes.rankGap;
  const acrossSize = horizontal ? sizes.nodeHeight : sizes.nodeWidth;
  const acrossStep = acrossSize + sizes.nodeGap;
  const acrossTotal = widest * acrossSize + (widest - 1) * sizes.nodeGap;

  const placed = new Map<string, PlacedNode>();
  layers.forEach((layer, rank) => {
    const span = layer.length * acrossSize + (layer.length - 1) * sizes.nodeGap;
    const offset = (acrossTotal - span) / 2;
    layer.forEach((node, index) => {
      const along = sizes.padding + rank * alongStep;
      const across = sizes.padding + offset + index * acrossStep;
      placed.set(node.id, {
        node,
        rank,
        x: horizontal ? along : across,
        y: horizontal ? across : along,
        width: sizes.nodeWidth,
        height: sizes.nodeHeight,
      });
    });
  });

  const usable = usableEdges(graph);
  const ids = new Set(usable.map((edge) => edgeId(edge.from, edge.to)));
  const edges: PlacedEdge[] = usable.map((edge) => {
    const from = placed.get(edge.from)!;
    const to = placed.get(edge.to)!;
    const start = borderPoint(from, to.x + to.width / 2, to.y + to.height / 2);
    const end = borderPoint(to, from.x + from.width / 2, from.y + from.height / 2);
    // Unit normal on the arrow's left (screen coordinates): up for an arrow going right.
    const length = Math.hypot(end.x - start.x, end.y - start.y) || 1;
    const nx = (end.y - start.y) / length;
    const ny = -(end.x - start.x) / length;
    // A pair of opposite arrows (reads back from a bucket it was triggered by) would overlap: part them.
    const shift = ids.has(edgeId(edge.to, edge.from)) ? EDGE_PAIR_SHIFT : 0;
    const x1 = start.x + nx * shift;
    const y1 = start.y + ny * shift;
    const x2 = end.x + nx * shift;
    const y2 = end.y + ny * shift;
    const mx = (x1 + x2) / 2;
    const my = (y1 + y2) / 2;
    const labelAnchor = nx > 0.3 ? 'start' : nx < -0.3 ? 'end' : 'middle';
    // Text sits on its baseline: below the arrow it needs a line's height more.
    const baseline = ny > 0.3 ? LABEL_GAP + 8 : ny < -0.3 ? -LABEL_GAP : 4;
    const labelText = edge.label === undefined ? undefined : truncate(edge.label, horizontal ? 18 : 24);
    return {
      id: edgeId(edge.from, edge.to),
      edge,
      labelText,
      x1,
      y1,
      x2,
      y2,
      labelX: mx + nx * LABEL_GAP,
      labelY: my + (Math.abs(ny) > 0.3 ? baseline : 4),
      labelAnchor,
    };
  });

  const alongTotal = layers.length * alongStep - sizes.rankGap;
  let width = 2 * sizes.padding + (horizontal ? alongTotal : acrossTotal);
  const height = 2 * sizes.padding + (horizontal ? acrossTotal : alongTotal);
  // Labels may reach past the boxes (beside a vertical arrow): widen the drawing, shift it right if needed.
  let left = 0;
  for (const edge of edges) {
    if (edge.labelText === undefined) continue;
    const extent = edge.labelText.length * LABEL_CHAR_WIDTH;
    const from = edge.labelAnchor === 'start' ? 0 : edge.labelAnchor === 'end' ? -extent : -extent / 2;
    left = Math.min(left, edge.labelX + from - sizes.padding);
    width = Math.max(width, edge.labelX + from + extent + sizes.padding);
  }
  const dx = -left;
  return {
    orientation,
    width: width + dx,
    height,
    nodes: [...placed.values()].map((node) => ({ ...node, x: node.x + dx })),
    edges: edges.map((edge) => ({
      ...edge,
      x1: edge.x1 + dx,
      x2: edge.x2 + dx,
      labelX: edge.labelX + dx,
    })),
  };
}

/**
 * Left to right when the drawing fits `availableWidth` at no less than `minScale`, top to bottom
 * otherwise (phones).
 */
export function chooseOrientation(
  graph: FlowGraph,
  availableWidth: number,
  sizes: FlowSizes = DEFAULT_SIZES,
  minScale = 0.8,
): Orientation {
  const horizontal = layoutFlow(graph, 'horizontal', sizes);
  return horizontal.width * minScale <= availableWidth ? 'horizontal' : 'vertical';
}

/** `text` cut in the middle to `max` characters (physical names differ at both ends). */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/** `text` cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
