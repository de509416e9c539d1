// The flow diagram's geometry, without the DOM: ranks (how far along the journey a node is),
// an order within each rank that keeps edges from crossing, and boxes and arrows in SVG units,
// laid out left to right on wide screens and top to bottom on narrow ones.
import { type Segment, segmentsCross } from '../../../lib/diagram-geometry.ts';
import type { FlowEdge, FlowGraph, FlowNode } from '../../../lib/workbench-api.ts';

export { segmentsCross };

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
const EDGE_PAIR_SHIFT = 8;
/** An arrow label's font size (panels.css `.wb-flow__edge-label`) and line height. */
export const LABEL_FONT_PX = 12;
export const LABEL_LINE_PX = 15;
/**
 * Width of a label's character, generously (12 px sans-serif averages ~6.7 px; a label is
 * measured long rather than short, so the space left for it is never too small).
 */
const LABEL_CHAR_WIDTH = 7.3;
/** Characters per line of an arrow's label before it wraps. */
const LABEL_MAX_CHARS = 22;
/** Space kept between a label and an arrow, a box or another label. */
const LABEL_GAP = 5;

export const DEFAULT_SIZES: FlowSizes = { nodeWidth: 184, nodeHeight: 68, rankGap: 72, nodeGap: 28, padding: 12 };

/** A rectangle in SVG units. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

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
  /** Where the label's first line's baseline starts (x as `labelAnchor` says). */
  readonly labelX: number;
  readonly labelY: number;
  readonly labelAnchor: 'start' | 'middle' | 'end';
  /** The label as drawn, wrapped into lines: never cut. */
  readonly labelLines: readonly string[];
  /** The space the label is given (estimated generously), clear of every box and other label. */
  readonly labelBox?: Box;
}

export interface FlowLayout {
  readonly orientation: Orientation;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  /** Pairs of arrows that cross (0 unless no arrangement tried avoids it). */
  readonly crossings: number;
  /** The compact drawing (compact.ts): boxes with their label only, short arrow labels. */
  readonly compact?: boolean;
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
function borderPoint(box: Box, tx: number, ty: number): { x: number; y: number } {
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

/** Splits a label into lines of at most `max` characters, at spaces (a longer word keeps its own line). */
export function wrapLabel(text: string, max = LABEL_MAX_CHARS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= max) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The estimated size of a label's lines. */
export function labelSize(lines: readonly string[]): { width: number; height: number } {
  return {
    width: Math.max(0, ...lines.map((line) => line.length)) * LABEL_CHAR_WIDTH,
    height: lines.length * LABEL_LINE_PX,
  };
}

/** Whether two boxes overlap, each grown by `margin`. */
export function boxesOverlap(a: Box, b: Box, margin = 0): boolean {
  return (
    a.x - margin < b.x + b.width &&
    b.x - margin < a.x + a.width &&
    a.y - margin < b.y + b.height &&
    b.y - margin < a.y + a.height
  );
}

/** Whether a segment passes through a box. */
export function segmentHitsBox(s: Segment, box: Box): boolean {
  const inside = (x: number, y: number) => x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height;
  if (inside(s.x1, s.y1) || inside(s.x2, s.y2)) return true;
  const { x, y, width: w, height: h } = box;
  return [
    { x1: x, y1: y, x2: x + w, y2: y },
    { x1: x + w, y1: y, x2: x + w, y2: y + h },
    { x1: x, y1: y + h, x2: x + w, y2: y + h },
    { x1: x, y1: y, x2: x, y2: y + h },
  ].some((side) => segmentsCross(s, side));
}

/** Pairs of arrows that cross, arrows sharing a box not counted. */
export function countCrossings(edges: readonly PlacedEdge[]): number {
  let count = 0;
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const a = edges[i]!;
      const b = edges[j]!;
      const shared = [a.edge.from, a.edge.to].some((id) => id === b.edge.from || id === b.edge.to);
      if (!shared && segmentsCross(a, b)) count++;
    }
  }
  return count;
}

/**
 * Layers with a sink (a box nothing leaves) moved into the rank of the two neighbouring boxes that
 * point to it, between them: when two functions both write to the same two places, the arrows
 * between two ranks must cross; with one of the places between the functions they need not.
 */
function sinkMoves(layers: FlowNode[][], edges: readonly FlowEdge[]): FlowNode[][][] {
  const moves: FlowNode[][][] = [];
  const sources = new Set(edges.map((edge) => edge.from));
  layers.forEach((layer, rank) => {
    if (rank === 0) return;
    const before = layers[rank - 1]!;
    for (const sink of layer) {
      if (sources.has(sink.id)) continue;
      const from = edges
        .filter((edge) => edge.to === sink.id)
        .map((edge) => before.findIndex((n) => n.id === edge.from));
      if (from.length !== 2 || from.some((index) => index < 0)) continue;
      const [i, j] = [Math.min(...from), Math.max(...from)];
      if (j !== i + 1) continue;
      const moved = layers.map((l) => [...l]);
      moved[rank] = layer.filter((node) => node.id !== sink.id);
      moved[rank - 1]!.splice(j, 0, sink);
      moves.push(moved.filter((l) => l.length > 0));
    }
  });
  return moves;
}

/** Boxes and arrows for `graph`. */
export function layoutFlow(graph: FlowGraph, orientation: Orientation, sizes: FlowSizes = DEFAULT_SIZES): FlowLayout {
  const layers = orderRanks(graph, rankNodes(graph));
  let best = placeLayers(graph, layers, orientation, sizes);
  if (best.crossings === 0) return best;
  for (const moved of sinkMoves(layers, usableEdges(graph))) {
    const candidate = placeLayers(graph, moved, orientation, sizes);
    const hitsBox = candidate.edges.some((edge) =>
      candidate.nodes.some(
        (node) => node.node.id !== edge.edge.from && node.node.id !== edge.edge.to && segmentHitsBox(edge, node),
      ),
    );
    if (!hitsBox && candidate.crossings < best.crossings) best = candidate;
  }
  return best;
}

/** Boxes, arrows and labels for nodes already grouped in ranks and ordered. */
function placeLayers(
  graph: FlowGraph,
  layers: readonly (readonly FlowNode[])[],
  orientation: Orientation,
  sizes: FlowSizes,
): FlowLayout {
  const horizontal = orientation === 'horizontal';
  const usable = usableEdges(graph);
  const rankOf = new Map<string, number>();
  layers.forEach((layer, rank) => {
    for (const node of layer) rankOf.set(node.id, rank);
  });
  // An arrow between two boxes of one rank runs across the journey: in a vertical drawing its label
  // wraps short, so the rank stays narrow enough for a phone.
  const wrapAt = (edge: FlowEdge) =>
    !horizontal && rankOf.get(edge.from) === rankOf.get(edge.to) ? 12 : LABEL_MAX_CHARS;
  const lines = new Map(
    usable.map((edge) => [edgeId(edge.from, edge.to), edge.label ? wrapLabel(edge.label, wrapAt(edge)) : []]),
  );
  const sizeOf = (edge: FlowEdge) => labelSize(lines.get(edgeId(edge.from, edge.to)) ?? []);

  // Along the journey: each gap between ranks wide enough for the labels of the arrows across it.
  const alongSize = horizontal ? sizes.nodeWidth : sizes.nodeHeight;
  const gaps = layers.slice(1).map((_, index) => {
    let gap = sizes.rankGap;
    for (const edge of usable) {
      const a = rankOf.get(edge.from)!;
      const b = rankOf.get(edge.to)!;
      if (Math.min(a, b) > index || Math.max(a, b) <= index) continue;
      const size = sizeOf(edge);
      gap = Math.max(gap, horizontal ? size.width + 4 * LABEL_GAP : size.height + 6 * LABEL_GAP);
    }
    return gap;
  });
  const alongStart: number[] = [];
  layers.forEach((_, rank) => {
    alongStart.push(rank === 0 ? 0 : alongStart[rank - 1]! + alongSize + gaps[rank - 1]!);
  });

  // Across: boxes of a rank side by side; two with an arrow between them further apart, for its label.
  const acrossSize = horizontal ? sizes.nodeHeight : sizes.nodeWidth;
  const linked = (a: string, b: string) =>
    usable.filter((edge) => (edge.from === a && edge.to === b) || (edge.from === b && edge.to === a));
  const acrossGap = (a: FlowNode, b: FlowNode) => {
    let gap = sizes.nodeGap;
    for (const edge of linked(a.id, b.id)) {
      const size = sizeOf(edge);
      gap = Math.max(gap, horizontal ? size.height + 6 * LABEL_GAP : size.width + 4 * LABEL_GAP, 48);
    }
    return gap;
  };
  const spans = layers.map((layer) =>
    layer.reduce((total, node, index) => total + acrossSize + (index > 0 ? acrossGap(layer[index - 1]!, node) : 0), 0),
  );
  const acrossTotal = Math.max(acrossSize, ...spans);

  const placed = new Map<string, PlacedNode>();
  layers.forEach((layer, rank) => {
    let across = (acrossTotal - spans[rank]!) / 2;
    layer.forEach((node, index) => {
      if (index > 0) across += acrossSize + acrossGap(layer[index - 1]!, node);
      const along = alongStart[rank]!;
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

  return placeEdges(graph, [...placed.values()], lines, orientation, sizes.padding);
}

/**
 * Arrows between boxes already placed, each label at the first spot along its arrow clear of every
 * box and every label placed so far (and, if it can be, of every other arrow); then the drawing
 * trimmed to its content with `padding` around. With `omitCrowded` a label with no clear spot is
 * left out of the picture (the arrow's title still carries it) instead of covering something; with
 * `within` a label must also stay between x = 0 and that width (the boxes' span).
 */
export function placeEdges(
  graph: FlowGraph,
  nodes: readonly PlacedNode[],
  lines: ReadonlyMap<string, readonly string[]>,
  orientation: Orientation,
  padding: number,
  { omitCrowded = false, within }: { omitCrowded?: boolean; within?: number } = {},
): FlowLayout {
  const usable = usableEdges(graph);
  const placed = new Map(nodes.map((node) => [node.node.id, node]));
  const ids = new Set(usable.map((edge) => edgeId(edge.from, edge.to)));
  const segments = usable.map((edge) => {
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
    return {
      edge,
      x1: start.x + nx * shift,
      y1: start.y + ny * shift,
      x2: end.x + nx * shift,
      y2: end.y + ny * shift,
      paired: shift > 0,
    };
  });

  // Labels: the first spot along the arrow that is clear of every box and every label placed so far
  // (and, if it can be, of every other arrow); above or below an arrow running across, beside one
  // running down.
  const taken: Box[] = [];
  const edges: PlacedEdge[] = segments.map((segment) => {
    const { edge } = segment;
    const labelLines = lines.get(edgeId(edge.from, edge.to)) ?? [];
    const base = {
      id: edgeId(edge.from, edge.to),
      edge,
      x1: segment.x1,
      y1: segment.y1,
      x2: segment.x2,
      y2: segment.y2,
    };
    if (labelLines.length === 0) return { ...base, labelX: 0, labelY: 0, labelAnchor: 'middle' as const, labelLines };
    const size = labelSize(labelLines);
    const steep = Math.abs(segment.y2 - segment.y1) > Math.abs(segment.x2 - segment.x1);
    // A paired arrow keeps its label on its own side (its left as it travels).
    const leftOfTravel = steep
      ? segment.y2 > segment.y1
        ? 'right'
        : 'left'
      : segment.x2 > segment.x1
        ? 'above'
        : 'below';
    const sides: ('above' | 'below' | 'left' | 'right')[] = steep
      ? segment.paired
        ? [leftOfTravel]
        : ['right', 'left']
      : segment.paired
        ? [leftOfTravel]
        : ['above', 'below'];
    let chosen: { box: Box; score: number } | undefined;
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]) {
      const px = segment.x1 + (segment.x2 - segment.x1) * t;
      const py = segment.y1 + (segment.y2 - segment.y1) * t;
      for (const side of sides) {
        const box: Box =
          side === 'above'
            ? { x: px - size.width / 2, y: py - LABEL_GAP - size.height, width: size.width, height: size.height }
            : side === 'below'
              ? { x: px - size.width / 2, y: py + LABEL_GAP, width: size.width, height: size.height }
              : side === 'right'
                ? { x: px + LABEL_GAP + 2, y: py - size.height / 2, width: size.width, height: size.height }
                : {
                    x: px - LABEL_GAP - 2 - size.width,
                    y: py - size.height / 2,
                    width: size.width,
                    height: size.height,
                  };
        const outside = within !== undefined && (box.x < 0 || box.x + box.width > within) ? 1 : 0;
        const hard =
          outside +
          nodes.filter((node) => boxesOverlap(box, node, LABEL_GAP)).length +
          taken.filter((other) => boxesOverlap(box, other, LABEL_GAP)).length;
        const soft = segments.filter((other) => segmentHitsBox(other, box)).length;
        const score = hard * 100 + soft;
        if (chosen === undefined || score < chosen.score) chosen = { box, score };
        if (score === 0) break;
      }
      if (chosen?.score === 0) break;
    }
    if (omitCrowded && chosen!.score >= 100)
      return { ...base, labelX: 0, labelY: 0, labelAnchor: 'middle' as const, labelLines: [] };
    const box = chosen!.box;
    taken.push(box);
    return {
      ...base,
      labelLines,
      labelBox: box,
      labelX: box.x + box.width / 2,
      // The first baseline: a line's height minus the descent, from the top of the box.
      labelY: box.y + LABEL_LINE_PX - 4,
      labelAnchor: 'middle' as const,
    };
  });

  // The drawing: every box and label inside it, `padding` around.
  const extents = [...nodes, ...taken];
  const left = Math.min(...extents.map((box) => box.x));
  const top = Math.min(...extents.map((box) => box.y));
  const right = Math.max(...extents.map((box) => box.x + box.width));
  const bottom = Math.max(...extents.map((box) => box.y + box.height));
  const dx = padding - left;
  const dy = padding - top;
  const shifted = edges.map((edge) => ({
    ...edge,
    x1: edge.x1 + dx,
    y1: edge.y1 + dy,
    x2: edge.x2 + dx,
    y2: edge.y2 + dy,
    labelX: edge.labelX + dx,
    labelY: edge.labelY + dy,
    ...(edge.labelBox ? { labelBox: { ...edge.labelBox, x: edge.labelBox.x + dx, y: edge.labelBox.y + dy } } : {}),
  }));
  return {
    orientation,
    width: right - left + 2 * padding,
    height: bottom - top + 2 * padding,
    nodes: nodes.map((node) => ({ ...node, x: node.x + dx, y: node.y + dy })),
    edges: shifted,
    crossings: countCrossings(shifted),
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
