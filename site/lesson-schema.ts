import { z } from 'astro/zod';
import { DIAGRAM_NODE_KINDS } from './lib/diagram-vocabulary.ts';

export { DIAGRAM_NODE_KINDS };

/** The four kinds of application the workbook teaches, after the Lambda Developer Guide's former page "Common Lambda application types and use cases". */
export const SCENARIO_CATEGORIES = ['file-processing', 'data-and-analytics', 'websites', 'mobile-apps'] as const;

/** How an arrow of a flow diagram is drawn: the event's path, a permission, or where failures go. */
export const DIAGRAM_EDGE_KINDS = ['flow', 'permission', 'failure'] as const;

const NODE_ID = /^[a-z][a-z0-9-]*$/;

/** One box of a flow diagram. */
export const diagramNodeSchema = z.object({
  /** Short id the edges refer to, e.g. `photos`. */
  id: z.string().regex(NODE_ID, 'a node id is lowercase letters, digits and dashes, starting with a letter'),
  kind: z.enum(DIAGRAM_NODE_KINDS),
  /** The name in the box, e.g. "Photos bucket" (wrapped on two lines at most). */
  label: z.string().min(1).max(40),
  /** The small caption above the label. @default from `kind`, e.g. "S3 bucket" */
  caption: z.string().min(1).max(20).optional(),
  /** Column, counted from 0 at the left. @default one after the furthest node with a flow edge into it */
  column: z.number().int().min(0).max(6).optional(),
  /** Row, counted from 0 at the top. @default the next free row of its column */
  row: z.number().int().min(0).max(4).optional(),
});

/** One arrow of a flow diagram. */
export const diagramEdgeSchema = z.object({
  from: z.string().regex(NODE_ID),
  to: z.string().regex(NODE_ID),
  /** What travels along the arrow, e.g. "ObjectCreated → async invoke". */
  label: z.string().min(1).max(60).optional(),
  /** `flow` (solid, the default), `permission` (dashed) or `failure` (dotted). */
  kind: z.enum(DIAGRAM_EDGE_KINDS).optional(),
});

/**
 * A lesson's flow diagram, drawn by `site/components/FlowSketch.astro` as a static SVG: boxes
 * (nodes) laid out in columns from left to right, arrows (edges) between them. The alternative
 * text is `summary`, followed by one sentence per edge.
 */
export const diagramSchema = z
  .object({
    /** One sentence saying what the diagram shows (the SVG's accessible description starts with it). */
    summary: z.string().min(1),
    nodes: z.array(diagramNodeSchema).min(2),
    edges: z.array(diagramEdgeSchema).min(1),
    /**
     * Where boxes go in the narrow drawing for a phone (two columns, top to bottom), by node id:
     * `[column, row]` with column 0 or 1. Optional: without it (or for a box it leaves out) the
     * drawing searches for cells; give it when that search leaves arrows along one line or a
     * label on an arrow.
     */
    narrow: z.record(z.string(), z.tuple([z.number().int().min(0).max(1), z.number().int().min(0)])).optional(),
  })
  .superRefine((diagram, context) => {
    const ids = new Set<string>();
    for (const [index, node] of diagram.nodes.entries()) {
      if (ids.has(node.id)) {
        context.addIssue({
          code: 'custom',
          path: ['nodes', index, 'id'],
          message: `node id '${node.id}' appears twice`,
        });
      }
      ids.add(node.id);
    }
    for (const [index, edge] of diagram.edges.entries()) {
      for (const end of ['from', 'to'] as const) {
        if (!ids.has(edge[end])) {
          context.addIssue({
            code: 'custom',
            path: ['edges', index, end],
            message: `edge ${end} '${edge[end]}' is not a node id (${[...ids].join(', ')})`,
          });
        }
      }
      if (edge.from === edge.to) {
        context.addIssue({ code: 'custom', path: ['edges', index], message: `edge from '${edge.from}' to itself` });
      }
    }
    const cells = new Map<string, string>();
    for (const node of diagram.nodes) {
      if (node.column === undefined || node.row === undefined) continue;
      const cell = `${node.column},${node.row}`;
      const other = cells.get(cell);
      if (other !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['nodes'],
          message: `nodes '${other}' and '${node.id}' both sit at column ${node.column}, row ${node.row}`,
        });
      }
      cells.set(cell, node.id);
    }
    const narrowCells = new Map<string, string>();
    for (const [id, [column, row]] of Object.entries(diagram.narrow ?? {})) {
      if (!ids.has(id)) {
        context.addIssue({ code: 'custom', path: ['narrow', id], message: `narrow names '${id}', not a node id` });
      }
      const other = narrowCells.get(`${column},${row}`);
      if (other !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['narrow', id],
          message: `narrow puts '${other}' and '${id}' both at column ${column}, row ${row}`,
        });
      }
      narrowCells.set(`${column},${row}`, id);
    }
  });

export type Diagram = z.infer<typeof diagramSchema>;
export type DiagramNode = z.infer<typeof diagramNodeSchema>;
export type DiagramEdge = z.infer<typeof diagramEdgeSchema>;

/** Extra frontmatter a scenario lesson carries, on top of Starlight's own fields. */
export const lessonSchema = z.object({
  scenario: z
    .object({
      /** Folder name under `scenarios/`, e.g. `thumbnails`. */
      id: z.string().regex(/^[a-z0-9-]+$/, 'a scenario id is the folder name: lowercase letters, digits and dashes'),
      /** Which kind of application this is. */
      category: z.enum(SCENARIO_CATEGORIES),
      /** The AWS service that invokes the function, e.g. "Amazon S3". */
      eventSource: z.string().min(1),
      /** How the function is invoked: pushed by the source (async or sync) or polled. */
      invocation: z.enum(['push-async', 'push-sync', 'poll', 'direct-sync']),
      /** The event flow, one step per entry, in the order it happens. */
      flow: z.array(z.string().min(1)).min(2),
    })
    .optional(),
  /**
   * The page's flow diagram (optional; every scenario lesson has one). The page draws it with
   * `<FlowSketch diagram={frontmatter.diagram} />`, which validates it again with `diagramSchema`.
   */
  diagram: diagramSchema.optional(),
});

export type LessonFrontmatter = z.infer<typeof lessonSchema>;
