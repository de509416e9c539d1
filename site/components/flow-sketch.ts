// Layout of a lesson's flow diagram (FlowSketch.astro draws it): boxes on a grid of columns and
// rows, arrows routed as straight lines or elbows, labels wrapped to fit. Pure functions, no DOM.

import type { Diagram, DiagramEdge, DiagramNode } from '../lesson-schema.ts';
import { type Segment, segmentsCross } from '../lib/diagram-geometry.ts';
import { KIND_CAPTIONS } from '../lib/diagram-vocabulary.ts';

// The diagram is drawn at its own size (one viewBox unit is one CSS pixel, never scaled down), so
// its text keeps the page's small text size (Starlight's --sl-text-body-sm, 13 px) or more.
export const NODE_WIDTH = 148;
export const NODE_HEIGHT = 64;
const COLUMN_GAP = 116;
const ROW_GAP = 84;
/**
 * The narrow drawing (a phone's column, ~343 px): narrower boxes and gaps, at most two columns
 * (shown at 343/360 of its size, its 13 px text reads at 12.4 px).
 */
export const NARROW_NODE_WIDTH = 142;
const NARROW_COLUMN_GAP = 50;
const NARROW_COLUMNS = 2;
/** Widest the narrow drawing may be: a 343 px column shows it at 0.9 or more (text ≥ 11.7 px). */
export const NARROW_MAX_WIDTH = 381;
/** How far a lesson's drawing may be scaled down to fit its column (13 px text then reads at 11.7 px). */
export const MIN_SKETCH_SCALE = 0.9;
const MARGIN = 12;
const TOP_MARGIN = 56; // room for labels above the first row's arrows
export const LINE_HEIGHT = 16;
/** Average advance of a label character at the diagram's 13 px label font, measured generously. */
const LABEL_CHAR_WIDTH = 7.6;
/** Average advance of a node-label character at its 14 px bold font, generously. */
const NODE_CHAR_WIDTH = 8.4;

export interface PlacedNode extends DiagramNode {
  readonly column: number;
  readonly row: number;
  readonly x: number;
  readonly y: number;
  readonly caption: string;
  /** The label, wrapped to the box. */
  readonly lines: readonly string[];
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: NonNullable<DiagramEdge['kind']>;
  /** SVG path data. */
  readonly path: string;
  /** Label lines and where the first one's baseline sits. */
  readonly label?: {
    readonly lines: readonly string[];
    readonly x: number;
    readonly y: number;
    readonly anchor: 'start' | 'middle' | 'end';
  };
}

export interface DiagramLayout {
  /** Width of every box. */
  readonly nodeWidth: number;
  readonly width: number;
  readonly height: number;
  /** Pairs of arrows (not sharing a box) that cross. */
  readonly crossings: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/**
 * Splits `text` into lines of at most `max` characters, at spaces; a word longer than a line is
 * split after a `:` or `/` in it (`lambda:` `InvokeFunction`), and keeps its own line otherwise;
 * with `splitNames` (the phone drawing, where a 25-character API name is wider than a column) a
 * name still too long is split between its words too (`AssumeRoleWith` `WebIdentity`).
 */
export function wrap(text: string, max: number, splitNames = false): string[] {
  const lines: string[] = [];
  let line = '';
  const pieces = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) =>
      word.length <= max
        ? [{ word, space: true }]
        : word.split(/(?<=[:/])/).flatMap((part, index) =>
            (splitNames && part.length > max ? splitName(part, max) : [part]).map((piece, at) => ({
              word: piece,
              space: index === 0 && at === 0,
            })),
          ),
    );
  for (const { word, space } of pieces) {
    const joined = line === '' ? word : `${line}${space ? ' ' : ''}${word}`;
    if (line === '' || joined.length <= max) line = joined;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `AssumeRoleWithWebIdentity` in pieces of at most `max` characters, cut between its capitalised words. */
function splitName(name: string, max: number): string[] {
  const pieces: string[] = [];
  for (const part of name.split(/(?<=[a-z0-9])(?=[A-Z])/)) {
    const last = pieces.length - 1;
    if (last >= 0 && (pieces[last] as string).length + part.length <= max) pieces[last] += part;
    else pieces.push(part);
  }
  return pieces;
}

/**
 * Columns for the nodes without one: one right of the node a flow (or failure) edge first reaches
 * them from, breadth first from the nodes nothing flows into and the nodes with a fixed column.
 * Permission edges do not push a node to the right; an edge back to a placed node changes nothing.
 */
function assignColumns(diagram: Diagram): Map<string, number> {
  const columns = new Map<string, number>();
  const layering = diagram.edges.filter((edge) => (edge.kind ?? 'flow') !== 'permission');
  const reached = new Set(layering.map((edge) => edge.to));
  const queue: string[] = [];
  const spread = () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const column = columns.get(next) ?? 0;
      for (const edge of layering) {
        if (edge.from !== next || columns.has(edge.to)) continue;
        columns.set(edge.to, Math.min(6, column + 1));
        queue.push(edge.to);
      }
    }
  };
  for (const node of diagram.nodes) {
    if (node.column !== undefined) columns.set(node.id, node.column);
    else if (!reached.has(node.id)) columns.set(node.id, 0);
    else continue;
    queue.push(node.id);
  }
  spread();
  // Nodes only reachable through a cycle (a request and its response): start from the first one.
  for (const node of diagram.nodes) {
    if (columns.has(node.id)) continue;
    columns.set(node.id, 0);
    queue.push(node.id);
    spread();
  }
  return columns;
}

/**
 * Places the nodes of `diagram` and routes its edges. `transposed` swaps columns and rows: the
 * same diagram top to bottom, for a column too narrow for it left to right.
 */
export function layoutDiagram(diagram: Diagram, { transposed = false } = {}): DiagramLayout {
  return shifted(diagram, transposed, WIDE, new Map());
}

interface Sizes {
  readonly nodeWidth: number;
  readonly columnGap: number;
  /** Whether labels split long API names between their words (see `wrap`). */
  readonly splitNames: boolean;
}
const WIDE: Sizes = { nodeWidth: NODE_WIDTH, columnGap: COLUMN_GAP, splitNames: false };
const NARROW: Sizes = { nodeWidth: NARROW_NODE_WIDTH, columnGap: NARROW_COLUMN_GAP, splitNames: true };
type Cells = ReadonlyMap<string, { column: number; row: number }>;

/**
 * The top-to-bottom drawing with narrower boxes and gaps for a phone's column, in two columns: a
 * box of a third column moves to a free cell of the first two, and a box whose arrows' labels
 * cover something (or reach past `NARROW_MAX_WIDTH`) moves to the free cell that leaves the
 * fewest such problems, never making an arrow cross another. A box the diagram's `narrow` places
 * stays where it says.
 */
export function layoutNarrow(diagram: Diagram): DiagramLayout {
  // The lesson's own placement, kept as given; the search moves only the other boxes.
  const fixed = Object.entries(diagram.narrow ?? {}).map(([id, [column, row]]) => [id, { column, row }] as const);
  const moves = new Map<string, { column: number; row: number }>(fixed);
  const cost = (layout: DiagramLayout) =>
    layout.crossings * 1000 +
    Math.max(0, ...layout.nodes.map((node) => node.column - (NARROW_COLUMNS - 1))) * 100 +
    layoutProblems(layout).length * 10 +
    (layout.width > NARROW_MAX_WIDTH ? 500 : 0);
  let layout = shifted(diagram, true, NARROW, moves);
  let current = cost(layout);
  for (let round = 0; round < 2 * diagram.nodes.length && current > 0; round++) {
    const rows = Math.max(...layout.nodes.map((node) => node.row)) + 2;
    let best: { layout: DiagramLayout; cost: number; id: string; cell: { column: number; row: number } } | undefined;
    for (const node of layout.nodes) {
      if (diagram.narrow?.[node.id]) continue;
      const taken = new Set(layout.nodes.map((other) => `${other.column},${other.row}`));
      for (let row = 0; row < rows; row++) {
        for (let column = 0; column < NARROW_COLUMNS; column++) {
          if (taken.has(`${column},${row}`)) continue;
          const trial = shifted(diagram, true, NARROW, new Map(moves).set(node.id, { column, row }));
          const value = cost(trial);
          if (value < (best?.cost ?? current))
            best = { layout: trial, cost: value, id: node.id, cell: { column, row } };
        }
      }
    }
    if (!best) break;
    moves.set(best.id, best.cell);
    layout = best.layout;
    current = best.cost;
  }
  return layout;
}

function shifted(diagram: Diagram, transposed: boolean, sizes: Sizes, moves: Cells): DiagramLayout {
  const first = placeDiagram(diagram, transposed, 0, sizes, moves);
  // A label left of the first column's arrow (one of a pair) reaches past the margin: move everything right.
  const left = Math.min(
    MARGIN,
    ...first.edges.map((edge) => {
      if (!edge.label || edge.label.anchor === 'start') return MARGIN;
      const extent = Math.max(...edge.label.lines.map((line) => line.length)) * LABEL_CHAR_WIDTH;
      return edge.label.x - (edge.label.anchor === 'end' ? extent : extent / 2);
    }),
  );
  return left < MARGIN ? placeDiagram(diagram, transposed, Math.ceil(MARGIN - left), sizes, moves) : first;
}

function placeDiagram(
  diagram: Diagram,
  transposed: boolean,
  offsetX: number,
  sizes: Sizes,
  moves: Cells,
): DiagramLayout {
  const { nodeWidth, columnGap } = sizes;
  const columns = assignColumns(diagram);
  const taken = new Set(
    diagram.nodes.filter((node) => node.row !== undefined).map((node) => `${columns.get(node.id)},${node.row}`),
  );
  const nodes = new Map<string, PlacedNode>();
  for (const node of diagram.nodes) {
    let column = columns.get(node.id) ?? 0;
    let row = node.row;
    if (row === undefined) {
      row = 0;
      while (taken.has(`${column},${row}`)) row++;
      taken.add(`${column},${row}`);
    }
    if (transposed) [column, row] = [row, column];
    const moved = moves.get(node.id);
    if (moved) ({ column, row } = moved);
    nodes.set(node.id, {
      ...node,
      column,
      row,
      x: MARGIN + offsetX + column * (nodeWidth + columnGap),
      y: TOP_MARGIN + row * (NODE_HEIGHT + ROW_GAP),
      caption: node.caption ?? KIND_CAPTIONS[node.kind],
      lines: wrap(node.label, Math.floor((nodeWidth - 12) / NODE_CHAR_WIDTH)).slice(0, 2),
    });
  }
  const pairs = new Set(diagram.edges.map((edge) => `${edge.from}>${edge.to}`));
  const routed = diagram.edges.map((edge) => {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from || !to) throw new Error(`edge ${edge.from} → ${edge.to} names a node the diagram does not have`);
    return routeEdge(edge, from, to, pairs.has(`${edge.to}>${edge.from}`), sizes);
  });
  const placed = [...nodes.values()];
  const edges = placeLabels(routed, placed, nodeWidth);
  // Wide enough for the boxes and for every label (a label beside the last column's arrow reaches past it).
  const labelRight = edges.map((edge) => {
    if (!edge.label) return 0;
    const extent = Math.max(...edge.label.lines.map((line) => line.length)) * LABEL_CHAR_WIDTH;
    return edge.label.x + (edge.label.anchor === 'start' ? extent : edge.label.anchor === 'middle' ? extent / 2 : 0);
  });
  const width = Math.ceil(Math.max(...placed.map((node) => node.x + nodeWidth), ...labelRight) + MARGIN);
  const height = Math.max(...placed.map((node) => node.y + NODE_HEIGHT)) + MARGIN + LINE_HEIGHT;
  return { nodeWidth, width, height, nodes: placed, edges, crossings: countCrossings(edges) };
}

type EdgeLabel = NonNullable<PlacedEdge['label']>;

/** Where a label's lines would be drawn, estimated generously. */
function labelBox(label: EdgeLabel): { left: number; right: number; top: number; bottom: number } {
  const width = Math.max(...label.lines.map((line) => line.length)) * LABEL_CHAR_WIDTH;
  const left = label.anchor === 'start' ? label.x : label.anchor === 'end' ? label.x - width : label.x - width / 2;
  const top = label.y - 13;
  return { left, right: left + width, top, bottom: top + label.lines.length * LINE_HEIGHT };
}

/**
 * Each label where it goes by default, or on the other side of its arrow when that spot covers a
 * label placed before it or a box.
 */
function placeLabels(
  routed: readonly (PlacedEdge & { readonly alternatives?: readonly EdgeLabel[] })[],
  nodes: readonly PlacedNode[],
  nodeWidth: number,
): PlacedEdge[] {
  const taken: ReturnType<typeof labelBox>[] = [];
  const boxes = nodes.map((node) => ({
    left: node.x,
    right: node.x + nodeWidth,
    top: node.y,
    bottom: node.y + NODE_HEIGHT,
  }));
  const clashes = (box: ReturnType<typeof labelBox>) =>
    [...taken, ...boxes].some(
      (other) => box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom,
    );
  return routed.map(({ alternatives = [], ...edge }) => {
    if (!edge.label) return edge;
    const label = [edge.label, ...alternatives].find((candidate) => !clashes(labelBox(candidate))) ?? edge.label;
    taken.push(labelBox(label));
    return { ...edge, label };
  });
}

function routeEdge(
  edge: DiagramEdge,
  from: PlacedNode,
  to: PlacedNode,
  hasReverse: boolean,
  { nodeWidth: NODE_WIDTH, columnGap: COLUMN_GAP, splitNames }: Sizes,
): PlacedEdge & { readonly alternatives?: readonly EdgeLabel[] } {
  const kind = edge.kind ?? 'flow';
  const ends = { from: edge.from, to: edge.to, kind };
  const fromCenterX = from.x + NODE_WIDTH / 2;
  const fromCenterY = from.y + NODE_HEIGHT / 2;
  const toCenterY = to.y + NODE_HEIGHT / 2;
  // Two edges between the same nodes, one each way: the one going right (or down) runs above
  // (or left of) the centre line, the other below (or right of) it.
  const forward = to.column > from.column || (to.column === from.column && to.row > from.row);
  const offset = hasReverse ? (forward ? -9 : 9) : 0;
  const gapSpan = (count: number) => count * (NODE_WIDTH + COLUMN_GAP) - NODE_WIDTH - 8;

  if (from.column === to.column) {
    // Vertical: label to the right of the line, in the gap between the rows.
    const x = fromCenterX + offset;
    const down = to.row > from.row;
    const y1 = down ? from.y + NODE_HEIGHT : from.y;
    const y2 = down ? to.y : to.y + NODE_HEIGHT;
    const lines = edge.label
      ? wrap(edge.label, Math.min(16, Math.floor((COLUMN_GAP + NODE_WIDTH / 2 - 40) / LABEL_CHAR_WIDTH)), splitNames)
      : [];
    const middle = (y1 + y2) / 2;
    // The left line of a pair gets its label on the left; a single line's label goes left when
    // the right is taken.
    const left = offset < 0;
    const y = middle - ((lines.length - 1) * LINE_HEIGHT) / 2 + 4;
    const leftLabel = { lines, x: x - 6, y, anchor: 'end' } as const;
    const rightLabel = { lines, x: x + 6, y, anchor: 'start' } as const;
    return {
      ...ends,
      path: `M${x},${y1} V${y2}`,
      ...(lines.length > 0
        ? { label: left ? leftLabel : rightLabel, alternatives: offset === 0 ? [leftLabel] : [] }
        : {}),
    };
  }

  const right = to.column > from.column;
  const x1 = right ? from.x + NODE_WIDTH : from.x;
  const x2 = right ? to.x : to.x + NODE_WIDTH;
  if (from.row === to.row) {
    // Horizontal: label centred above the line (below it for the second of a pair).
    const y = fromCenterY + offset;
    const span = gapSpan(Math.abs(to.column - from.column));
    const lines = edge.label ? wrap(edge.label, Math.max(8, Math.floor(span / LABEL_CHAR_WIDTH)), splitNames) : [];
    const below = offset > 0;
    const x = (x1 + x2) / 2;
    const belowLabel = { lines, x, y: y + 16, anchor: 'middle' } as const;
    const aboveLabel = { lines, x, y: y - 7 - (lines.length - 1) * LINE_HEIGHT, anchor: 'middle' } as const;
    return {
      ...ends,
      path: `M${x1},${y} H${x2}`,
      ...(lines.length > 0
        ? { label: below ? belowLabel : aboveLabel, alternatives: offset === 0 ? [belowLabel] : [] }
        : {}),
    };
  }

  // Elbow: out of the side, along the gap next to the source, into the target's side.
  const gapX = right ? from.x + NODE_WIDTH + COLUMN_GAP / 2 : from.x - COLUMN_GAP / 2;
  const y1 = fromCenterY + offset;
  const y2 = toCenterY + offset;
  const lines = edge.label
    ? wrap(edge.label, Math.floor((COLUMN_GAP / 2 + NODE_WIDTH / 2) / LABEL_CHAR_WIDTH), splitNames)
    : [];
  const middle = (y1 + y2) / 2;
  // The second of a pair of elbows keeps its label on the other side of the shared gap.
  const labelY = middle - ((lines.length - 1) * LINE_HEIGHT) / 2 + 4;
  return {
    ...ends,
    path: `M${x1},${y1} H${gapX} V${y2} H${x2}`,
    ...(lines.length > 0
      ? {
          label:
            offset > 0
              ? { lines, x: gapX - 6, y: labelY, anchor: 'end' }
              : { lines, x: gapX + 6, y: labelY, anchor: 'start' },
        }
      : {}),
  };
}

/**
 * What is wrong with a drawing, in words: a label on a box or on another label, an arrow through
 * a box it does not join (labels measured generously, as placed).
 */
export function layoutProblems(layout: DiagramLayout): string[] {
  const problems: string[] = [];
  const boxes = layout.nodes.map((node) => ({
    id: node.id,
    left: node.x,
    right: node.x + layout.nodeWidth,
    top: node.y,
    bottom: node.y + NODE_HEIGHT,
  }));
  const overlap = (a: ReturnType<typeof labelBox>, b: ReturnType<typeof labelBox>) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const labels = layout.edges.flatMap((edge) => (edge.label ? [{ edge, box: labelBox(edge.label) }] : []));
  labels.forEach(({ edge, box }, index) => {
    const name = `${edge.from}→${edge.to}`;
    for (const node of boxes) if (overlap(box, node)) problems.push(`the label of ${name} lies on ${node.id}`);
    for (const other of labels.slice(index + 1)) {
      if (overlap(box, other.box)) problems.push(`the label of ${name} covers ${other.edge.from}→${other.edge.to}'s`);
    }
  });
  // Two arrows along the same line read as one: collinear pieces of different arrows that share
  // more than an end point.
  layout.edges.forEach((edge, index) => {
    for (const other of layout.edges.slice(index + 1)) {
      const shareBox = [edge.from, edge.to].some((id) => id === other.from || id === other.to);
      const shared = pathSegments(edge.path).some((s) =>
        pathSegments(other.path).some((t) => collinearOverlap(s, t, shareBox)),
      );
      if (shared)
        problems.push(`the arrows ${edge.from}→${edge.to} and ${other.from}→${other.to} run along the same line`);
    }
  });
  // A label on another arrow's line.
  for (const { edge, box } of labels) {
    for (const other of layout.edges) {
      if (other === edge) continue;
      if (pathSegments(other.path).some((segment) => segmentTouchesBox(segment, box)))
        problems.push(`the label of ${edge.from}→${edge.to} lies on the arrow ${other.from}→${other.to}`);
    }
  }
  for (const edge of layout.edges) {
    for (const segment of pathSegments(edge.path)) {
      for (const node of boxes) {
        if (node.id === edge.from || node.id === edge.to) continue;
        const inside = (x: number, y: number) => x > node.left && x < node.right && y > node.top && y < node.bottom;
        const sides: Segment[] = [
          { x1: node.left, y1: node.top, x2: node.right, y2: node.top },
          { x1: node.right, y1: node.top, x2: node.right, y2: node.bottom },
          { x1: node.left, y1: node.bottom, x2: node.right, y2: node.bottom },
          { x1: node.left, y1: node.top, x2: node.left, y2: node.bottom },
        ];
        const hits =
          inside(segment.x1, segment.y1) ||
          inside(segment.x2, segment.y2) ||
          inside((segment.x1 + segment.x2) / 2, (segment.y1 + segment.y2) / 2) ||
          sides.some((side) => segmentsCross(segment, side));
        if (hits) problems.push(`the arrow ${edge.from}→${edge.to} runs through ${node.id}`);
      }
    }
  }
  return problems;
}

/**
 * Whether two horizontal (or two vertical) pieces read as one line: less than `NEAR` apart and
 * overlapping or end to end; pieces of two arrows of one box may share a point (where they leave it).
 */
function collinearOverlap(a: Segment, b: Segment, shareBox: boolean): boolean {
  const NEAR = 4;
  const horizontal = (s: Segment) => s.y1 === s.y2;
  const vertical = (s: Segment) => s.x1 === s.x2;
  // Length shared by two ranges (negative: the gap between them).
  const overlap = (a1: number, a2: number, b1: number, b2: number) =>
    Math.min(Math.max(a1, a2), Math.max(b1, b2)) - Math.max(Math.min(a1, a2), Math.min(b1, b2));
  // Arrows of one box may meet at its side; arrows of different boxes may not even touch.
  const reads = (shared: number, apart: number) => (apart < 1 && shareBox ? shared > 1 : shared > -NEAR);
  if (horizontal(a) && horizontal(b) && Math.abs(a.y1 - b.y1) < NEAR)
    return reads(overlap(a.x1, a.x2, b.x1, b.x2), Math.abs(a.y1 - b.y1));
  if (vertical(a) && vertical(b) && Math.abs(a.x1 - b.x1) < NEAR)
    return reads(overlap(a.y1, a.y2, b.y1, b.y2), Math.abs(a.x1 - b.x1));
  return false;
}

/** Whether an axis-parallel piece of arrow passes through a label's box. */
function segmentTouchesBox(s: Segment, box: ReturnType<typeof labelBox>): boolean {
  const [left, right] = [Math.min(s.x1, s.x2), Math.max(s.x1, s.x2)];
  const [top, bottom] = [Math.min(s.y1, s.y2), Math.max(s.y1, s.y2)];
  return left < box.right && right > box.left && top < box.bottom && bottom > box.top;
}

/** The straight pieces of an arrow's path (`M x,y H x V y …`). */
export function pathSegments(path: string): Segment[] {
  const segments: Segment[] = [];
  let x = 0;
  let y = 0;
  for (const [, command, args] of path.matchAll(/([MHVL])([^MHVL]*)/g)) {
    const values = (args ?? '').split(/[ ,]+/).filter(Boolean).map(Number);
    const [x1, y1] = [x, y];
    if (command === 'M' || command === 'L') [x = x, y = y] = values;
    else if (command === 'H') x = values[0] ?? x;
    else if (command === 'V') y = values[0] ?? y;
    if (command !== 'M') segments.push({ x1, y1, x2: x, y2: y });
  }
  return segments;
}

/** Pairs of arrows that cross, arrows sharing a box not counted. */
export function countCrossings(edges: readonly PlacedEdge[]): number {
  let count = 0;
  edges.forEach((a, i) => {
    for (const b of edges.slice(i + 1)) {
      if ([a.from, a.to].some((id) => id === b.from || id === b.to)) continue;
      const crossing = pathSegments(a.path).some((s) => pathSegments(b.path).some((t) => segmentsCross(s, t)));
      if (crossing) count++;
    }
  });
  return count;
}

/** The diagram as sentences, for the SVG's accessible description. */
export function describeDiagram(diagram: Diagram): string {
  const labels = new Map(diagram.nodes.map((node) => [node.id, node.label]));
  const verbs: Record<NonNullable<DiagramEdge['kind']>, string> = {
    flow: 'to',
    permission: 'grants permissions to',
    failure: 'sends failures to',
  };
  const sentences = diagram.edges.map((edge) => {
    const kind = edge.kind ?? 'flow';
    const what = edge.label ? `: ${edge.label}` : '';
    return `${labels.get(edge.from)} ${verbs[kind]} ${labels.get(edge.to)}${what}.`;
  });
  return [diagram.summary, ...sentences].join(' ');
}
