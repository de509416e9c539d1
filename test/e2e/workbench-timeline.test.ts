// The workbench's one timeline of invocations in Chromium, against its own workbook (its counts
// must not see another file's invocations): each invocation once, the Run's own pinned and paired
// with the invocation its sample upload set off, an async event's retries grouped under it up to
// "Dropped … RetriesExhausted", filters by outcome and function, Clear, the bound on what it keeps;
// the title in the lesson's words with the deployed name at hand; an invalid event said beside the
// editor; a re-run stream sample explained in one line. Screenshots at 1280 and 375 px go to
// $WORKBOOK_SHOTS/timeline/ when that variable names a folder (for a review; an ordinary run takes none).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_HEADER } from '../../site/lib/workbench-api.ts';
import { reachableApiUrl, type Target } from '../../site/server/target.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { getCode, openWorkbench, setCode, whenNotBusy } from '../helpers/workbench-page.ts';
import { type RunningWorkbook, startWorkbook } from '../helpers/workbook.ts';

let workbook: RunningWorkbook;
let browser: TestBrowser;
const SHOTS = process.env.WORKBOOK_SHOTS ? join(process.env.WORKBOOK_SHOTS, 'timeline') : undefined;
/** Run's own wait for the workbench to be idle again (a cold start and an upload included). */
const RUN_WAIT_MS = 60_000;

beforeAll(async () => {
  workbook = await startWorkbook();
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbook.siteUrl });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await workbook?.stop();
});

/** Clicks Run and waits until the workbench is no longer busy. */
async function run(page: Page): Promise<void> {
  await page.locator('[data-wb-action="run"]').click();
  await whenNotBusy(page, RUN_WAIT_MS);
}

/** Shows the Test event tab and puts `text` in the event editor. */
async function setEvent(page: Page, scenario: string, text: string): Promise<void> {
  await page.locator(`#wb-${scenario}-in-tab-event`).click();
  await page.locator(`#wb-${scenario}-event-json`).fill(text);
}

/** Chooses a sample event and returns its JSON. */
async function chooseSample(page: Page, scenario: string, name: string): Promise<string> {
  await page.locator(`#wb-${scenario}-in-tab-event`).click();
  await page.locator(`#wb-${scenario}-event-select`).selectOption(name);
  return page.locator(`#wb-${scenario}-event-json`).inputValue();
}

const invocations = (page: Page, within = '.wb-timeline') => page.locator(`${within} .wb-tl-invocation`).count();

/** The timeline's text outside the logs (the function's own output may say anything). */
const wordsOutsideLogs = (page: Page) =>
  page.locator('.wb-timeline').evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const pre of copy.querySelectorAll('pre')) pre.remove();
    return copy.textContent ?? '';
  });

describe('the timeline of invocations', () => {
  // Three Runs, each followed by what it set off (the S3 pair, two retries, the listing): the test's
  // budget is their waits' sum, not Vitest's 60 s (which a machine shared eight ways ran out of).
  it('thumbnails: each invocation once, the Run pinned and paired, retries grouped, filters and Clear', {
    timeout: 3 * RUN_WAIT_MS + 30_000 + 30_000 + 15_000,
  }, async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await openWorkbench(page, workbook.siteUrl, 'thumbnails');

    // The title speaks the lesson's words; the deployed name is in its title and on the copy button.
    const title = page.locator('[data-wb-function-title]');
    await expect(title.textContent()).resolves.toBe('Thumbnail function');
    const physical = await page.locator('[data-wb-copy-name]').getAttribute('data-wb-copy-name');
    expect(physical).toMatch(/^LambdaWorkbook-Thumbnail/);
    await expect(title.getAttribute('title')).resolves.toBe(`Thumbnail function: deployed as ${physical}`);
    await page.locator('[data-wb-copy-name]').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 5_000 }).toBe(physical);

    // Run #1 with the sample whose photo is not there yet: Run uploads it, S3 notifies the function,
    // so two invocations — the Run's own (pinned) and the notification's (listed, labelled as its pair).
    await chooseSample(page, 'thumbnails', 'object-created-put');
    await run(page);
    await expect(page.locator('.wb-status-line').textContent()).resolves.toMatch(/^Succeeded/);
    // The Run's REPORT figures are on screen at 1280×800, right under the status line.
    const figures = await page.locator('.wb-result .wb-report-figures').boundingBox();
    expect(figures && figures.height > 0 && figures.y >= 0 && figures.y + figures.height <= 800).toBe(true);
    const pinned = page.locator('.wb-pinned .wb-tl-event');
    await expect(pinned.getAttribute('data-run')).resolves.toBe('1');
    await expect(pinned.locator('.wb-tl-trigger-badge').textContent()).resolves.toBe('Run #1');
    await expect(pinned.locator('.wb-tl-function').textContent()).resolves.toBe('Thumbnail function');
    await expect(pinned.locator('.wb-tl-function').getAttribute('title')).resolves.toBe(`Deployed as ${physical}`);
    const pair = page.locator('.wb-tl-list .wb-tl-event[data-trigger="s3"]');
    await expect.poll(() => pair.getAttribute('data-outcome'), { timeout: 30_000 }).toBe('succeeded');
    await expect(pair.locator('.wb-tl-trigger').textContent()).resolves.toMatch(
      /^\d\d:\d\d:\d\d S3 notification: ObjectCreated:Put of .+ in Photos bucket — set off by Run #1, which uploaded this sample first$/,
    );
    await expect(pinned.locator('p.wb-tl-pair').textContent()).resolves.toMatch(/second invocation is listed below/);
    expect(await invocations(page)).toBe(2);
    expect(await invocations(page, '.wb-pinned')).toBe(1);
    await expect(page.locator('[data-wb-count]').textContent()).resolves.toBe('2 invocations');

    // An invalid event: said beside the event editor (its tab shown), not only to screen readers.
    await setEvent(page, 'thumbnails', '{ Records: [] }');
    await page.locator('#wb-thumbnails-in-tab-triggers').click();
    await page.locator('[data-wb-action="run"]').click();
    const note = page.locator('[data-wb-run-note]');
    await note.waitFor({ state: 'visible' });
    await expect(note.textContent()).resolves.toMatch(
      /^Not run: the test event is not valid JSON — .+ \(line 1, column 3\)\. Fix it in the Test event tab\.$/,
    );
    const box = await note.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 800 && box.x + box.width <= 1280).toBe(true);
    await expect(page.locator('#wb-thumbnails-in-tab-event').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.locator('#wb-thumbnails-event-error').isVisible()).resolves.toBe(true);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/invalid-json-1280.png` });
    expect(await invocations(page)).toBe(2);

    // Run #2, queued (Event), for a photo that is not there: NoSuchKey, Lambda retries twice, then drops it.
    const sample = JSON.parse(await chooseSample(page, 'thumbnails', 'object-created-put'));
    await expect(note.isHidden()).resolves.toBe(true);
    sample.Records[0].s3.object.key = 'not-there-e2e.jpg';
    await setEvent(page, 'thumbnails', JSON.stringify(sample, null, 2));
    await page.locator('#wb-thumbnails-invocation-Event').check();
    await run(page);
    await expect(page.locator('.wb-pinned .wb-tl-event').getAttribute('data-run')).resolves.toBe('2');
    await expect
      .poll(async () => (await page.locator('.wb-pinned .wb-tl-note').allTextContents()).join('\n'), {
        timeout: 30_000,
      })
      .toMatch(/Dropped after 3 attempts: RetriesExhausted — /);
    const attempts = page.locator('.wb-pinned .wb-tl-invocation');
    await expect(
      attempts.evaluateAll((items) => items.map((item) => item.getAttribute('data-attempt'))),
    ).resolves.toEqual(['1', '2', '3']);
    await expect(
      attempts.evaluateAll((items) => items.map((item) => item.getAttribute('data-status'))),
    ).resolves.toEqual(['failed', 'failed', 'failed']);
    await expect(page.locator('.wb-pinned .wb-tl-event').getAttribute('data-outcome')).resolves.toBe('failed');
    expect(await invocations(page)).toBe(5);

    // Run #3, the sample again (its photo is there now: one invocation). Run #2 goes back to the list, once.
    await chooseSample(page, 'thumbnails', 'object-created-put');
    await page.locator('#wb-thumbnails-invocation-RequestResponse').check();
    await run(page);
    await expect(page.locator('.wb-pinned .wb-tl-event').getAttribute('data-run')).resolves.toBe('3');
    await expect.poll(() => invocations(page), { timeout: 15_000 }).toBe(6);
    await expect(page.locator('.wb-tl-list > .wb-tl-event').count()).resolves.toBe(3);
    await expect(page.locator('[data-wb-count]').textContent()).resolves.toBe('6 invocations');
    // No step type (lambda.invoke.start, …) reaches the learner.
    expect(await wordsOutsideLogs(page)).not.toMatch(/\b(lambda|s3|esm|dynamodb|apigateway|iam|logs|sts)\.[a-z]+/);

    // Filters: by outcome (one function here, so no function filter to show).
    await expect(page.locator(`#wb-thumbnails-tl-function`).isVisible()).resolves.toBe(false);
    await page.locator('#wb-thumbnails-tl-outcome').selectOption('failed');
    await expect(page.locator('.wb-tl-list > .wb-tl-event').count()).resolves.toBe(1);
    await expect(invocations(page, '.wb-tl-list')).resolves.toBe(3);
    await expect(page.locator('[data-wb-count]').textContent()).resolves.toBe('3 of 5 shown');
    await page.locator('#wb-thumbnails-tl-outcome').selectOption('succeeded');
    await expect(page.locator('.wb-tl-list > .wb-tl-event').count()).resolves.toBe(2);
    await page.locator('#wb-thumbnails-tl-outcome').selectOption('');
    if (SHOTS) {
      await page
        .locator('.wb-tl-list .wb-tl-event[data-outcome="failed"] details')
        .first()
        .evaluate((d) => {
          (d as HTMLDetailsElement).open = true;
        });
      await page.screenshot({ path: `${SHOTS}/timeline-1280.png` });
      await page.locator('.wb-outputs').screenshot({ path: `${SHOTS}/timeline-panel-1280.png` });
      // For review, the whole timeline at the panel's width (its box scrolls on screen).
      const unclip = await page.addStyleTag({
        content:
          '.wb-outputs, .wb-outputs *, .wb-pane-run { max-height: none !important; overflow: visible !important; }',
      });
      await page.locator('.wb-timeline').screenshot({ path: `${SHOTS}/timeline-whole-1280.png` });
      await unclip.evaluate((style) => (style as Element).remove());
      await page.setViewportSize({ width: 375, height: 800 });
      await page.locator('.wb-pane-tabs [role="tab"]', { hasText: 'Run' }).click();
      await page.locator('.wb-result').evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `${SHOTS}/timeline-375.png` });
      await page.locator('.wb-tl-list').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/timeline-list-375.png` });
      await page.setViewportSize({ width: 1280, height: 800 });
    }

    // Clear empties it all.
    await page.locator('[data-wb-clear]').click();
    expect(await invocations(page)).toBe(0);
    await expect(page.locator('[data-wb-count]').textContent()).resolves.toBe('0 invocations');
    await expect(page.locator('.wb-status-line').isHidden()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stream-metrics: a re-run sample says why nothing counted; the function filter', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await openWorkbench(page, workbook.siteUrl, 'stream-metrics');
    await expect(page.locator('[data-wb-function-title]').textContent()).resolves.not.toMatch(/LambdaWorkbook-/);

    await chooseSample(page, 'stream-metrics', 'orders-insert');
    await run(page);
    await expect(page.locator('.wb-status-line').textContent()).resolves.toMatch(/^Succeeded/);
    await expect(page.locator('.wb-pinned .wb-tl-why').count()).resolves.toBe(0);
    await run(page);
    const why = page.locator('.wb-pinned .wb-tl-why');
    await expect(why.getAttribute('data-why')).resolves.toBe('idempotency');
    await expect(why.textContent()).resolves.toMatch(
      /^Nothing was counted: (this record was|these \d+ records were) already applied\./,
    );
    if (SHOTS) await page.locator('.wb-outputs').screenshot({ path: `${SHOTS}/idempotency-1280.png` });

    // Run #3 is the other function's (the Kinesis sample): the filter tells the two apart.
    await chooseSample(page, 'stream-metrics', 'kinesis-clicks');
    await run(page);
    const clicks = await page.locator('.wb-pinned .wb-tl-event').getAttribute('data-function');
    const filter = page.locator('#wb-stream-metrics-tl-function');
    await expect(filter.isVisible()).resolves.toBe(true);
    const labels = await filter.locator('option').allTextContents();
    expect(labels).toHaveLength(3);
    expect(labels.join(' ')).not.toMatch(/LambdaWorkbook-/);
    await filter.selectOption(clicks!);
    await expect(page.locator('.wb-tl-list > .wb-tl-event').count()).resolves.toBe(0);
    await expect(page.locator('.wb-tl-empty').textContent()).resolves.toBe('No invocation matches the filter.');
    const metrics = await filter.locator('option').nth(1).getAttribute('value');
    expect(metrics).not.toBe(clicks);
    await filter.selectOption(metrics!);
    await expect(page.locator('.wb-tl-list > .wb-tl-event').count()).resolves.toBe(2);
    await page.close();
  });

  it('mobile-clicks: an init phase that runs out of time says so, not "Unhandled after 0 ms"', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await openWorkbench(page, workbook.siteUrl, 'mobile-clicks');
    // Module code that outlasts Lambda's 10 s init limit (a busy loop: the init phase is killed, not awaited).
    const stuck = `const initUntil = Date.now() + 12_000;\nwhile (Date.now() < initUntil) {}\n${await getCode(page)}`;
    await setCode(page, stuck);
    await run(page);
    await expect(page.locator('.wb-status-line').textContent()).resolves.toMatch(
      /^Failed: the init phase timed out after [\d,.]+ ms; the handler never ran\.$/,
    );
    const why = page.locator('.wb-pinned .wb-tl-why');
    await expect(why.getAttribute('data-why')).resolves.toBe('init-timeout');
    await expect(page.locator('.wb-pinned .wb-tl-invocation').getAttribute('data-status')).resolves.toBe('timed-out');
    if (SHOTS) await page.locator('.wb-outputs').screenshot({ path: `${SHOTS}/init-timeout-1280.png` });
    await page.close();
  });

  it('web-backend: keeps the newest 50 events and says how many older ones it dropped', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await openWorkbench(page, workbook.siteUrl, 'web-backend');
    const session = (await (await fetch(`${workbook.siteUrl}/api/session`)).json()) as { token: string };
    const info = (await (
      await fetch(`${workbook.siteUrl}/api/scenarios/web-backend`, { headers: { [TOKEN_HEADER]: session.token } })
    ).json()) as { outputs: Record<string, string> };
    // The HTTP API's URL as the local cloud serves it (site/server/target.ts, as the HTTP form uses it).
    const api = reachableApiUrl(info.outputs.ApiUrl ?? '', { endpoint: workbook.cloudEndpoint } as Target);
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const get = async () => expect((await fetch(`${api}/items`)).status).toBe(200);
    // The page follows the trace: the first request's invocation shows before the flood.
    await get();
    await expect.poll(() => invocations(page), { timeout: 15_000 }).toBe(1);
    await expect(page.locator('[data-wb-bound]').isHidden()).resolves.toBe(true);
    await expect(page.locator('.wb-tl-list .wb-tl-event').first().getAttribute('data-trigger')).resolves.toBe('api');
    for (let i = 0; i < 54; i++) await get();
    await expect
      .poll(() => page.locator('[data-wb-bound]').textContent(), { timeout: 30_000 })
      .toBe('5 older events were dropped: the timeline keeps the latest 50.');
    expect(await page.locator('.wb-tl-list > .wb-tl-event').count()).toBe(50);
    expect(await invocations(page)).toBe(50);
    await page.close();
  });
});
