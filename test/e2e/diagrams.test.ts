// Every diagram of the workbook as Chromium renders it: the workbench's flow diagram of each
// scenario and every lesson's sketch, at 1280 and 375 px. Checked geometrically on the rendered
// SVG (getBoundingClientRect, getScreenCTM): no label on a box it does not belong to or on another
// label, none cut off, no crossing arrows where the layout says there are none, lesson text at the
// page's small size or more, kind captions with WCAG AA contrast. Then the diagram in motion: its
// steps light one at a time in the order of the trace, and Replay plays the last event again; and
// the resources panel shows stream-metrics' counters, not its idempotency marks, at 1280 px. Each
// lesson page loads once and its workbench opens once, on that page; the other width is the same
// page resized (pageAt).
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { reusePages } from '../helpers/page-reuse.ts';
import { type ModeWorkbook, shareWorkbook, startWorkbookIn } from '../helpers/workbook-modes.ts';

shareWorkbook();

let workbook: ModeWorkbook;
let browser: TestBrowser;

beforeAll(async () => {
  workbook = await startWorkbookIn('local');
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * The pages tests measure, by key (a lesson's path; see page-reuse.ts). Each page loads once at one
 * width and later tests of the same page resize it: the drawings follow their column's size
 * (flow/mount.ts redraws on its ResizeObserver; the sketches' CSS picks the drawing shown). Which
 * width is loaded fresh alternates between pages, and the workbench opens at the other, so each
 * width is a first load somewhere.
 */
const pages = reusePages(() => browser.context);
/** The lesson pages whose workbench is open. */
const workbenchOpen = new WeakSet<Page>();
/** The page at `key` at `width` (a new one that `open` loads, or the one an earlier test left). */
function pageAt(key: string, width: number, open: (page: Page) => Promise<void>): Promise<Page> {
  return pages.at(key, { width, height: 900 }, open);
}

/** Closes a page no later test measures. */
function done(key: string): Promise<void> {
  return pages.close(key);
}

const WIDTHS = [1280, 375] as const;
const SCENARIOS = ['thumbnails', 'stream-metrics', 'web-backend', 'mobile-clicks'] as const;
const LESSON_PAGES = [
  '/introduction/',
  '/scenarios/thumbnails/',
  '/scenarios/stream-metrics/',
  '/scenarios/web-backend/',
  '/scenarios/mobile-clicks/',
] as const;

interface DiagramReport {
  readonly problems: string[];
  readonly texts: number;
  readonly segments: number;
  /** Smallest rendered font size of any text, in CSS px. */
  readonly smallestText: number;
  /** Lowest contrast of a kind caption against its box. */
  readonly lowestCaptionContrast: number;
  readonly crossingsClaimed: number | undefined;
}

/**
 * Measures one rendered diagram (an `<svg>` in the page) and names every problem it finds. Runs in
 * the page: boxes and labels by getBoundingClientRect, arrows through getScreenCTM.
 */
function measure(svg: SVGSVGElement): DiagramReport {
  const problems: string[] = [];
  const slack = 0.5;
  const overlap = (a: DOMRect, b: DOMRect) =>
    a.left < b.right - slack && b.left < a.right - slack && a.top < b.bottom - slack && b.top < a.bottom - slack;
  const inside = (a: DOMRect, b: DOMRect, tolerance = 1) =>
    a.left >= b.left - tolerance &&
    a.right <= b.right + tolerance &&
    a.top >= b.top - tolerance &&
    a.bottom <= b.bottom + tolerance;
  const nodeGroups = [...svg.querySelectorAll<SVGGElement>('g.wb-flow__node, g.node')];
  const nodes = nodeGroups.map((group) => ({
    group,
    rect: group.querySelector('rect')!.getBoundingClientRect(),
    name: group.dataset.id ?? group.querySelector('.label')?.textContent ?? '?',
  }));
  const texts = [...svg.querySelectorAll<SVGTextElement>('text')].filter((text) => text.textContent?.trim());
  const frame = svg.getBoundingClientRect();
  const viewBox = svg.viewBox.baseVal;
  const scale = frame.width / viewBox.width;
  // What the learner can see of the figure: the SVG, within every box around it that clips it;
  // inside a box that scrolls sideways the rest is a scroll away (its hint is checked apart).
  let visible = frame;
  for (let up = svg.parentElement; up && up.tagName !== 'DIALOG'; up = up.parentElement) {
    const style = getComputedStyle(up);
    if (style.overflowX === 'visible') continue;
    if (up.scrollWidth > up.clientWidth + 1) break;
    const box = up.getBoundingClientRect();
    const left = Math.max(visible.left, box.left);
    visible = new DOMRect(left, visible.top, Math.min(visible.right, box.right) - left, visible.height);
  }
  let smallestText = Number.POSITIVE_INFINITY;
  let lowestCaptionContrast = Number.POSITIVE_INFINITY;
  const rgb = (value: string) => (/rgba?\(([^)]+)\)/.exec(value)?.[1] ?? '0,0,0').split(',').map((v) => Number(v));
  const luminance = (value: string) => {
    const [r = 0, g = 0, b = 0] = rgb(value).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };
  texts.forEach((text, index) => {
    const rect = text.getBoundingClientRect();
    const label = `"${text.textContent?.trim()}"`;
    smallestText = Math.min(smallestText, Number.parseFloat(getComputedStyle(text).fontSize) * scale);
    if (!inside(rect, visible)) problems.push(`${label} is cut off by the edge of the drawing`);
    const own = text.closest('g.wb-flow__node, g.node');
    for (const node of nodes) {
      if (node.group === own) {
        if (!inside(rect, node.rect)) problems.push(`${label} sticks out of its box`);
      } else if (overlap(rect, node.rect)) problems.push(`${label} lies on the box ${node.name}`);
    }
    for (const other of texts.slice(index + 1)) {
      if (overlap(rect, other.getBoundingClientRect()))
        problems.push(`${label} overlaps "${other.textContent?.trim()}"`);
    }
    if (own && (text.classList.contains('caption') || text.classList.contains('wb-flow__caption'))) {
      const fill = getComputedStyle(own.querySelector('rect')!).fill;
      lowestCaptionContrast = Math.min(lowestCaptionContrast, contrast(getComputedStyle(text).fill, fill));
    }
  });

  // Arrows as segments in screen coordinates, each with the boxes it joins.
  const toScreen = (element: SVGGraphicsElement, x: number, y: number) => {
    const point = new DOMPoint(x, y).matrixTransform(element.getScreenCTM()!);
    return { x: point.x, y: point.y };
  };
  const segments: { ends: string[]; a: { x: number; y: number }; b: { x: number; y: number } }[] = [];
  for (const line of svg.querySelectorAll<SVGLineElement>('line.wb-flow__line')) {
    const id = line.closest<SVGGElement>('[data-id]')!.dataset.id!;
    segments.push({
      ends: id.split('>'),
      a: toScreen(line, line.x1.baseVal.value, line.y1.baseVal.value),
      b: toScreen(line, line.x2.baseVal.value, line.y2.baseVal.value),
    });
  }
  for (const path of svg.querySelectorAll<SVGPathElement>('g.edge path')) {
    const group = path.closest<SVGGElement>('g.edge')!;
    const ends = [group.dataset.from ?? '?', group.dataset.to ?? '?'];
    let x = 0;
    let y = 0;
    for (const [, command, args] of (path.getAttribute('d') ?? '').matchAll(/([MHVL])([^MHVL]*)/g)) {
      const values = (args ?? '').split(/[ ,]+/).filter(Boolean).map(Number);
      const from = { x, y };
      if (command === 'M' || command === 'L') [x = x, y = y] = values;
      else if (command === 'H') x = values[0] ?? x;
      else if (command === 'V') y = values[0] ?? y;
      if (command !== 'M') segments.push({ ends, a: toScreen(path, from.x, from.y), b: toScreen(path, x, y) });
    }
  }
  const side = (p: { x: number; y: number }, q: { x: number; y: number }, r: { x: number; y: number }) =>
    (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
  const claimed = svg.dataset.crossings ?? svg.closest('figure')?.dataset.crossings;
  if (claimed === '0') {
    segments.forEach((s, i) => {
      for (const t of segments.slice(i + 1)) {
        if (s.ends.some((end) => t.ends.includes(end))) continue;
        const crossing =
          side(t.a, t.b, s.a) * side(t.a, t.b, s.b) < -0.01 && side(s.a, s.b, t.a) * side(s.a, s.b, t.b) < -0.01;
        if (crossing) problems.push(`the arrow ${s.ends.join('→')} crosses ${t.ends.join('→')}`);
      }
    });
  }
  return {
    problems,
    texts: texts.length,
    segments: segments.length,
    smallestText,
    lowestCaptionContrast,
    crossingsClaimed: claimed === undefined ? undefined : Number(claimed),
  };
}

/** Records every trace message the page receives (the flow diagram in motion reads them). */
function recordTraces(): void {
  const w = window as unknown as { __traces: unknown[]; EventSource: typeof EventSource };
  w.__traces = [];
  const Native = w.EventSource;
  w.EventSource = class extends Native {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      this.addEventListener('trace', (event) => w.__traces.push(JSON.parse((event as MessageEvent).data)));
    }
  };
}

/** The lesson page at `path` at `width` (loaded once, see pageAt), recording its trace messages. */
function lessonAt(path: string, width: number): Promise<Page> {
  return pageAt(path, width, async (fresh) => {
    await fresh.addInitScript(recordTraces);
    await fresh.goto(`${workbook.siteUrl}${path}`);
  });
}

/** The scenario's workbench at `width`, its flow diagram shown (the Run tab on a narrow screen). */
async function openWorkbench(scenario: string, width: number): Promise<Page> {
  const path = `/scenarios/${scenario}/`;
  const page = await lessonAt(path, width);
  if (!workbenchOpen.has(page)) {
    await page.locator('[data-wb-open]').click();
    workbenchOpen.add(page);
  }
  if (width < 900) await page.locator('.wb-pane-tabs [role="tab"]', { hasText: 'Run' }).click();
  await page.locator('.wb-flow-panel svg[role="img"]').waitFor({ timeout: 60_000 });
  return page;
}

/** Measures the flow diagram of the scenario's workbench at `width`. */
async function checkWorkbenchDiagram(scenario: string, width: number): Promise<void> {
  const page = await openWorkbench(scenario, width);
  const svg = page.locator('.wb-flow-panel .wb-flow__grid svg[role="img"]');
  const report = await svg.evaluate(measure);
  expect(report.problems).toEqual([]);
  expect(report.texts).toBeGreaterThan(6);
  expect(report.segments).toBeGreaterThanOrEqual(3);
  expect(report.crossingsClaimed).toBe(0);
  expect(report.lowestCaptionContrast).toBeGreaterThanOrEqual(4.5);
  // Readable where it is, without enlarging: every text at 11 px or more as rendered (font
  // size × the drawing's scale), the whole drawing within the column's width.
  expect(report.smallestText, `${scenario} at ${width} px`).toBeGreaterThanOrEqual(11);
  const figure = page.locator('.wb-flow-panel .wb-flow__grid .wb-flow__figure');
  const { scrollWidth, clientWidth } = await figure.evaluate((box) => ({
    scrollWidth: box.scrollWidth,
    clientWidth: box.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  // The run column (1280 px) shows the compact drawing; enlarged, the full one.
  if (width === 1280) await expect(svg.getAttribute('data-compact')).resolves.toBe('');
  const enlarge = page.getByRole('button', { name: 'Enlarge diagram' });
  if (await enlarge.isVisible()) {
    await enlarge.click();
    const big = page.locator('.wb-flow__dialog svg[role="img"]');
    const enlarged = await big.evaluate(measure);
    expect(enlarged.problems).toEqual([]);
    expect(enlarged.crossingsClaimed).toBe(0);
    expect(enlarged.smallestText).toBeGreaterThanOrEqual(8);
    await expect(big.getAttribute('data-compact')).resolves.toBeNull();
    await page.getByRole('button', { name: 'Close' }).click();
  }
}

/** Measures every sketch of the lesson at `path` at `width`, in both themes. */
async function checkLessonDiagrams(path: string, width: number): Promise<void> {
  const page = await lessonAt(path, width);
  // The theme the page chose, put back after: the workbench opened on this page later shows it.
  const chosen = await page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  const figures = page.locator('figure.flow-sketch');
  const count = await figures.count();
  expect(count).toBeGreaterThan(0);
  for (const theme of ['dark', 'light']) {
    await page.evaluate((value) => document.documentElement.setAttribute('data-theme', value), theme);
    for (let index = 0; index < count; index++) {
      const figure = figures.nth(index);
      // The drawing the page shows at this width (left to right, or top to bottom).
      const shown = figure.locator('svg[data-flow-sketch]:visible');
      await expect(shown.count()).resolves.toBe(1);
      const report = await shown.evaluate(measure);
      const where = `${path} diagram ${index + 1} (${theme})`;
      expect(report.problems, where).toEqual([]);
      // Readable as rendered (scaled to the column, never below 11 px) and whole: no sideways scroll.
      expect(report.smallestText, where).toBeGreaterThanOrEqual(11);
      expect(report.lowestCaptionContrast, where).toBeGreaterThanOrEqual(4.5);
      expect(report.crossingsClaimed, where).toBe(0);
      const { scrollWidth, clientWidth } = await figure
        .locator('.flow-sketch-scroll')
        .evaluate((box) => ({ scrollWidth: box.scrollWidth, clientWidth: box.clientWidth }));
      expect(scrollWidth, where).toBeLessThanOrEqual(clientWidth);
      await expect(figure.locator('.flow-sketch-hint').isVisible(), where).resolves.toBe(false);
    }
  }
  // Nothing else of the page reaches past the screen.
  await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(width);
  await page.evaluate((value) => {
    if (value === null) document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', value);
  }, chosen);
}

/** Each page's two widths in the order its lesson's tests take them: alternately the wide one first. */
const bothWidths = (index: number) => (index % 2 === 0 ? WIDTHS : [...WIDTHS].reverse());
/** The pages later tests use again: the flow diagram in motion plays thumbnails', the resources panel reads stream-metrics'. */
const KEPT = ['/scenarios/thumbnails/', '/scenarios/stream-metrics/'];

describe('every diagram, measured in Chromium', () => {
  // Each lesson page loads once: its sketches at both widths, then (a scenario's lesson) its
  // workbench opened there, at the width the page has, then at the other.
  LESSON_PAGES.forEach((path, index) => {
    const [first, second] = bothWidths(index) as [number, number];
    const scenario = SCENARIOS.find((id) => path === `/scenarios/${id}/`);
    const last = () => (KEPT.includes(path) ? Promise.resolve() : done(path));
    for (const width of [first, second]) {
      it(`lesson diagrams of ${path} at ${width} px: readable, whole without scrolling sideways, nothing overlapping`, async () => {
        await checkLessonDiagrams(path, width);
        if (width === second && !scenario) await last();
      });
    }
    if (!scenario) return;
    for (const width of [second, first]) {
      it(`workbench ${scenario} at ${width} px: readable as shown, labels clear of boxes and each other, none cut, no crossing arrows`, async () => {
        await checkWorkbenchDiagram(scenario, width);
        if (width === first) await last();
      });
    }
  });
});

describe('the flow diagram in motion', () => {
  it('lights the steps of an upload one at a time in the order of the trace, and replays them', async () => {
    // The page records every trace message it receives (recordTraces) from its load on.
    const page = await openWorkbench('thumbnails', 1280);
    const svg = page.locator('.wb-flow-panel svg[role="img"]');
    // The run column's compact drawing is the one that plays.
    await expect(svg.getAttribute('data-compact')).resolves.toBe('');
    // Each step the diagram plays: when, its ids, and the boxes and arrows lit in the picture then.
    await page.evaluate(() => {
      const w = window as unknown as { __steps: { at: number; ids: string[]; lit: string[] }[] };
      w.__steps = [];
      const panel = document.querySelector<HTMLElement>('.wb-flow-panel')!;
      new MutationObserver(() => {
        const picture = panel.querySelector('.wb-flow__grid svg[role="img"]')!;
        w.__steps.push({
          at: performance.now(),
          ids: (panel.dataset.lit ?? '').split(' ').filter(Boolean),
          lit: [...picture.querySelectorAll('.is-lit[data-id]')].map(
            (element) => element.getAttribute('data-id') ?? '',
          ),
        });
      }).observe(panel, { attributes: true, attributeFilter: ['data-step'] });
    });
    await page.getByRole('tab', { name: 'Triggers' }).click();
    const jpeg = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 20, g: 120, b: 200 } },
    })
      .jpeg()
      .toBuffer();
    await page
      .locator('.wb-drop__input')
      .setInputFiles({ name: 'order-check.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    const panel = page.locator('.wb-flow-panel');
    await expect.poll(() => panel.getAttribute('data-playing'), { timeout: 30_000 }).toBe('live');
    await expect.poll(() => panel.getAttribute('data-playing'), { timeout: 60_000 }).toBe('idle');

    const { steps, traces, known, logged } = await page.evaluate(() => {
      const w = window as unknown as {
        __steps: { at: number; ids: string[]; lit: string[] }[];
        __traces: { highlight?: string[]; scenario?: string }[];
      };
      const svgElement = document.querySelector('.wb-flow-panel svg[role="img"]')!;
      return {
        steps: w.__steps,
        traces: w.__traces,
        known: [...svgElement.querySelectorAll('[data-id]')].map((element) => element.getAttribute('data-id') ?? ''),
        logged: [...document.querySelectorAll('.wb-flow__log li[data-ids]')]
          .map((li) => li.getAttribute('data-ids') ?? '')
          .filter(Boolean),
      };
    });
    const key = (ids: readonly string[]) => [...ids].sort().join(' ');
    expect(steps.length).toBeGreaterThanOrEqual(3);
    // What a step says is lit is what the picture shows lit.
    for (const step of steps) expect(key(step.lit)).toBe(key(step.ids));
    // Each lit step is the next trace message with that highlight: the order of the trace, none skipped.
    const traced = traces
      .filter((message) => message.scenario === 'thumbnails')
      .map((message) => key((message.highlight ?? []).filter((id) => known.includes(id))))
      .filter(Boolean);
    let cursor = 0;
    for (const step of steps) {
      const found = traced.indexOf(key(step.ids), cursor);
      expect(found, `step ${key(step.ids)} after trace message ${cursor}`).toBeGreaterThanOrEqual(cursor);
      cursor = found + 1;
    }
    // The journey itself: into the bucket, the notification to the function, the function, the thumbnail.
    const order = steps.map((step) => key(step.ids));
    const first = (test: (ids: string) => boolean) => order.findIndex(test);
    const photos = known.find((id) => id.startsWith('ThumbnailsPhotosBucket') && !id.includes('>'))!;
    const fn = known.find((id) => id.startsWith('ThumbnailsThumbnailFunction') && !id.includes('>'))!;
    const thumbs = known.find((id) => id.startsWith('ThumbnailsThumbnailsBucket') && !id.includes('>'))!;
    const notified = first((ids) => ids.includes(`${photos}>${fn}`));
    expect(notified).toBeGreaterThanOrEqual(first((ids) => ids.split(' ').includes(photos)));
    expect(first((ids) => ids.includes(`${fn}>${thumbs}`))).toBeGreaterThan(notified);
    // At a pace a person can follow: no two steps in the same moment.
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.at - steps[i - 1]!.at).toBeGreaterThanOrEqual(150);
    // The step log tells the same steps in the same order (it keeps the latest lines).
    const shownLines = Math.min(logged.length, order.length);
    expect(logged.slice(-shownLines).map((ids) => key(ids.split(' ')))).toEqual(order.slice(-shownLines));

    // Replay: the last event's path again, in the same order.
    const before = steps.length;
    await page.getByRole('button', { name: 'Replay last event' }).click();
    await expect.poll(() => panel.getAttribute('data-playing'), { timeout: 5_000 }).toBe('replay');
    await expect.poll(() => panel.getAttribute('data-playing'), { timeout: 60_000 }).toBe('idle');
    const again = await page.evaluate(
      (from) => (window as unknown as { __steps: { ids: string[] }[] }).__steps.slice(from).map((step) => step.ids),
      before,
    );
    expect(again.length).toBeGreaterThanOrEqual(3);
    expect(again.map(key)).toEqual(order.slice(-again.length));
    await done('/scenarios/thumbnails/');
  });
});

describe('the resources panel', () => {
  it('stream-metrics at 1280 px: the metric rows with their counters in view, the idempotency marks folded', async () => {
    const page = await openWorkbench('stream-metrics', 1280);
    await page.getByRole('tab', { name: 'Triggers' }).click();
    const triggers = page.locator('.wb-triggers-panel');
    await triggers.getByLabel('Order id').fill('order-columns-1');
    await triggers.getByLabel('Total').fill('20');
    await page.getByRole('button', { name: 'Put order' }).click();
    // The same order again is a MODIFY; then its REMOVE.
    await triggers.getByLabel('Order id').fill('order-columns-1');
    await triggers.getByLabel('Total').fill('25');
    await page.getByRole('button', { name: 'Put order' }).click();
    await triggers.getByLabel('Order id').fill('order-columns-1');
    await page.getByRole('button', { name: 'Delete order' }).click();
    await triggers.getByLabel('Page', { exact: true }).fill('/columns');
    await page.getByRole('button', { name: 'Put click record' }).click();
    await page.getByRole('tab', { name: 'Resources' }).click();
    const metrics = page.locator('.wb-resource[data-role="metricsTable"]');
    await expect
      .poll(() => metrics.locator('.wb-items').first().textContent(), { timeout: 30_000 })
      .toContain('page#/columns');
    await expect
      .poll(() => metrics.locator('.wb-bookkeeping summary').textContent(), { timeout: 30_000 })
      .toMatch(/^\d+ idempotency marks?$/);
    const main = metrics.locator('.wb-items').first();
    await expect
      .poll(() => main.locator('th').allTextContents(), { timeout: 30_000 })
      .toEqual(expect.arrayContaining(['metric', 'INSERT', 'MODIFY', 'REMOVE', 'clicks', 'revenue']));
    // No idempotency mark among the lesson's rows; they are folded, and fold away again.
    await expect(main.locator('tbody').textContent()).resolves.not.toContain('applied#');
    await expect(metrics.locator('.wb-bookkeeping').getAttribute('open')).resolves.toBeNull();
    // The key and every counter of the orders and page rows are on screen without scrolling.
    const counters = ['metric', 'INSERT', 'MODIFY', 'REMOVE', 'revenue', 'clicks'];
    // Measured in one synchronous step on the table in the document, re-measured until it holds: a
    // later trace message (the stream's records still arriving) replaces the table, and a detached
    // table has no boxes.
    const measure = () =>
      page.evaluate((wanted) => {
        const table = document.querySelector('.wb-resource[data-role="metricsTable"] .wb-items');
        if (!table) return { outside: ['no table'], seen: [] as string[] };
        const scroller = table.closest('.wb-table-scroll')!.getBoundingClientRect();
        const screen = document.documentElement.clientWidth;
        const rows = [...table.querySelectorAll('tbody tr')].filter((tr) =>
          ['orders', 'page#/columns'].includes(tr.querySelector('td')?.textContent ?? ''),
        );
        const cells = rows.flatMap((tr) =>
          [...tr.querySelectorAll<HTMLElement>('td:not(.is-empty)')].filter((td) =>
            wanted.includes(td.dataset.label ?? ''),
          ),
        );
        const visible = (td: HTMLElement) => {
          const box = td.getBoundingClientRect();
          return box.width > 0 && box.left >= scroller.left - 1 && box.right <= Math.min(scroller.right, screen) + 1;
        };
        return {
          outside: cells.filter((td) => !visible(td)).map((td) => td.dataset.label),
          seen: [...new Set(cells.filter(visible).map((td) => td.dataset.label))].sort(),
        };
      }, counters);
    await expect.poll(measure, { timeout: 15_000 }).toEqual({ outside: [], seen: [...counters].sort() });
    // Rows in the same order on the next refresh.
    const rows = () => main.locator('tbody tr td:first-child').allTextContents();
    const first = await rows();
    expect(first).toEqual([...first].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    await page.locator('.wb-resources-panel').getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(rows, { timeout: 10_000 }).toEqual(first);
    await done('/scenarios/stream-metrics/');
  });
});
