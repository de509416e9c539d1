// The lessons as sources: every lesson's frontmatter validates and carries a diagram that lays out
// cleanly, every code excerpt points at a real file and at markers that are in it, and every
// scenario lesson has the sections a learner expects, in order. (The built pages are checked in
// test/e2e/site.test.ts.)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFrontmatter } from 'astro/markdown';
import { describe, expect, it } from 'vitest';
import { SCENARIO_IDS, type ScenarioId } from '../../scenarios/catalog.ts';
import { shiftHeadings } from '../../site/components/exercise-html.ts';
import {
  describeDiagram,
  layoutDiagram,
  layoutNarrow,
  layoutProblems,
  NARROW_MAX_WIDTH,
  NODE_HEIGHT,
  wrap,
} from '../../site/components/flow-sketch.ts';
import { type Diagram, diagramSchema, lessonSchema } from '../../site/lesson-schema.ts';
import { ExcerptError, excerpt } from '../../site/lib/excerpt.ts';
import { loadExercises } from '../../site/server/checks/exercises.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Lesson {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly frontmatter: Record<string, unknown>;
  readonly body: string;
}

function readLesson(name: string, path: string): Lesson {
  const file = join(ROOT, path);
  const text = readFileSync(file, 'utf8');
  const { frontmatter, content } = parseFrontmatter(text);
  return { name, file, text, frontmatter, body: content };
}

const scenarioLessons = SCENARIO_IDS.map((id) => readLesson(id, `scenarios/${id}/lesson.mdx`));
const introduction = readLesson('introduction', 'site/content/docs/introduction.mdx');
const lessonsWithDiagrams = [...scenarioLessons, introduction];

/** The `?raw` imports of a lesson: identifier → absolute path. */
function rawImports(lesson: Lesson): Map<string, string> {
  const imports = new Map<string, string>();
  for (const match of lesson.body.matchAll(/^import (\w+) from '([^']+)\?raw';$/gm)) {
    imports.set(match[1] as string, resolve(dirname(lesson.file), match[2] as string));
  }
  return imports;
}

/** The `excerpt(source, 'from', 'to')` calls of a lesson, with their string arguments. */
function excerptCalls(lesson: Lesson): { source: string; from: string; to?: string; call: string }[] {
  const string = `(?:'([^']*)'|"([^"]*)")`;
  const pattern = new RegExp(`excerpt\\((\\w+),\\s*${string}(?:,\\s*${string})?\\)`, 'g');
  return [...lesson.body.matchAll(pattern)].map((match) => ({
    call: match[0],
    source: match[1] as string,
    from: (match[2] ?? match[3]) as string,
    to: match[4] ?? match[5],
  }));
}

describe('lesson frontmatter', () => {
  it.each(lessonsWithDiagrams.map((lesson) => [lesson.name, lesson] as const))(
    '%s validates and has a diagram',
    (_, lesson) => {
      const parsed = lessonSchema.safeParse(lesson.frontmatter);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(typeof lesson.frontmatter.title).toBe('string');
      expect(parsed.data?.diagram, 'a `diagram` in the frontmatter').toBeDefined();
      expect(lesson.body).toContain('<FlowSketch diagram={frontmatter.diagram} />');
    },
  );

  it.each(scenarioLessons.map((lesson) => [lesson.name, lesson] as const))(
    '%s names its own scenario',
    (name, lesson) => {
      const data = lessonSchema.parse(lesson.frontmatter);
      expect(data.scenario?.id).toBe(name);
      expect(lesson.body).toContain(`<ExerciseList scenario="${name}" />`);
      expect(lesson.body).toContain(`<Workbench scenario="${name}" />`);
    },
  );
});

describe('lesson diagrams', () => {
  it.each(lessonsWithDiagrams.map((lesson) => [lesson.name, lesson] as const))(
    '%s lays out without overlapping boxes, inside the picture (left to right, and top to bottom)',
    (_, lesson) => {
      const diagram = diagramSchema.parse(lesson.frontmatter.diagram);
      // The top-to-bottom drawing is the one a column too narrow for the other shows: at most 45rem
      // (Starlight's content width) at 1:1; beside the table of contents the column is narrower (~630 px),
      // and a wider drawing scrolls there with its hint (test/e2e/diagrams.test.ts).
      const tall = layoutDiagram(diagram, { transposed: true });
      expect(Math.min(tall.width, layoutDiagram(diagram).width)).toBeLessThanOrEqual(720);
      for (const layout of [layoutDiagram(diagram), tall]) checkLayout(diagram, layout);
    },
  );

  it.each(lessonsWithDiagrams.map((lesson) => [lesson.name, lesson] as const))(
    '%s has a narrow drawing for a phone: two columns, nothing overlapping, narrow enough for 343 px at 0.9',
    (_, lesson) => {
      const diagram = diagramSchema.parse(lesson.frontmatter.diagram);
      const narrow = layoutNarrow(diagram);
      // A 375 px phone's content column is 343 px: shown at 343/381 = 0.9 or more, 13 px text reads at 11.7 px.
      expect(narrow.width).toBeLessThanOrEqual(NARROW_MAX_WIDTH);
      expect(Math.max(...narrow.nodes.map((node) => node.column))).toBeLessThanOrEqual(1);
      expect(layoutProblems(narrow)).toEqual([]);
      checkLayout(diagram, narrow);
    },
  );

  it('finds what is wrong with a drawing: a label on a box, an arrow through a box', () => {
    const layout = layoutDiagram({
      summary: 's',
      nodes: [
        { id: 'a', kind: 'client', label: 'A', column: 0, row: 0 },
        { id: 'b', kind: 'api', label: 'B', column: 1, row: 0 },
        { id: 'c', kind: 'function', label: 'C', column: 2, row: 0 },
      ],
      edges: [{ from: 'a', to: 'c', label: 'a label long enough to reach the box beside it, surely' }],
    });
    expect(layoutProblems(layout)).toEqual(expect.arrayContaining(['the arrow a→c runs through b']));
  });

  it('finds arrows that run along one line', () => {
    const layout = layoutNarrow({
      summary: 's',
      nodes: [
        { id: 'a', kind: 'client', label: 'A' },
        { id: 'b', kind: 'api', label: 'B' },
        { id: 'c', kind: 'function', label: 'C' },
        { id: 'd', kind: 'table', label: 'D' },
      ],
      edges: [
        { from: 'a', to: 'd', label: 'first' },
        { from: 'b', to: 'c', label: 'a label long enough to cross' },
        { from: 'c', to: 'd' },
      ],
      // a and b in column 0, c and d in column 1: a→d and b→c both turn down the gap between the columns.
      narrow: { a: [0, 0], b: [0, 1], c: [1, 2], d: [1, 3] },
    });
    expect(layoutProblems(layout)).toEqual(expect.arrayContaining(['the arrows a→d and b→c run along the same line']));
  });

  it('finds a label lying on another arrow', () => {
    const box = (id: string, x: number, y: number) =>
      ({ id, kind: 'function', label: id, column: 0, row: 0, x, y, caption: '', lines: [id] }) as const;
    const layout = {
      nodeWidth: 100,
      width: 400,
      height: 400,
      crossings: 0,
      nodes: [box('a', 0, 0), box('b', 0, 300), box('c', 200, 0), box('d', 200, 300)],
      edges: [
        { from: 'a', to: 'b', kind: 'flow', path: 'M50,64 V300' },
        // Its label starts left of a→b's line at x 50 and runs across it.
        {
          from: 'c',
          to: 'd',
          kind: 'flow',
          path: 'M250,64 V300',
          label: { lines: ['across the other arrow'], x: 20, y: 180, anchor: 'start' },
        },
      ],
    } as const;
    expect(layoutProblems(layout)).toEqual(['the label of c→d lies on the arrow a→b']);
  });

  it('finds arrows of different boxes that meet end to end on one line', () => {
    // a→d turns down the gap and b→c turns up it: their pieces meet at one point of one line.
    const layout = layoutNarrow({
      summary: 's',
      nodes: [
        { id: 'a', kind: 'client', label: 'A' },
        { id: 'b', kind: 'api', label: 'B' },
        { id: 'c', kind: 'function', label: 'C' },
        { id: 'd', kind: 'table', label: 'D' },
      ],
      edges: [
        { from: 'a', to: 'd' },
        { from: 'b', to: 'c' },
      ],
      narrow: { a: [0, 0], d: [1, 1], c: [0, 1], b: [1, 3] },
    });
    expect(layoutProblems(layout)).toEqual(expect.arrayContaining(['the arrows a→d and b→c run along the same line']));
  });

  function checkLayout(diagram: Diagram, layout: ReturnType<typeof layoutDiagram>) {
    for (const [i, a] of layout.nodes.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.y).toBeGreaterThanOrEqual(0);
      expect(a.x + layout.nodeWidth).toBeLessThanOrEqual(layout.width);
      expect(a.y + NODE_HEIGHT).toBeLessThanOrEqual(layout.height);
      expect(a.lines.join(' '), `${a.id}'s label fits on two lines`).toBe(a.label);
      for (const b of layout.nodes.slice(i + 1)) {
        expect(`${a.column},${a.row}`, `${a.id} and ${b.id}`).not.toBe(`${b.column},${b.row}`);
      }
    }
    // Edge labels do not cover each other (boxes estimated from the label font's average advance).
    const boxes = layout.edges.flatMap((edge) => {
      if (!edge.label) return [];
      const width = Math.max(...edge.label.lines.map((line) => line.length)) * 7.2;
      const left =
        edge.label.anchor === 'start'
          ? edge.label.x
          : edge.label.anchor === 'end'
            ? edge.label.x - width
            : edge.label.x - width / 2;
      const top = edge.label.y - 12;
      return [
        {
          name: `${edge.from}→${edge.to}`,
          left,
          right: left + width,
          top,
          bottom: top + edge.label.lines.length * 16,
        },
      ];
    });
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        expect(overlap, `labels of ${a.name} and ${b.name} overlap`).toBe(false);
      }
    }
    expect(layout.edges).toHaveLength(diagram.edges.length);
    expect(layout.crossings).toBe(0);
  }

  it('describes every edge in the accessible description', () => {
    const diagram: Diagram = {
      summary: 'Photos become thumbnails.',
      nodes: [
        { id: 'photos', kind: 'bucket', label: 'Photos' },
        { id: 'fn', kind: 'function', label: 'Thumbnailer' },
        { id: 'role', kind: 'role', label: 'Role' },
      ],
      edges: [
        { from: 'photos', to: 'fn', label: 'ObjectCreated' },
        { from: 'role', to: 'fn', kind: 'permission' },
      ],
    };
    expect(describeDiagram(diagram)).toBe(
      'Photos become thumbnails. Photos to Thumbnailer: ObjectCreated. Role grants permissions to Thumbnailer.',
    );
  });

  it('places nodes left to right along the flow, and routes edges by their ends', () => {
    const layout = layoutDiagram({
      summary: 's',
      nodes: [
        { id: 'a', kind: 'client', label: 'A' },
        { id: 'b', kind: 'api', label: 'B' },
        { id: 'c', kind: 'function', label: 'C' },
        { id: 'r', kind: 'role', label: 'R', column: 2, row: 1 },
      ],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'b', label: 'answer' },
        { from: 'r', to: 'c', kind: 'permission', label: 'may' },
      ],
    });
    const at = Object.fromEntries(layout.nodes.map((node) => [node.id, [node.column, node.row]]));
    expect(at).toEqual({ a: [0, 0], b: [1, 0], c: [2, 0], r: [2, 1] });
    const [ab, bc, cb, rc] = layout.edges;
    expect(ab?.path).toMatch(/^M[\d.]+,[\d.]+ H[\d.]+$/);
    // A pair of opposite edges runs on two lines, the second one's label below its line.
    const y = (path = '') => Number(/^M[\d.]+,([\d.]+)/.exec(path)?.[1]);
    expect(y(bc?.path)).toBeLessThan(y(cb?.path));
    expect(cb?.label?.y).toBeGreaterThan(y(cb?.path));
    expect(rc?.path).toMatch(/^M[\d.]+,[\d.]+ V[\d.]+$/);
    expect(rc?.kind).toBe('permission');
  });

  it('starts a request-and-response cycle at its first node', () => {
    const layout = layoutDiagram({
      summary: 's',
      nodes: [
        { id: 'browser', kind: 'client', label: 'Browser' },
        { id: 'api', kind: 'api', label: 'API' },
        { id: 'fn', kind: 'function', label: 'Function' },
      ],
      edges: [
        { from: 'browser', to: 'api' },
        { from: 'api', to: 'browser' },
        { from: 'api', to: 'fn' },
        { from: 'fn', to: 'api' },
      ],
    });
    expect(layout.nodes.map((node) => [node.id, node.column, node.row])).toEqual([
      ['browser', 0, 0],
      ['api', 1, 0],
      ['fn', 2, 0],
    ]);
  });

  it('rejects edges to unknown nodes and two nodes in one place, naming them', () => {
    const result = diagramSchema.safeParse({
      summary: 's',
      nodes: [
        { id: 'a', kind: 'client', label: 'A', column: 0, row: 0 },
        { id: 'b', kind: 'table', label: 'B', column: 0, row: 0 },
      ],
      edges: [{ from: 'a', to: 'nowhere' }],
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message).join('\n');
    expect(messages).toContain("edge to 'nowhere' is not a node id");
    expect(messages).toContain("nodes 'a' and 'b' both sit at column 0, row 0");
  });

  it('wraps labels at spaces', () => {
    expect(wrap('GetId, GetCredentialsForIdentity then Invoke', 16)).toEqual([
      'GetId,',
      'GetCredentialsForIdentity',
      'then Invoke',
    ]);
    // The phone drawing splits an API name wider than its column between its words.
    expect(wrap('token → STS AssumeRoleWithWebIdentity', 12, true)).toEqual([
      'token → STS',
      'AssumeRole',
      'WithWeb',
      'Identity',
    ]);
  });
});

describe('lesson code excerpts', () => {
  it.each(scenarioLessons.map((lesson) => [lesson.name, lesson] as const))(
    '%s shows only real files, and markers that are in them',
    (_, lesson) => {
      const imports = rawImports(lesson);
      expect(imports.size, 'the lesson imports the handler with ?raw').toBeGreaterThan(0);
      for (const [name, file] of imports) expect(existsSync(file), `${name}: ${file}`).toBe(true);
      const calls = excerptCalls(lesson);
      expect(calls.length).toBeGreaterThanOrEqual(3);
      for (const call of calls) {
        const file = imports.get(call.source);
        expect(file, `${call.call}: '${call.source}' is imported with ?raw`).toBeDefined();
        const shown = excerpt(readFileSync(file as string, 'utf8'), call.from, call.to);
        expect(shown, call.call).toContain(call.from.trim());
        if (call.to !== undefined) expect(shown.split('\n').length, call.call).toBeGreaterThan(1);
      }
    },
  );

  it('cuts from the marker line through the end line, without the shared indentation', () => {
    const source = ['class A {', '  run() {', '    go();', '  }', '}'].join('\n');
    expect(excerpt(source, 'run()', '  }')).toBe(['run() {', '  go();', '}'].join('\n'));
    expect(excerpt(source, 'go();')).toBe('go();');
  });

  it('fails the build, naming the marker, when a marker is gone', () => {
    expect(() => excerpt('a\nb', 'missing')).toThrow(ExcerptError);
    expect(() => excerpt('a\nb', 'missing')).toThrow('"missing"');
    expect(() => excerpt('start\nmiddle', 'start', '}')).toThrow('no line equal to "}"');
  });
});

describe('scenario lesson structure', () => {
  // The workbench (where most learners start) before the CLI; the reference code after the exercises.
  const SECTIONS = [
    '## The event flow',
    '## The handler',
    '## The infrastructure',
    '## Try it in the workbench',
    '## Run it',
    '## What differs on real AWS',
    '## Pitfalls',
    '## Exercises',
    '## How it is done',
  ];

  it.each(scenarioLessons.map((lesson) => [lesson.name, lesson] as const))(
    '%s has the sections in order, the diagram before the code',
    (_, lesson) => {
      const positions = SECTIONS.map((section) => lesson.body.indexOf(`\n${section}\n`));
      for (const [index, position] of positions.entries()) {
        expect(position, SECTIONS[index]).toBeGreaterThan(-1);
      }
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(lesson.body.indexOf('<FlowSketch')).toBeLessThan(lesson.body.indexOf('<Code'));
      const workbench = lesson.body.slice(positions[3], positions[4]);
      expect(workbench).toContain('The workbench below lets you edit the handler and fire real events at it.');
    },
  );

  it('keeps the stream lesson about its event source mapping', () => {
    const lesson = scenarioLessons.find((candidate) => candidate.name === 'stream-metrics');
    expect(lesson?.body).toContain('event source mapping');
  });
});

describe('exercises the lesson does not give away', () => {
  /** Code lines an exercise's solution has and its starter has not: what the exercise asks for. */
  const askedFor = (exercise: { starter: string; solution: string }) => {
    const starter = new Set(exercise.starter.split('\n').map((line) => line.trim()));
    return exercise.solution
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length >= 12 && !line.startsWith('//') && !line.startsWith('*') && !starter.has(line));
  };

  it.each(scenarioLessons.map((lesson) => [lesson.name, lesson] as const))(
    '%s quotes none of the code an exercise asks for before its exercises',
    (name, lesson) => {
      const exercisesAt = lesson.body.indexOf('\n## Exercises\n');
      const imports = rawImports(lesson);
      const shownBefore = excerptCalls(lesson)
        .filter((call) => lesson.body.indexOf(call.call) < exercisesAt)
        .map((call) => excerpt(readFileSync(imports.get(call.source) as string, 'utf8'), call.from, call.to))
        .join('\n');
      const shownLines = new Set(shownBefore.split('\n').map((line) => line.trim()));
      const exercises = loadExercises(ROOT, name as ScenarioId);
      expect(exercises.length).toBeGreaterThan(0);
      for (const exercise of exercises) {
        const given = askedFor(exercise).filter((line) => shownLines.has(line));
        expect(given, `${name}/${exercise.id}: quoted before the exercises`).toEqual([]);
      }
    },
  );

  it('finds the code an exercise asks for (the check above can fail)', () => {
    const exercise = {
      starter: 'const a = 1;\nreturn a;',
      solution: 'const a = 1;\nif (a > 0) return decodeKey(a);\nreturn a;',
    };
    expect(askedFor(exercise)).toEqual(['if (a > 0) return decodeKey(a);']);
  });
});

describe('exercise statements in a lesson', () => {
  it('move their headings under the exercise title and keep ids unique', () => {
    const html =
      '<h2 id="the-goal">The goal</h2><p>Do it.</p>' +
      '<div class="sl-heading-wrapper level-h2"><h2 id="hints">Hints</h2><a class="sl-anchor-link" href="#hints">#</a></div>';
    expect(shiftHeadings(html, 2, 'decode-keys-')).toBe(
      '<h4 id="decode-keys-the-goal">The goal</h4><p>Do it.</p>' +
        '<div class="sl-heading-wrapper level-h4"><h4 id="decode-keys-hints">Hints</h4><a class="sl-anchor-link" href="#decode-keys-hints">#</a></div>',
    );
    expect(shiftHeadings('<h5>deep</h5>', 3, 'x-')).toBe('<h6>deep</h6>');
  });
});
