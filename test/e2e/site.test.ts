import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../scenarios/catalog.ts';
import { loadExercises } from '../../site/server/checks/exercises.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { sharedWorkbook } from '../helpers/shared-workbook.ts';
import type { RunningWorkbook } from '../helpers/workbook.ts';

let workbook: RunningWorkbook;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  // It reads the site and opens workbenches, deploying nothing: the run's shared workbook serves it.
  workbook = await sharedWorkbook();
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await workbook?.stop();
});

describe('the built site in Chromium', () => {
  it('home page lists the four scenarios', async () => {
    await page.goto(workbook.siteUrl);
    await expect(page.title()).resolves.toContain('Lambda Workbook');
    const cards = await page.locator('.sl-link-card a').allTextContents();
    expect(cards.map((text) => text.trim())).toEqual([
      expect.stringContaining('File processing'),
      expect.stringContaining('Data & analytics'),
      expect.stringContaining('Websites'),
      expect.stringContaining('Mobile apps'),
    ]);
  });

  it('reaches a lesson through the sidebar', async () => {
    await page.goto(`${workbook.siteUrl}/introduction/`);
    await page.locator('nav.sidebar a', { hasText: 'Data & analytics' }).first().click();
    await page.waitForURL('**/scenarios/stream-metrics/');
    await expect(page.locator('h1').textContent()).resolves.toBe('Data & analytics: stream metrics');
    await expect(page.locator('main').textContent()).resolves.toContain('event source mapping');
  });

  it('finds a lesson with the search dialog', async () => {
    await page.goto(workbook.siteUrl);
    await page.locator('[data-search-open]').click();
    const input = page.getByRole('searchbox', { name: 'Search the workbook' });
    await expect(input.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await input.fill('thumbnail');
    const firstResult = page.locator('[data-search-results] > li > a').first();
    await firstResult.waitFor({ timeout: 15_000 });
    await expect(firstResult.getAttribute('href')).resolves.toBe('/scenarios/thumbnails/');
    await expect(firstResult.locator('.ss-title').textContent()).resolves.toBe('File processing: photo thumbnails');
    await firstResult.click();
    await page.waitForURL('**/scenarios/thumbnails/');
    await expect(page.locator('h1').textContent()).resolves.toBe('File processing: photo thumbnails');
  });

  it("draws each lesson's flow diagram and lists its exercises", async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const html = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll("'", '&#39;');
    for (const scenario of SCENARIO_IDS) {
      const page = await (await fetch(`${workbook.siteUrl}/scenarios/${scenario}/`)).text();
      expect(page, scenario).toMatch(/<svg[^>]*role="img"[^>]*data-flow-sketch/);
      // Two drawings of the sketch (left to right, and top to bottom for narrow screens), each described.
      for (const drawing of ['wide', 'tall']) {
        expect(page, `${scenario} (${drawing})`).toMatch(
          new RegExp(`<desc id="flow-[0-9a-f]{8}-${drawing}-desc"[^>]*>[^<]{40,}</desc>`),
        );
      }
      const exercises = loadExercises(root, scenario);
      expect(exercises.length, scenario).toBeGreaterThan(0);
      for (const [index, exercise] of exercises.entries()) {
        const heading = /<h3 id="([^"]+)"[^>]*>\s*([^<]*?)<\/h3>/g;
        const headings = [...page.matchAll(heading)].map((match) => [match[1], match[2]]);
        expect(headings, `${scenario}/${exercise.id}`).toContainEqual([
          `exercise-${exercise.id}-title`,
          `Exercise ${index + 1}: ${html(exercise.title)}`,
        ]);
        expect(page).toContain(`npm run check -- ${scenario} ${exercise.id}`);
      }
    }
    const introduction = await (await fetch(`${workbook.siteUrl}/introduction/`)).text();
    // Two sketches, each drawn twice (left to right, top to bottom).
    expect(introduction.match(/data-flow-sketch="wide"/g)).toHaveLength(2);
    expect(introduction.match(/data-flow-sketch="tall"/g)).toHaveLength(2);
  });

  it('serves the workbench API to its own pages only', async () => {
    const own = await page.evaluate(async () => (await fetch('/api/health')).json());
    expect(own).toEqual({ status: 'ok', target: 'local' });
    const foreign = await fetch(`${workbook.siteUrl}/api/health`, { headers: { origin: 'https://attacker.example' } });
    expect(foreign.status).toBe(403);
  });

  it('knows the outputs of the stacks npm start deployed', async () => {
    const outputs = await page.evaluate(async () => {
      // Every API route but health and session needs the per-start token the session hands out.
      const { token } = await (await fetch('/api/session')).json();
      return (await fetch('/api/stack-outputs', { headers: { 'x-workbook-token': token } })).json();
    });
    expect(outputs).toMatchObject({ target: 'local', endpoint: workbook.cloudEndpoint });
    expect(Object.keys(outputs.stacks).sort()).toEqual([
      'LambdaWorkbook-MobileClicks',
      'LambdaWorkbook-StreamMetrics',
      'LambdaWorkbook-Thumbnails',
      'LambdaWorkbook-WebBackend',
    ]);
  });
});

describe('the site search', () => {
  /** A fresh page (no cached index, no earlier search) for one test. */
  async function freshPage(): Promise<Page> {
    const fresh = await browser.context.newPage();
    await fresh.setViewportSize({ width: 1280, height: 900 });
    return fresh;
  }
  const results = (on: Page) => on.locator('[data-search-results] a');
  const focusedHref = (on: Page) => on.evaluate(() => document.activeElement?.getAttribute('href') ?? null);

  it('loads neither its code nor the index before the first intent to search', async () => {
    const fresh = await freshPage();
    try {
      const requested: string[] = [];
      fresh.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await fresh.goto(`${workbook.siteUrl}/scenarios/stream-metrics/`, { waitUntil: 'networkidle' });
      expect(requested.filter((path) => path.startsWith('/pagefind/'))).toEqual([]);
      const before = requested.length;
      // Hovering the button is an intent: the search module and Pagefind come now, before any click.
      await fresh.locator('[data-search-open]').hover();
      await expect.poll(() => requested.slice(before), { timeout: 10_000 }).toContain('/pagefind/pagefind.js');
      await expect(fresh.locator('dialog').evaluate((dialog) => (dialog as HTMLDialogElement).open)).resolves.toBe(
        false,
      );
    } finally {
      await fresh.close();
    }
  });

  it('shows excerpts with the match highlighted, and the matching sections of a page', async () => {
    const fresh = await freshPage();
    try {
      await fresh.goto(`${workbook.siteUrl}/introduction/`);
      await fresh.locator('[data-search-open]').click();
      await fresh.getByRole('searchbox').fill('kinesis');
      await results(fresh).first().waitFor({ timeout: 15_000 });
      const marks = await fresh.locator('[data-search-results] mark').allTextContents();
      expect(marks.length).toBeGreaterThan(0);
      for (const mark of marks) expect(mark.toLowerCase()).toContain('kinesis');
      // Sections come as links to the page's headings, listed under the page.
      const section = fresh.locator('[data-search-results] > li > ul a').first();
      await expect(section.getAttribute('href')).resolves.toMatch(/^\/[^#]*\/#[\w-]+$/);
      await expect(fresh.getByRole('status').textContent()).resolves.toMatch(/pages? match(es)? “kinesis”/);
      // Nothing but the links, their text and the highlights: the excerpt's markup does not carry over.
      const tags = await fresh
        .locator('[data-search-results]')
        .evaluate((list) => [...new Set([...list.querySelectorAll('*')].map((element) => element.localName))].sort());
      expect(tags).toEqual(['a', 'li', 'mark', 'span', 'ul']);
      await fresh.getByRole('searchbox').fill('zzqxv');
      await expect
        .poll(() => fresh.getByRole('status').textContent(), { timeout: 10_000 })
        .toBe('No results for “zzqxv”.');
      await expect(results(fresh).count()).resolves.toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('works by keyboard: "/" opens, arrows move through the results, Enter opens one', async () => {
    const fresh = await freshPage();
    try {
      await fresh.goto(`${workbook.siteUrl}/introduction/`);
      await fresh.keyboard.press('/');
      const input = fresh.getByRole('searchbox', { name: 'Search the workbook' });
      await expect(input.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
      await fresh.keyboard.type('lambda');
      await expect.poll(() => results(fresh).count(), { timeout: 15_000 }).toBeGreaterThan(2);
      const hrefs = await results(fresh).evaluateAll((links) => links.map((link) => link.getAttribute('href')));
      await fresh.keyboard.press('ArrowDown');
      await expect(focusedHref(fresh)).resolves.toBe(hrefs[0]);
      await fresh.keyboard.press('ArrowDown');
      await expect(focusedHref(fresh)).resolves.toBe(hrefs[1]);
      await fresh.keyboard.press('ArrowDown');
      await fresh.keyboard.press('ArrowUp');
      await expect(focusedHref(fresh)).resolves.toBe(hrefs[1]);
      await fresh.keyboard.press('ArrowUp');
      await fresh.keyboard.press('ArrowUp');
      await expect(input.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
      await fresh.keyboard.press('ArrowDown');
      await fresh.keyboard.press('ArrowDown');
      await fresh.keyboard.press('Enter');
      const target = new URL(hrefs[1]!, workbook.siteUrl);
      await fresh.waitForURL((url) => url.pathname === target.pathname && url.hash === target.hash);
      await expect(fresh.locator('dialog').evaluate((dialog) => (dialog as HTMLDialogElement).open)).resolves.toBe(
        false,
      );
    } finally {
      await fresh.close();
    }
  });

  it('closes with Escape and gives the focus back to its button; Ctrl+K opens it', async () => {
    const fresh = await freshPage();
    try {
      await fresh.goto(`${workbook.siteUrl}/scenarios/thumbnails/`);
      const dialog = fresh.locator('dialog');
      const isOpen = () => dialog.evaluate((element) => (element as HTMLDialogElement).open);
      const buttonFocused = () =>
        fresh
          .getByRole('button', { name: 'Search', exact: true })
          .evaluate((button) => button === document.activeElement);
      await fresh.keyboard.press('Control+k');
      await expect(isOpen()).resolves.toBe(true);
      await fresh.keyboard.type('s3');
      await results(fresh).first().waitFor({ timeout: 15_000 });
      await fresh.keyboard.press('ArrowDown');
      await fresh.keyboard.press('Escape');
      await expect(isOpen()).resolves.toBe(false);
      await expect(buttonFocused()).resolves.toBe(true);
      // The button: Enter opens the dialog with the last query still there, Escape closes it again.
      await fresh.keyboard.press('Enter');
      await expect(isOpen()).resolves.toBe(true);
      await expect(fresh.getByRole('searchbox').inputValue()).resolves.toBe('s3');
      await fresh.keyboard.press('Escape');
      await expect(isOpen()).resolves.toBe(false);
      await expect(buttonFocused()).resolves.toBe(true);
      await expect(fresh.locator('[data-search-open]').getAttribute('aria-keyshortcuts')).resolves.toBe(
        'Control+K Meta+K /',
      );
    } finally {
      await fresh.close();
    }
  });

  it('keeps only the highlights of an excerpt, and says so when the index does not load', async () => {
    const fresh = await freshPage();
    try {
      // A stand-in for pagefind.js whose data carries markup that must not reach the page.
      const fake = `
        export async function options() {}
        export async function init() {}
        export async function debouncedSearch(term) {
          const data = async () => ({
            url: '/introduction/',
            meta: { title: '<b>Bold</b> title' },
            excerpt: 'one <mark>' + term + '</mark> two <img src="/x.png" onerror="window.pwned = 1"><script>window.pwned = 2</script> &lt;i&gt;',
            sub_results: [{ title: '<em>Section</em>', url: '/introduction/#s', excerpt: '<a href="https://attacker.example">three</a>' }],
          });
          return { results: [{ data }] };
        }`;
      await fresh.route('**/pagefind/pagefind.js', (route) =>
        route.fulfill({ contentType: 'text/javascript', body: fake }),
      );
      await fresh.goto(`${workbook.siteUrl}/introduction/`);
      await fresh.locator('[data-search-open]').click();
      await fresh.getByRole('searchbox').fill('hello');
      const link = results(fresh).first();
      await link.waitFor({ timeout: 15_000 });
      await expect(link.locator('.ss-title').textContent()).resolves.toBe('<b>Bold</b> title');
      await expect(link.locator('.ss-excerpt').evaluate((excerpt) => excerpt.innerHTML)).resolves.toBe(
        'one <mark>hello</mark> two  &lt;i&gt;',
      );
      const section = fresh.locator('[data-search-results] ul a');
      await expect(section.evaluate((a) => [a.getAttribute('href'), a.innerHTML])).resolves.toEqual([
        '/introduction/#s',
        '<span class="ss-title">&lt;em&gt;Section&lt;/em&gt;</span><span class="ss-excerpt">three</span>',
      ]);
      await expect(fresh.evaluate(() => (window as { pwned?: number }).pwned)).resolves.toBeUndefined();
    } finally {
      await fresh.close();
    }

    const broken = await freshPage();
    try {
      await broken.route('**/pagefind/pagefind.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
      await broken.goto(`${workbook.siteUrl}/introduction/`);
      await broken.locator('[data-search-open]').click();
      await expect
        .poll(() => broken.getByRole('status').textContent(), { timeout: 10_000 })
        .toMatch(/^The search index could not be loaded \(.+\)\. Reload the page to try again\.$/);
      await expect(broken.getByRole('searchbox').isDisabled()).resolves.toBe(true);
    } finally {
      await broken.close();
    }
  });
});
