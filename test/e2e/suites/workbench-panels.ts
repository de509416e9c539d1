// The workbench's panels in Chromium against a started workbook (npm start, in memory; run once
// against the local cloud and once in AWS mode with a local cloud standing in for AWS): a photo
// uploaded from the page becomes a thumbnail in the resources panel while the flow diagram lights
// up; an order written from the page changes the metric; the HTTP form calls the API; the phone
// gets an identity from the identity pool and invokes the clicks function itself, and is refused
// another function. In AWS mode only the triggers' round trips run again (see itInLocal below).
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFileBrowser, type TestBrowser } from '../../helpers/browser.ts';
import { reusePages } from '../../helpers/page-reuse.ts';
import { type ModeWorkbook, startWorkbookIn, type WorkbookMode } from '../../helpers/workbook-modes.ts';
import { itInLocalMode } from './local-only.ts';

let workbook: ModeWorkbook;
let browser: TestBrowser;

/** Defines the suite against the workbook started in `mode` (each test file runs it in one mode). */
export function workbenchPanelsSuite(mode: WorkbookMode): void {
  // Drag and drop, the phone layout and axe are the page's own: the AWS-mode run keeps the triggers'
  // round trips (the progress bar, CloudWatch Logs' wording, the listings and scans it observes).
  const itInLocal = itInLocalMode(mode);
  beforeAll(async () => {
    workbook = await startWorkbookIn(mode);
    browser = await launchFileBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await workbook?.stop();
  });

  // One page per scenario, its workbench opened once (see page-reuse.ts): the scenario's later tests
  // take it as the earlier left it, resized when they need another width.
  const pages = reusePages(() => browser.context);

  /** The scenario's page with its workbench open, at `viewport`, once the flow and resources panels have mounted. */
  async function openWorkbench(scenario: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await pages.at(scenario, viewport, async (fresh) => {
      const errors: string[] = [];
      fresh.on('pageerror', (error) => errors.push(error.message));
      pageErrors.set(fresh, errors);
      await fresh.goto(`${workbook.siteUrl}/scenarios/${scenario}/`);
      // The workspace may already be reopening itself (an earlier page of this browser left it open,
      // and the page remembers that): a pointer click would then race its opening, a DOM click does not.
      await fresh.evaluate(() => document.querySelector<HTMLButtonElement>('[data-wb-open]')?.click());
    });
    // On a narrow screen the workspace's panes are tabs: the flow diagram is in Run.
    if (viewport.width < 900) await page.locator('.wb-pane-tabs [role="tab"]', { hasText: 'Run' }).click();
    await page.locator('.wb-flow-panel svg[role="img"]').waitFor({ timeout: 60_000 });
    // The resources are a tab beside the result: mounted at once, shown when chosen.
    await page.locator('.wb-resources-panel[data-loaded]').waitFor({ state: 'attached', timeout: 30_000 });
    return page;
  }

  const pageErrors = new WeakMap<Page, string[]>();

  /** Shows one of the workbench's input tabs (its panel mounts on first show). */
  async function showTab(page: Page, name: 'Triggers' | 'Phone') {
    await page.getByRole('tab', { name }).click();
    await page.locator(name === 'Triggers' ? '.wb-triggers-panel .wb-trigger' : '.wb-phone').waitFor();
  }

  /** A real JPEG, `width`×`height`, of one colour. */
  const jpeg = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 90, b: 40 } } })
      .jpeg()
      .toBuffer();

  /** The loaded preview image of `key` in the bucket with `role`, as the page shows it. */
  async function previewSize(page: Page, role: string, key: string): Promise<{ width: number; height: number }> {
    await page.getByRole('tab', { name: 'Resources' }).click();
    const img = page.locator(`.wb-resource[data-role="${role}"] li[data-key="${key}"] img`);
    await img.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      (element) => element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0,
      await img.elementHandle(),
      { timeout: 30_000 },
    );
    return img.evaluate((element: HTMLImageElement) => ({
      width: element.naturalWidth,
      height: element.naturalHeight,
    }));
  }

  describe('workbench panels in Chromium', () => {
    it('thumbnails: a chosen photo becomes a thumbnail, and the flow lights up on the way', async () => {
      const page = await openWorkbench('thumbnails');
      const svg = page.locator('.wb-flow-panel svg[role="img"]');
      await expect(svg.getAttribute('aria-labelledby')).resolves.toMatch(/wb-flow-title-\d+ wb-flow-desc-\d+/);
      await expect(page.locator('.wb-flow-panel desc').textContent()).resolves.toContain('Photos bucket');
      await showTab(page, 'Triggers');
      const lit = page.waitForSelector('.wb-flow__node.is-lit[data-kind="function"]', { timeout: 30_000 });
      // On AWS the function starts seconds after the upload: the wait shows, with why it takes that long.
      const waiting =
        mode === 'aws'
          ? page.waitForSelector(
              '.wb-trigger__outcome[data-state="waiting"] .wb-trigger__wait:not([hidden]) progress',
              {
                timeout: 30_000,
              },
            )
          : undefined;

      await page.locator('.wb-drop__input').setInputFiles({
        name: 'e2e-cat.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpeg(800, 600),
      });
      // The thumbnail function writes a 200 px wide copy to the thumbnails bucket; the panel shows it.
      await expect(previewSize(page, 'thumbnailsBucket', 'e2e-cat.jpg')).resolves.toEqual({ width: 200, height: 150 });
      await expect(previewSize(page, 'photosBucket', 'e2e-cat.jpg')).resolves.toEqual({ width: 800, height: 600 });
      await lit;
      if (waiting) {
        await waiting;
        await expect(page.locator('.wb-trigger__outcome').first().getAttribute('data-follow-up-ms')).resolves.toMatch(
          /^\d+$/,
        );
      }
      await expect(
        page.locator('.wb-resource[data-role="thumbnailsBucket"] li[data-key="e2e-cat.jpg"] img').getAttribute('alt'),
      ).resolves.toContain('e2e-cat.jpg');
      const steps = page.locator('.wb-flow__log [role="log"] ol');
      // The step log tells what each mode sees: the local cloud reports the notification itself; on AWS
      // the workbook sees the function's START line in CloudWatch Logs and the objects in the listings.
      await expect
        .poll(() => steps.textContent(), { timeout: 15_000 })
        .toMatch(
          mode === 'local'
            ? /S3 → notification → Thumbnail function \(Event, attempt 1/
            : /Photos bucket → Thumbnail function started \(seen in CloudWatch Logs\)/,
        );
      if (mode === 'aws') {
        // The step log polls the listings on its own schedule: the thumbnail's line may follow the preview.
        await expect
          .poll(() => steps.textContent(), { timeout: 15_000 })
          .toContain('e2e-cat.jpg new in Thumbnails bucket (seen in the bucket listing)');
      }
      const status = page.locator('.wb-trigger__status').first();
      await expect(status.textContent()).resolves.toMatch(/PutObject .*\/e2e-cat\.jpg/);
      // What the upload set off, and when: the function's start, timed from the upload.
      await expect
        .poll(() => status.textContent(), { timeout: 30_000 })
        .toMatch(/Thumbnail function started [\d.]+ s later\.$/);
      expect(pageErrors.get(page)).toEqual([]);
    });

    itInLocal('thumbnails: drag and drop, the sample photo, and a clear message for a file too large', async () => {
      const page = await openWorkbench('thumbnails');
      await showTab(page, 'Triggers');
      // A drop carries a real File in a DataTransfer, as the browser builds it from the desktop.
      const bytes = [...(await jpeg(320, 240))];
      await page.evaluate((data) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], 'dropped.jpg', { type: 'image/jpeg' }));
        document
          .querySelector('.wb-drop')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, bytes);
      await expect(previewSize(page, 'thumbnailsBucket', 'dropped.jpg')).resolves.toEqual({ width: 200, height: 150 });

      await page.getByRole('button', { name: 'Upload a sample photo' }).click();
      const sample = page.locator('.wb-resource[data-role="thumbnailsBucket"] li[data-key^="sample-"]');
      await sample.first().waitFor({ timeout: 30_000 });
      const key = await sample.first().getAttribute('data-key');
      await expect(previewSize(page, 'thumbnailsBucket', key!)).resolves.toMatchObject({ width: 200 });

      await page.locator('.wb-drop__input').setInputFiles({
        name: 'huge.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
      });
      await expect(page.locator('.wb-trigger [role="alert"]').first().textContent()).resolves.toMatch(
        /"huge.jpg" is 5\.0 MB; the workbench sends photos up to 5 MB/,
      );
    });

    it('stream-metrics: writing an order changes the metric, a click record counts a page', async () => {
      const page = await openWorkbench('stream-metrics');
      await showTab(page, 'Triggers');
      const triggers = page.locator('.wb-triggers-panel');
      const metrics = page.locator('.wb-resource[data-role="metricsTable"]');
      /** The `orders` metric row as {column: cell text}. */
      const ordersRow = () =>
        metrics.evaluate((section) => {
          // The lesson's rows (the first table; the idempotency marks are folded in another).
          const table = section.querySelector('table.wb-items');
          if (!table) return undefined;
          const headers = [...table.querySelectorAll('th')].map((th) => th.textContent ?? '');
          for (const row of table.querySelectorAll('tbody tr')) {
            const cells = [...row.querySelectorAll('td')].map((td) => td.textContent ?? '');
            const record = Object.fromEntries(headers.map((name, i) => [name, cells[i] ?? '']));
            if (record.metric === 'orders') return record;
          }
          return undefined;
        });
      const before = Number((await ordersRow())?.revenue || 0);

      await triggers.getByLabel('Order id').fill('order-e2e-1');
      await triggers.getByLabel('Total').fill('12.5');
      await page.getByRole('button', { name: 'Put order' }).click();
      await expect
        .poll(async () => Number((await ordersRow())?.revenue || 0), { timeout: 30_000 })
        .toBeCloseTo(before + 12.5);
      await expect(page.locator('.wb-resource[data-role="ordersTable"]').textContent()).resolves.toContain(
        'order-e2e-1',
      );

      await page.getByRole('button', { name: 'Delete order' }).click();
      await expect.poll(async () => Number((await ordersRow())?.revenue || 0), { timeout: 30_000 }).toBeCloseTo(before);

      await triggers.getByLabel('Page', { exact: true }).fill('/e2e-pricing');
      await page.getByRole('button', { name: 'Put click record' }).click();
      await expect.poll(() => metrics.textContent(), { timeout: 30_000 }).toContain('page#/e2e-pricing');

      await triggers.getByLabel('Total').fill('lots');
      await page.getByRole('button', { name: 'Put order' }).click();
      await expect(page.locator('.wb-trigger [role="alert"]').first().textContent()).resolves.toContain(
        'Total must be a number',
      );
    });

    it('web-backend: the HTTP form calls the API and shows status, headers and body', async () => {
      const page = await openWorkbench('web-backend');
      await showTab(page, 'Triggers');
      await page.getByRole('button', { name: 'POST /items', exact: true }).click();
      await page.getByRole('button', { name: 'Send request' }).click();
      const response = page.locator('.wb-http-response');
      await expect.poll(() => response.getAttribute('data-status'), { timeout: 30_000 }).toBe('201');
      await expect(response.locator('pre').textContent()).resolves.toContain('"name": "Desk lamp"');
      await expect(response.locator('dl').textContent()).resolves.toContain('application/json');

      await page.getByRole('button', { name: 'GET /items', exact: true }).click();
      await page.getByRole('button', { name: 'Send request' }).click();
      await expect.poll(() => response.getAttribute('data-status'), { timeout: 30_000 }).toBe('200');
      await expect(response.locator('pre').textContent()).resolves.toContain('Desk lamp');

      await page.getByRole('button', { name: 'POST invalid item' }).click();
      await page.getByRole('button', { name: 'Send request' }).click();
      await expect.poll(() => response.getAttribute('data-status'), { timeout: 30_000 }).toBe('400');
      await expect(response.locator('.wb-http-response__status').textContent()).resolves.toBe('HTTP 400');
    });

    it('mobile-clicks: the phone invokes the clicks function with identity-pool credentials, and is denied another', async () => {
      const page = await openWorkbench('mobile-clicks');
      await showTab(page, 'Phone');
      const cloud = new URL(workbook.cloudEndpoint).origin;
      const calls: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).origin === cloud && request.method() === 'POST') {
          // STS speaks the query protocol: a form POST to `/`, named by its Action.
          const action = new URLSearchParams(request.postData() ?? '').get('Action');
          const path = new URL(request.url()).pathname;
          calls.push(request.headers()['x-amz-target'] ?? (path === '/' && action ? `STS.${action}` : path));
        }
      });
      const phone = page.locator('.wb-phone');
      await phone.getByRole('button', { name: 'Like' }).click();
      const answer = phone.locator('.wb-phone__answer');
      await expect.poll(() => answer.textContent(), { timeout: 30_000 }).toMatch(/^like: \d+ taps? in total$/);
      const first = Number(/\d+/.exec((await answer.textContent()) ?? '')?.[0]);
      await expect(phone.locator('[data-field="identity"]').textContent()).resolves.toMatch(
        /^us-east-1:[0-9a-f-]{36}$/,
      );
      await expect(phone.locator('[data-field="expiry"]').textContent()).resolves.toMatch(/^expire at \d\d:\d\d:\d\d/);
      // The browser itself called Cognito, STS and Lambda on the cloud's endpoint: the basic flow.
      expect(calls).toEqual([
        'AWSCognitoIdentityService.GetId',
        'AWSCognitoIdentityService.GetOpenIdToken',
        'STS.AssumeRoleWithWebIdentity',
        expect.stringMatching(/^\/2015-03-31\/functions\/.+\/invocations$/),
      ]);

      await phone.getByRole('button', { name: 'Like' }).click();
      await expect.poll(() => answer.textContent(), { timeout: 30_000 }).toBe(`like: ${first + 1} taps in total`);
      // Cached credentials: the second tap goes straight to Lambda.
      expect(calls.filter((call) => !call.startsWith('/2015-03-31/functions/'))).toHaveLength(3);
      expect(calls).toHaveLength(5);

      await phone.getByRole('button', { name: 'Invoke another function' }).click();
      const denied = phone.locator('.wb-phone__denied');
      await expect.poll(() => denied.getAttribute('data-code'), { timeout: 30_000 }).toBe('AccessDeniedException');
      await expect(denied.textContent()).resolves.toMatch(
        /^Denied, as it should be: AccessDeniedException \(HTTP 403\): .*lambda:InvokeFunction/,
      );
      await expect(denied.getAttribute('class')).resolves.toContain('is-denied');
    });

    itInLocal(
      'on a 375 px phone the diagram runs top to bottom, nothing scrolls sideways, motion follows the setting',
      async () => {
        const page = await openWorkbench('stream-metrics', { width: 375, height: 800 });
        await expect(page.locator('.wb-flow-panel svg').getAttribute('data-orientation')).resolves.toBe('vertical');
        // Never scaled so far that its text cannot be read: wider than the phone, it scrolls in its
        // own box and says so.
        const figure = page.locator('.wb-flow-panel .wb-flow__grid .wb-flow__figure');
        const scrolls = await figure.evaluate((box) => box.scrollWidth > box.clientWidth + 1);
        await expect(figure.locator('.wb-flow__scroll-hint').isVisible()).resolves.toBe(scrolls);
        const box = await figure.boundingBox();
        expect(box!.width).toBeLessThanOrEqual(375);
        // Nothing on the page reaches past the screen's right edge (named, so a failure says what does).
        const sticking = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const clipped = (element: Element) => {
            for (let up = element.parentElement; up; up = up.parentElement) {
              if (getComputedStyle(up).overflowX !== 'visible') return true;
            }
            return false;
          };
          return [...document.querySelectorAll('body *')]
            .filter((element) => element.getBoundingClientRect().right > width + 1 && !clipped(element))
            .map((element) => `${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''}`);
        });
        expect(sticking).toEqual([]);
        await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);

        // A lit node pulses, unless the learner asked for less motion.
        const animation = () =>
          page.evaluate(() => {
            const node = document.querySelector('.wb-flow__node')!;
            node.classList.add('is-lit');
            const name = getComputedStyle(node.querySelector('rect')!).animationName;
            node.classList.remove('is-lit');
            return name;
          });
        await expect(animation()).resolves.toBe('wb-flow-glow');
        await page.emulateMedia({ reducedMotion: 'reduce' });
        await expect(animation()).resolves.toBe('none');
      },
    );

    // Four full axe-core scans of a heavy page: each takes seconds of CPU, tens on a busy machine.
    itInLocal('has no axe-core violations in the panels, in light and dark mode', { timeout: 240_000 }, async () => {
      const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
      for (const [scenario, tab, panel] of [
        ['thumbnails', 'Triggers', '.wb-triggers-panel'],
        ['mobile-clicks', 'Phone', '.wb-mobile-panel'],
      ] as const) {
        const page = await openWorkbench(scenario);
        await showTab(page, tab);
        await page.addScriptTag({ path: axePath });
        for (const theme of ['light', 'dark']) {
          await page.evaluate((value) => document.documentElement.setAttribute('data-theme', value), theme);
          const violations = await page.evaluate(
            async (include) => {
              type Axe = {
                run(
                  context: unknown,
                  options: unknown,
                ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
              };
              const result = await (window as unknown as { axe: Axe }).axe.run(
                { include: include.map((selector) => [selector]) },
                { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } },
              );
              return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
            },
            ['.wb-flow-panel', '.wb-resources-panel', panel],
          );
          expect(violations, `${scenario} (${theme})`).toEqual([]);
        }
      }
    });
  });
}
