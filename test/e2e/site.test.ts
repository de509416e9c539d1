import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../scenarios/catalog.ts';
import { loadExercises } from '../../site/server/checks/exercises.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { type RunningWorkbook, startWorkbook } from '../helpers/workbook.ts';

let workbook: RunningWorkbook;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  workbook = await startWorkbook();
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

  it('finds a lesson with the Pagefind search', async () => {
    await page.goto(workbook.siteUrl);
    await page.locator('site-search button[data-open-modal]').first().click();
    const input = page.locator('site-search dialog input');
    await input.fill('thumbnail');
    const firstResult = page.locator('site-search dialog .pagefind-ui__result-link').first();
    await firstResult.waitFor({ timeout: 15_000 });
    await expect(firstResult.getAttribute('href')).resolves.toContain('/scenarios/thumbnails/');
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
      expect(page, scenario).toMatch(/<desc id="flow-[0-9a-f]{8}-desc"[^>]*>[^<]{40,}<\/desc>/);
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
    expect(introduction.match(/data-flow-sketch/g)).toHaveLength(2);
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
