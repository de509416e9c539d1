// The flow diagram's compact drawing, for a column too narrow for the full one (the workspace's run
// column, a phone): boxes that carry only their label (the kind is the outline's colour; kind and
// physical name are in the box's title), arrow labels in their short form (the full one in the
// arrow's title and the step log), on a grid of two or three columns found by search so that no
// arrow crosses another or runs through a box, top to bottom as the event travels. Drawn at its
// own size (no scaling), its text stays at 12 px.
import type { FlowEdge, FlowGraph } from '../../../lib/workbench-api.ts';
import {
  type Box,
  edgeId,
  type FlowLayout,
  type PlacedNode,
  placeEdges,
  rankNodes,
  segmentHitsBox,
  segmentsCross,
  truncate,
  usableEdges,
  wrapLabel,
} from './layout.ts';

/** The width the compact drawing is made for (a 375 px phone's run tab, the run column at 1280 px). */
export const COMPACT_WIDTH = 336;
const PADDING = 6;
const NODE_HEIGHT = 42;
/** Between rows: two lines of an arrow's label and their margins. */
const ROW_GAP = 46;
/** Widest a box gets (two columns); three columns share the width. */
const MAX_NODE_WIDTH = 136;
const MIN_COLUMN_GAP = 16;
/** Average advance of a box label character (12 px semibold), for wrapping. */
const NODE_CHAR_WIDTH = 6.9;
/** Characters per line of a short arrow label. */
const EDGE_LABEL_CHARS = 14;
/** Graphs larger than this are laid out by rank (the search would take too long). */
const MAX_SEARCH_NODES = 9;

/**
 * An arrow's label in a few words: without its parenthesis, at most two lines; a list (`a · b · c`)
 * that is longer keeps its first item and says there is more.
 */
export function shortEdgeLabel(label: string): string {
  const bare = label
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (bare === '') return truncate(label, EDGE_LABEL_CHARS);
  if (wrapLabel(bare, EDGE_LABEL_CHARS).length <= 2) return bare;
  const first = bare.split(' · ')[0]!;
  return first !== bare && wrapLabel(`${first} …`, EDGE_LABEL_CHARS).length <= 2
    ? `${first} …`
    : truncate(bare, EDGE_LABEL_CHARS);
}

/** A box's label in at most two lines of `chars` characters, the second cut with an ellipsis if need be. */
export function compactNodeLines(label: string, chars: number): string[] {
  const lines = wrapLabel(label, chars).map((line) => truncate(line, chars));
  if (lines.length <= 2) return lines;
  return [lines[0]!, truncate(`${lines[1]} ${lines.slice(2).join(' ')}`, chars)];
}

interface Grid {
  readonly columns: number;
  readonly nodeWidth: number;
  readonly columnGap: number;
}

function gridFor(columns: number, width: number): Grid {
  const nodeWidth = Math.min(
    MAX_NODE_WIDTH,
    Math.floor((width - 2 * PADDING - (columns - 1) * MIN_COLUMN_GAP) / columns),
  );
  const columnGap = columns > 1 ? Math.floor((width - 2 * PADDING - columns * nodeWidth) / (columns - 1)) : 0;
  return { columns, nodeWidth, columnGap };
}

interface Candidate {
  readonly cells: ReadonlyMap<string, { column: number; row: number }>;
  readonly score: number;
}

/**
 * The arrangements of the nodes on `grid` (rows as needed) in which no arrow, drawn centre to
 * centre, crosses another or passes through a third box, and no arrow goes up (but the second of
 * a pair, which goes back by nature): the event travels down the picture. Each with a score, lower
 * is better: fewer rows, few arrows running sideways, short arrows; those worse than the best by
 * more than `slack` are not kept (nor searched further).
 */
function arrangements(graph: FlowGraph, grid: Grid, slack: number): Candidate[] {
  const ranks = rankNodes(graph);
  const order = [...graph.nodes].sort((a, b) => ranks.get(a.id)! - ranks.get(b.id)!).map((node) => node.id);
  const edges = usableEdges(graph);
  const pairs = new Set(edges.map((edge) => edgeId(edge.from, edge.to)));
  // The arrow of a pair that runs against the journey (to a node of lower rank, or the later-named one).
  const back = (edge: FlowEdge) =>
    ranks.get(edge.to)! < ranks.get(edge.from)! ||
    (pairs.has(edgeId(edge.to, edge.from)) && ranks.get(edge.to) === ranks.get(edge.from) && edge.from > edge.to);
  const rows = Math.min(order.length, Math.ceil(order.length / grid.columns) + 2);
  const pitchX = grid.nodeWidth + grid.columnGap;
  const pitchY = NODE_HEIGHT + ROW_GAP;
  const cells = new Map<string, { column: number; row: number }>();
  const boxes = new Map<string, Box>();
  const segments: { from: string; to: string; x1: number; y1: number; x2: number; y2: number }[] = [];
  const taken = new Set<string>();
  let found: Candidate[] = [];
  let best = Number.POSITIVE_INFINITY;

  const place = (index: number, cost: number, lowest: number) => {
    if (cost + lowest * 10 > best + slack) return;
    if (index === order.length) {
      const score = cost + lowest * 10;
      best = Math.min(best, score);
      found.push({ cells: new Map(cells), score });
      return;
    }
    const id = order[index]!;
    // A box goes in the row of the lowest box an arrow comes to it from, or the next (a source in
    // the first two rows): arrows stay short and the search small.
    const before = edges
      .filter((edge) => edge.to === id && !back(edge) && cells.has(edge.from))
      .map((edge) => cells.get(edge.from)!.row);
    const first = before.length > 0 ? Math.max(...before) : 0;
    for (let row = first; row <= Math.min(rows - 1, first + 1); row++) {
      // Mirror images are the same drawing: the first box goes in the left half.
      for (let column = 0; column < (index === 0 ? Math.ceil(grid.columns / 2) : grid.columns); column++) {
        const key = `${column},${row}`;
        if (taken.has(key)) continue;
        const box: Box = { x: column * pitchX, y: row * pitchY, width: grid.nodeWidth, height: NODE_HEIGHT };
        // No arrow drawn so far runs through the new box.
        if (segments.some((segment) => segmentHitsBox(segment, box))) continue;
        const added: typeof segments = [];
        let addedCost = 0;
        let ok = true;
        for (const edge of edges) {
          const other = edge.from === id ? edge.to : edge.to === id ? edge.from : undefined;
          const at = other === undefined ? undefined : cells.get(other);
          if (other === undefined || at === undefined) continue;
          const from = edge.from === id ? { column, row } : at;
          const to = edge.to === id ? { column, row } : at;
          if (!back(edge) && to.row < from.row) {
            ok = false;
            break;
          }
          if (!back(edge) && to.row === from.row) addedCost += 12;
          addedCost += Math.abs(to.row - from.row) + Math.abs(to.column - from.column);
          const segment = {
            from: edge.from,
            to: edge.to,
            x1: from.column * pitchX + grid.nodeWidth / 2,
            y1: from.row * pitchY + NODE_HEIGHT / 2,
            x2: to.column * pitchX + grid.nodeWidth / 2,
            y2: to.row * pitchY + NODE_HEIGHT / 2,
          };
          const ends = [edge.from, edge.to];
          const clear =
            [...boxes].every(([name, drawn]) => ends.includes(name) || !segmentHitsBox(segment, drawn)) &&
            [...segments, ...added].every(
              (drawn) => ends.includes(drawn.from) || ends.includes(drawn.to) || !segmentsCross(segment, drawn),
            );
          if (!clear) {
            ok = false;
            break;
          }
          added.push(segment);
        }
        if (!ok) continue;
        taken.add(key);
        cells.set(id, { column, row });
        boxes.set(id, box);
        segments.push(...added);
        place(index + 1, cost + addedCost, Math.max(lowest, row));
        segments.length -= added.length;
        boxes.delete(id);
        cells.delete(id);
        taken.delete(key);
      }
    }
  };
  place(0, 0, 0);
  found = found.filter((candidate) => candidate.score <= best + slack);
  return found.sort((a, b) => a.score - b.score);
}

function labelLines(edge: FlowEdge): string[] {
  return edge.label ? wrapLabel(shortEdgeLabel(edge.label), EDGE_LABEL_CHARS) : [];
}

/** The drawing of `cells` on `grid`. */
function draw(graph: FlowGraph, grid: Grid, cells: ReadonlyMap<string, { column: number; row: number }>): FlowLayout {
  const nodes: PlacedNode[] = graph.nodes.map((node) => {
    const cell = cells.get(node.id)!;
    return {
      node,
      rank: cell.row,
      x: cell.column * (grid.nodeWidth + grid.columnGap),
      y: cell.row * (NODE_HEIGHT + ROW_GAP),
      width: grid.nodeWidth,
      height: NODE_HEIGHT,
    };
  });
  const lines = new Map(usableEdges(graph).map((edge) => [edgeId(edge.from, edge.to), labelLines(edge)]));
  const within = grid.columns * grid.nodeWidth + (grid.columns - 1) * grid.columnGap;
  return {
    ...placeEdges(graph, nodes, lines, 'vertical', PADDING, { omitCrowded: true, within }),
    compact: true,
  };
}

/** How many labels the drawing had to leave out. */
function omitted(layout: FlowLayout): number {
  return layout.edges.filter((edge) => edge.edge.label && edge.labelLines.length === 0).length;
}

/**
 * The compact drawing of `graph` for a column `width` px wide: two columns when some arrangement
 * on two keeps every arrow clear, else three; of the best arrangements, the one that shows the
 * most labels.
 */
export function layoutCompact(graph: FlowGraph, width = COMPACT_WIDTH): FlowLayout {
  const fallback = () => {
    const grid = gridFor(Math.min(3, Math.max(1, graph.nodes.length)), width);
    const ranks = rankNodes(graph);
    const cells = new Map<string, { column: number; row: number }>();
    // Row by rank, wrapping a rank that has more boxes than columns.
    let row = 0;
    for (const rank of [...new Set(ranks.values())].sort((a, b) => a - b)) {
      const members = graph.nodes.filter((node) => ranks.get(node.id) === rank);
      members.forEach((node, index) => {
        const at = row + Math.floor(index / grid.columns);
        cells.set(node.id, { column: index % grid.columns, row: at });
      });
      row += Math.ceil(members.length / grid.columns);
    }
    return draw(graph, grid, cells);
  };
  if (graph.nodes.length === 0 || graph.nodes.length > MAX_SEARCH_NODES) return fallback();
  for (const columns of [2, 3]) {
    const grid = gridFor(columns, width);
    const found = arrangements(graph, grid, 12);
    if (found.length === 0) continue;
    const layouts = found
      .slice(0, 40)
      .map((candidate) => ({ layout: draw(graph, grid, candidate.cells), score: candidate.score }));
    layouts.sort((a, b) => omitted(a.layout) * 15 + a.score - (omitted(b.layout) * 15 + b.score));
    return layouts[0]!.layout;
  }
  return fallback();
}

/** Characters per line of a box's label in `layout` (compact boxes carry the label only). */
export function compactLabelChars(nodeWidth: number): number {
  return Math.max(6, Math.floor((nodeWidth - 6) / NODE_CHAR_WIDTH));
}
