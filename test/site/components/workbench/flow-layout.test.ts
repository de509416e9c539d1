import { describe, expect, it } from 'vitest';
import {
  COMPACT_WIDTH,
  compactLabelChars,
  compactNodeLines,
  layoutCompact,
  shortEdgeLabel,
} from '../../../../site/components/workbench/flow/compact.ts';
import {
  boxesOverlap,
  chooseOrientation,
  countCrossings,
  DEFAULT_SIZES,
  edgeId,
  type FlowLayout,
  layoutFlow,
  rankNodes,
  segmentHitsBox,
  segmentsCross,
  truncate,
  truncateMiddle,
  wrapLabel,
} from '../../../../site/components/workbench/flow/layout.ts';
import type { FlowGraph } from '../../../../site/lib/workbench-api.ts';

// The shapes site/server/flow.ts draws from the synthesized templates (ids shortened).
const MOBILE_CLICKS: FlowGraph = {
  nodes: [
    { id: 'client', kind: 'client', label: 'Mobile app' },
    { id: 'Clicks', kind: 'table', label: 'Clicks table' },
    { id: 'Fn', kind: 'function', label: 'Clicks function' },
    { id: 'Pool', kind: 'identity-pool', label: 'Identity pool' },
    { id: 'Auth', kind: 'role', label: 'Authenticated role' },
    { id: 'Unauth', kind: 'role', label: 'Unauthenticated role' },
  ],
  edges: [
    { from: 'Pool', to: 'Auth', label: 'assumes (authenticated)' },
    { from: 'Pool', to: 'Unauth', label: 'assumes (unauthenticated)' },
    { from: 'client', to: 'Pool', label: 'GetId · GetOpenIdToken' },
    { from: 'Fn', to: 'Clicks', label: 'writes' },
    { from: 'client', to: 'Fn', label: 'Invoke (RequestResponse)' },
  ],
};

const WEB_BACKEND: FlowGraph = {
  nodes: [
    { id: 'client', kind: 'client', label: 'Client' },
    { id: 'Items', kind: 'table', label: 'Items table' },
    { id: 'Fn', kind: 'function', label: 'API function' },
    { id: 'Api', kind: 'api', label: 'HTTP API' },
  ],
  edges: [
    { from: 'client', to: 'Api', label: 'HTTP request' },
    { from: 'Api', to: 'Fn', label: 'GET / · GET /items · GET /items/{id} · POST /items' },
    { from: 'Fn', to: 'Items', label: 'reads, writes' },
  ],
};

const THUMBNAILS: FlowGraph = {
  nodes: [
    { id: 'client', kind: 'client', label: 'Client' },
    { id: 'Photos', kind: 'bucket', label: 'Photos bucket', resourceName: 'lambdaworkbook-thumbnails-photos-1a2b' },
    { id: 'Thumbs', kind: 'bucket', label: 'Thumbnails bucket' },
    { id: 'Fn', kind: 'function', label: 'Thumbnail function' },
  ],
  edges: [
    { from: 'Photos', to: 'Fn', label: 'ObjectCreated (.jpg, .jpeg, .png)' },
    { from: 'client', to: 'Photos', label: 'PutObject' },
    { from: 'Fn', to: 'Photos', label: 'reads' },
    { from: 'Fn', to: 'Thumbs', label: 'writes' },
  ],
};

const STREAM_METRICS: FlowGraph = {
  nodes: [
    { id: 'client', kind: 'client', label: 'Client' },
    { id: 'Orders', kind: 'table', label: 'Orders table' },
    { id: 'Metrics', kind: 'table', label: 'Metrics table' },
    { id: 'Failures', kind: 'bucket', label: 'Failures bucket' },
    { id: 'MetricsFn', kind: 'function', label: 'Metrics function' },
    { id: 'Clicks', kind: 'stream', label: 'Click stream' },
    { id: 'ClickFn', kind: 'function', label: 'Click metrics function' },
  ],
  edges: [
    { from: 'Orders', to: 'MetricsFn', label: 'stream · polls (batch ≤ 10)' },
    { from: 'client', to: 'Orders', label: 'PutItem · DeleteItem' },
    { from: 'MetricsFn', to: 'Failures', label: 'on-failure records' },
    { from: 'Clicks', to: 'ClickFn', label: 'polls (batch ≤ 100)' },
    { from: 'client', to: 'Clicks', label: 'PutRecord' },
    { from: 'ClickFn', to: 'Failures', label: 'on-failure records' },
    { from: 'MetricsFn', to: 'Metrics', label: 'writes' },
    { from: 'ClickFn', to: 'Metrics', label: 'writes' },
  ],
};

const rank = (graph: FlowGraph) => Object.fromEntries(rankNodes(graph));

function overlaps(layout: FlowLayout): boolean {
  return layout.nodes.some((a, i) =>
    layout.nodes.some(
      (b, j) => i < j && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height,
    ),
  );
}

function inside(layout: FlowLayout): boolean {
  return layout.nodes.every(
    (n) => n.x >= 0 && n.y >= 0 && n.x + n.width <= layout.width && n.y + n.height <= layout.height,
  );
}

describe('flow diagram layout', () => {
  it('ranks nodes along the journey, ignoring the edge that closes a cycle', () => {
    // Fn reads the bucket that triggered it: Photos → Fn → Photos must not push Photos after Fn.
    expect(rank(THUMBNAILS)).toEqual({ client: 0, Photos: 1, Fn: 2, Thumbs: 3 });
    expect(rank(STREAM_METRICS)).toMatchObject({ client: 0, Orders: 1, Clicks: 1, MetricsFn: 2, ClickFn: 2 });
    expect(rank(STREAM_METRICS).Metrics).toBe(3);
    expect(rank(STREAM_METRICS).Failures).toBe(3);
  });

  it('survives a graph that is all cycle, unknown nodes in edges and duplicate edges', () => {
    const graph: FlowGraph = {
      nodes: [
        { id: 'a', kind: 'function', label: 'A' },
        { id: 'b', kind: 'function', label: 'B' },
      ],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'a', to: 'ghost' },
        { from: 'a', to: 'a' },
      ],
    };
    expect(rank(graph)).toEqual({ a: 0, b: 1 });
    expect(layoutFlow(graph, 'horizontal').edges.map((e) => e.id)).toEqual(['a>b', 'b>a']);
  });

  it.each(['horizontal', 'vertical'] as const)(
    'places boxes without overlap inside the drawing (%s)',
    (orientation) => {
      for (const graph of [THUMBNAILS, STREAM_METRICS]) {
        const layout = layoutFlow(graph, orientation);
        expect(layout.nodes).toHaveLength(graph.nodes.length);
        expect(overlaps(layout)).toBe(false);
        expect(inside(layout)).toBe(true);
        // Each rank is one column (horizontal) or one row (vertical).
        const along = (n: (typeof layout.nodes)[number]) => (orientation === 'horizontal' ? n.x : n.y);
        for (const a of layout.nodes)
          for (const b of layout.nodes) expect(a.rank === b.rank).toBe(along(a) === along(b));
      }
    },
  );

  it('starts and ends arrows on the borders of their boxes, in the journey direction', () => {
    const layout = layoutFlow(THUMBNAILS, 'horizontal');
    const edge = layout.edges.find((e) => e.id === edgeId('client', 'Photos'))!;
    const client = layout.nodes.find((n) => n.node.id === 'client')!;
    const photos = layout.nodes.find((n) => n.node.id === 'Photos')!;
    expect(edge.x1).toBeCloseTo(client.x + client.width);
    expect(edge.x2).toBeCloseTo(photos.x);
    expect(edge.y1).toBeCloseTo(client.y + client.height / 2);
    expect(edge.labelAnchor).toBe('middle');
    expect(edge.labelY).toBeLessThan(edge.y1);
  });

  it('draws a pair of opposite arrows apart, labels on either side', () => {
    const layout = layoutFlow(THUMBNAILS, 'horizontal');
    const forward = layout.edges.find((e) => e.id === 'Photos>Fn')!;
    const back = layout.edges.find((e) => e.id === 'Fn>Photos')!;
    expect(Math.abs(forward.y1 - back.y1)).toBeGreaterThanOrEqual(10);
    expect(forward.labelBox!.y + forward.labelBox!.height).toBeLessThan(forward.y1);
    expect(back.labelBox!.y).toBeGreaterThan(back.y1);
    // Labels are wrapped, never cut (a cut one read "ObjectCreated (.j…").
    expect(forward.labelLines.join(' ')).toBe('ObjectCreated (.jpg, .jpeg, .png)');
  });

  const ALL = { THUMBNAILS, STREAM_METRICS, MOBILE_CLICKS, WEB_BACKEND };
  it.each(
    Object.entries(ALL).flatMap(([name, graph]) =>
      (['horizontal', 'vertical'] as const).map((orientation) => ({ name, graph, orientation })),
    ),
  )(
    '$name ($orientation): every label whole, clear of boxes and of the other labels, inside the drawing',
    ({ graph, orientation }) => {
      const layout = layoutFlow(graph, orientation);
      const labels = layout.edges.filter((edge) => edge.labelBox);
      expect(labels).toHaveLength(graph.edges.filter((edge) => edge.label).length);
      for (const edge of labels) {
        expect(edge.labelLines.join(' ')).toBe(edge.edge.label);
        const box = edge.labelBox!;
        for (const node of layout.nodes) expect(boxesOverlap(box, node), `${edge.id} on ${node.node.id}`).toBe(false);
        for (const other of labels) {
          if (other !== edge) expect(boxesOverlap(box, other.labelBox!), `${edge.id} on ${other.id}`).toBe(false);
        }
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(layout.width);
        expect(box.y + box.height).toBeLessThanOrEqual(layout.height);
      }
    },
  );

  it.each(['horizontal', 'vertical'] as const)(
    'stream-metrics (%s): no two arrows cross (a place both functions write to sits between them)',
    (orientation) => {
      const layout = layoutFlow(STREAM_METRICS, orientation);
      expect(layout.crossings).toBe(0);
      expect(countCrossings(layout.edges)).toBe(0);
      // Both functions write to the metrics table and the failures bucket: one of them sits between the two.
      const fns = layout.nodes.filter((n) => n.node.kind === 'function');
      const between = layout.nodes.filter(
        (n) => ['Metrics', 'Failures'].includes(n.node.id) && n.rank === fns[0]!.rank,
      );
      expect(fns[1]!.rank).toBe(fns[0]!.rank);
      expect(between).toHaveLength(1);
      for (const graph of Object.values(ALL)) expect(layoutFlow(graph, orientation).crossings).toBe(0);
    },
  );

  it('counts crossing arrows geometrically', () => {
    expect(segmentsCross({ x1: 0, y1: 0, x2: 10, y2: 10 }, { x1: 0, y1: 10, x2: 10, y2: 0 })).toBe(true);
    expect(segmentsCross({ x1: 0, y1: 0, x2: 10, y2: 0 }, { x1: 0, y1: 5, x2: 10, y2: 5 })).toBe(false);
    // Ends that touch are no crossing.
    expect(segmentsCross({ x1: 0, y1: 0, x2: 10, y2: 0 }, { x1: 10, y1: 0, x2: 10, y2: 10 })).toBe(false);
  });

  it('wraps labels at spaces', () => {
    expect(wrapLabel('GET / · GET /items · GET /items/{id} · POST /items', 22)).toEqual([
      'GET / · GET /items ·',
      'GET /items/{id} · POST',
      '/items',
    ]);
    expect(wrapLabel('reads', 22)).toEqual(['reads']);
  });

  it('goes left to right on a desktop and top to bottom on a 375 px phone', () => {
    expect(chooseOrientation(THUMBNAILS, 1000)).toBe('horizontal');
    expect(chooseOrientation(THUMBNAILS, 343)).toBe('vertical');
    expect(chooseOrientation(STREAM_METRICS, 343)).toBe('vertical');
    // On the phone the vertical drawing is scaled down by no more than about half.
    const phone = layoutFlow(STREAM_METRICS, 'vertical');
    expect(343 / phone.width).toBeGreaterThan(0.45);
    const single = layoutFlow(THUMBNAILS, 'vertical');
    expect(343 / single.width).toBeGreaterThan(0.9);
    expect(single.height).toBeGreaterThan(single.width);
  });

  it('sizes the drawing from the node sizes', () => {
    const sizes = { ...DEFAULT_SIZES, nodeWidth: 100, rankGap: 50, padding: 0 };
    const layout = layoutFlow({ nodes: THUMBNAILS.nodes, edges: [] }, 'horizontal', sizes);
    expect(layout.width).toBe(100);
    expect(layout.height).toBe(4 * sizes.nodeHeight + 3 * sizes.nodeGap);
  });

  it('widens the gap between ranks for the labels of the arrows across it', () => {
    const layout = layoutFlow(WEB_BACKEND, 'horizontal');
    const api = layout.nodes.find((n) => n.node.id === 'Api')!;
    const fn = layout.nodes.find((n) => n.node.id === 'Fn')!;
    const label = layout.edges.find((e) => e.id === 'Api>Fn')!.labelBox!;
    expect(fn.x - (api.x + api.width)).toBeGreaterThan(label.width);
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('Thumbnail function', 40)).toBe('Thumbnail function');
    expect(truncate('Thumbnail function', 10)).toBe('Thumbnail…');
    expect(truncate('Thumbnail function', 10)).toHaveLength(10);
    const name = 'lambdaworkbook-thumbnail-thumbnailsphotosbucket3f-mmp33c3i3ko2k';
    expect(truncateMiddle(name, 26)).toBe('lambdaworkboo…mp33c3i3ko2k');
    expect(truncateMiddle(name, 26)).toHaveLength(26);
    expect(truncateMiddle('short', 26)).toBe('short');
  });
});

describe('the compact drawing (run column, phone)', () => {
  const ALL = { THUMBNAILS, STREAM_METRICS, MOBILE_CLICKS, WEB_BACKEND };
  const rects = (layout: FlowLayout) => layout.nodes.map((node) => ({ id: node.node.id, box: node }));

  it.each(Object.entries(ALL))('%s fits the narrow column at its own size, nothing overlapping', (_, graph) => {
    const layout = layoutCompact(graph);
    expect(layout.compact).toBe(true);
    // At its own size in a 336 px column: its 12 px text is never scaled down.
    expect(layout.width).toBeLessThanOrEqual(COMPACT_WIDTH);
    expect(overlaps(layout)).toBe(false);
    expect(inside(layout)).toBe(true);
    expect(layout.crossings).toBe(0);
    expect(countCrossings(layout.edges)).toBe(0);
    for (const edge of layout.edges) {
      // No arrow runs through a box it does not join.
      for (const { id, box } of rects(layout)) {
        if (id === edge.edge.from || id === edge.edge.to) continue;
        expect(segmentHitsBox(edge, box), `${edge.id} through ${id}`).toBe(false);
      }
      if (!edge.labelBox) continue;
      for (const { id, box } of rects(layout))
        expect(boxesOverlap(edge.labelBox, box), `${edge.id} on ${id}`).toBe(false);
      for (const other of layout.edges) {
        if (other !== edge && other.labelBox)
          expect(boxesOverlap(edge.labelBox, other.labelBox), `${edge.id} on ${other.id}`).toBe(false);
      }
      expect(edge.labelBox.x).toBeGreaterThanOrEqual(0);
      expect(edge.labelBox.x + edge.labelBox.width).toBeLessThanOrEqual(layout.width);
      // Its words are the label's own, shortened.
      expect(edge.edge.label).toContain(edge.labelLines.join(' ').replace(/ …$/, ''));
    }
    // Box labels: two lines at most, each within the box's characters.
    for (const node of layout.nodes) {
      const lines = compactNodeLines(node.node.label, compactLabelChars(node.width));
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(compactLabelChars(node.width));
    }
  });

  it.each(Object.entries(ALL))('%s reads top to bottom: no arrow goes up but the return of a pair', (_, graph) => {
    const layout = layoutCompact(graph);
    const ids = new Set(layout.edges.map((edge) => edge.id));
    for (const edge of layout.edges) {
      if (ids.has(edgeId(edge.edge.to, edge.edge.from))) continue;
      expect(edge.y2, edge.id).toBeGreaterThanOrEqual(edge.y1 - 0.01);
    }
    // Its source (the client) in the first row.
    const client = layout.nodes.find((node) => node.node.kind === 'client')!;
    expect(client.y).toBe(Math.min(...layout.nodes.map((node) => node.y)));
  });

  it('puts a place both stream functions write to between them (three columns)', () => {
    const layout = layoutCompact(STREAM_METRICS);
    const at = (id: string) => layout.nodes.find((node) => node.node.id === id)!;
    expect(at('MetricsFn').y).toBe(at('ClickFn').y);
    const between = ['Metrics', 'Failures'].filter(
      (id) => at(id).y === at('MetricsFn').y && at(id).x > Math.min(at('MetricsFn').x, at('ClickFn').x),
    );
    expect(between).toHaveLength(1);
  });

  it('shortens arrow labels to their first words, the rest left to the title', () => {
    expect(shortEdgeLabel('ObjectCreated (.jpg, .jpeg, .png)')).toBe('ObjectCreated');
    expect(shortEdgeLabel('stream · polls (batch ≤ 10)')).toBe('stream · polls');
    expect(shortEdgeLabel('GET / · GET /items · GET /items/{id} · POST /items')).toBe('GET / …');
    expect(shortEdgeLabel('on-failure records')).toBe('on-failure records');
    expect(shortEdgeLabel('(only a parenthesis)')).toBe('(only a paren…');
    expect(compactNodeLines('Click metrics function', 13)).toEqual(['Click metrics', 'function']);
    expect(compactNodeLines('A very long name of a function indeed', 10)).toEqual(['A very', 'long name…']);
  });

  it('lays out a graph too large to search, by rank', () => {
    const nodes = Array.from({ length: 11 }, (_, i) => ({
      id: `n${i}`,
      kind: 'function' as const,
      label: `Node ${i}`,
    }));
    const graph: FlowGraph = { nodes, edges: nodes.slice(1).map((node, i) => ({ from: `n${i}`, to: node.id })) };
    const layout = layoutCompact(graph);
    expect(overlaps(layout)).toBe(false);
    expect(layout.width).toBeLessThanOrEqual(COMPACT_WIDTH);
  });
});
