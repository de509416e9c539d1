// The configuration view and saved test events, walked as a learner does in Chromium: change
// memory, timeout and an environment variable in the Configuration tab and see the next Run's
// REPORT line and answer follow (a 1 s timeout stops a slow handler); have a value outside Lambda's
// limits refused before it is sent and Lambda's own refusal shown in its words; save a named test
// event, find it after a reload, pick it and delete it; and open every scenario on a sample that
// succeeds. Its own workbook: it changes a function's configuration.
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SCENARIO_IDS, SCENARIOS } from '../../scenarios/catalog.ts';
import type { InvokeResult } from '../../site/lib/workbench-api.ts';
import { launchBrowser, launchForFreshProfiles, type TestBrowser } from '../helpers/browser.ts';
import { reusePages } from '../helpers/page-reuse.ts';
import { openWorkbench, setCode, whenNotBusy } from '../helpers/workbench-page.ts';
import { type RunningWorkbook, startWorkbook } from '../helpers/workbook.ts';

let workbook: RunningWorkbook;
let browser: TestBrowser;

beforeAll(async () => {
  workbook = await startWorkbook();
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbook.siteUrl });
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await workbook?.stop();
});

/**
 * One page per scenario, its workbench opened once (see page-reuse.ts): the configuration view's
 * web-backend page is the one "who may invoke" reads web-backend's policy on, and that test's
 * mobile-clicks page is where the saved events test starts (before it reloads on purpose).
 */
const pages = reusePages(() => browser.context);
/** The scenario's page with its workbench open (at 1280×800 when new). */
const workbenchPage = (scenario: string) =>
  pages.at(scenario, { width: 1280, height: 800 }, (fresh) => openWorkbench(fresh, workbook.siteUrl, scenario));

/** Clicks Run and answers what the invoke route answered the page (deploying first when the code changed). */
async function run(page: Page): Promise<InvokeResult> {
  const answered = page.waitForResponse(
    (response: Response) => response.url().endsWith('/invoke') && response.request().method() === 'POST',
    { timeout: 90_000 },
  );
  await page.locator('[data-wb-action="run"]').click();
  const response = await answered;
  await whenNotBusy(page, 30_000);
  return (await response.json()) as InvokeResult;
}

const reportLine = (result: InvokeResult) => result.logs.split('\n').find((line) => line.startsWith('REPORT')) ?? '';

describe('the configuration view', () => {
  let page: Page;
  const panel = () => page.locator('.wb-config-panel');

  beforeEach(async () => {
    page = await workbenchPage('web-backend');
  });

  /** Types into the form and saves; waits until the view shows what Lambda applied. */
  async function save(): Promise<string> {
    await panel().locator('[data-wb-config-save]').click();
    await page.locator('.wb-config-panel[data-wb-saving]').waitFor({ state: 'detached', timeout: 60_000 });
    return (await panel().locator('.wb-config__status').textContent()) ?? '';
  }

  async function setVariable(name: string, value: string): Promise<void> {
    await panel().getByRole('button', { name: 'Add variable' }).click();
    const row = panel().locator('tbody tr').last();
    await row.locator('[data-wb-var-name]').fill(name);
    await row.locator('[data-wb-var-value]').fill(value);
  }

  it('shows the function’s settings, its HTTP routes and its role’s policy', async () => {
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await panel().locator('[data-wb-config-save]').waitFor({ timeout: 30_000 });

    await expect(panel().getByLabel('Memory (MB)').inputValue()).resolves.toBe('256');
    await expect(panel().getByLabel('Timeout (seconds)').inputValue()).resolves.toBe('10');
    await expect(panel().locator('[data-wb-reserved]').getAttribute('data-wb-reserved')).resolves.toBe('2');
    const routes = await panel().locator('[data-wb-trigger="http-route"] .wb-config__trigger-title').allTextContents();
    expect(routes).toEqual(expect.arrayContaining(['GET /items', 'POST /items']));
    const policy = (await panel().locator('.wb-config__policies').textContent()) ?? '';
    expect(policy).toMatch(/Allow [^\n]*dynamodb:/);
    // The function's variables as deployed (the items table's name), in the table.
    const names = await panel()
      .locator('[data-wb-var-name]')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(names).toContain('ITEMS_TABLE');
  });

  it('refuses values outside Lambda’s limits before sending them, and shows Lambda’s own refusal', async () => {
    let posted = 0;
    const count = (request: { url(): string; method(): string }) => {
      if (request.url().endsWith('/configuration') && request.method() === 'POST') posted += 1;
    };
    page.on('request', count);
    await panel().getByLabel('Memory (MB)').fill('64');
    await panel().getByLabel('Timeout (seconds)').fill('901');
    await panel().locator('[data-wb-config-save]').click();
    await expect(panel().locator('.wb-field-error').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('from 128 to 10,240'), expect.stringContaining('from 1 to 900')]),
    );
    await expect(panel().getByLabel('Memory (MB)').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(posted).toBe(0);

    // A reserved name passes the page's checks (Lambda keeps the list): Lambda's words are shown.
    await panel().getByRole('button', { name: 'Undo changes' }).click();
    await setVariable('AWS_REGION', 'mars-1');
    await save();
    page.off('request', count);
    expect(posted).toBe(1);
    const refusal = panel().locator('.wb-config__form .wb-error');
    await expect(refusal.textContent()).resolves.toMatch(
      /Lambda refused the change.*InvalidParameterValueException.*Reserved keys used in this request: AWS_REGION/,
    );
    await panel().getByRole('button', { name: 'Undo changes' }).click();
  });

  it('a 1 s timeout stops a slow handler; memory and a variable reach the next invocations', async () => {
    // Arrange: a handler that waits as long as SLEEP_MS says and answers GREETING
    await setCode(
      page,
      [
        'export const handler = async () => {',
        '  await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLEEP_MS ?? 0)));',
        '  return { statusCode: 200, body: JSON.stringify({ greeting: process.env.GREETING ?? null }) };',
        '};',
        '',
      ].join('\n'),
    );
    await panel().getByLabel('Memory (MB)').fill('384');
    await panel().getByLabel('Timeout (seconds)').fill('1');
    await setVariable('GREETING', 'hello from the configuration view');
    await setVariable('SLEEP_MS', '2500');

    // Act
    const saved = await save();

    // Assert: Lambda applied it (its LastUpdateStatus), the view shows it, the next Run times out at 1 s
    expect(saved).toMatch(
      /^Saved: memory 384 MB, timeout 1 s, \d+ environment variables \(LastUpdateStatus Successful/,
    );
    await expect(panel().getAttribute('data-wb-memory')).resolves.toBe('384');
    const slow = await run(page);
    expect(slow.functionError).toBe('Unhandled');
    expect(JSON.stringify(slow.payload)).toContain('Task timed out after 1.00 seconds');
    expect(reportLine(slow)).toMatch(/Memory Size: 384 MB/);
    // The page shows the same REPORT figures.
    await expect(page.locator('[data-wb-root]').textContent()).resolves.toMatch(/384 MB/);

    // WHEN the timeout is long enough again
    await panel().getByLabel('Timeout (seconds)').fill('5');
    expect(await save()).toMatch(/^Saved: timeout 5 s/);
    const answered = await run(page);

    // THEN the handler finishes and answers the variable set in the view
    expect(answered.functionError).toBeUndefined();
    expect(JSON.parse((answered.payload as { body: string }).body)).toEqual({
      greeting: 'hello from the configuration view',
    });
    expect(reportLine(answered)).toMatch(/Memory Size: 384 MB\tMax Memory Used: \d+ MB/);
  });
});

describe('who may invoke: triggers and resource-based policies', () => {
  let page: Page;
  const panel = () => page.locator('.wb-config-panel');

  async function openConfig(scenario: string): Promise<void> {
    page = await workbenchPage(scenario);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await panel().locator('[data-wb-resource-policy] h4').waitFor({ timeout: 30_000 });
  }

  it('mobile-clicks: the app invokes directly with the guest role, which its own policy allows; no resource policy', async () => {
    await openConfig('mobile-clicks');
    const trigger = panel().locator('[data-wb-trigger="identity-pool-invoke"]');
    await expect(trigger.count()).resolves.toBe(1);
    const text = (await trigger.textContent()) ?? '';
    expect(text).toContain('Direct Invoke by the mobile app (RequestResponse, with identity pool credentials)');
    expect(text).toMatch(/Allowed by.*Allow lambda:InvokeFunction on arn:aws:lambda:[^ ]+:function:/);
    expect(text).toContain('RequestResponse (the app waits for the answer)');
    // The raw statements and trust policy are one click away.
    await trigger.locator('summary').click();
    await expect(trigger.locator('pre').textContent()).resolves.toContain('cognito-identity.amazonaws.com');
    await expect(panel().locator('[data-wb-resource-policy]').textContent()).resolves.toContain(
      'None. Nothing is allowed by the function itself',
    );
    await expect(panel().textContent()).resolves.not.toContain('Nothing invokes this function');
  });

  it('thumbnails: S3 may invoke it for the photos bucket, said in words and shown as JSON', async () => {
    await openConfig('thumbnails');
    const section = panel().locator('[data-wb-resource-policy]');
    const lines = await section.locator('.wb-config__statements li').allTextContents();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(
        /^S3 \(s3\.amazonaws\.com\) may invoke it for notifications from bucket \S+, in account \d{12}\.$/,
      );
    }
    await section.locator('summary').click();
    await expect(section.locator('pre').textContent()).resolves.toContain('"lambda:InvokeFunction"');
    await pages.close('thumbnails');
  });

  it('web-backend: API Gateway may invoke it for the API’s routes', async () => {
    await openConfig('web-backend');
    const lines = await panel().locator('[data-wb-resource-policy] .wb-config__statements li').allTextContents();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/^API Gateway \(apigateway\.amazonaws\.com\) may invoke it for requests to HTTP API \S+, /);
    }
    await pages.close('web-backend');
  });
});

describe('saved test events', () => {
  it('saves a named event that survives a reload, can be picked, and deleted', async () => {
    const page = await workbenchPage('mobile-clicks');
    try {
      await page.getByRole('tab', { name: 'Test event' }).click();
      const json = page.locator('#wb-mobile-clicks-event-json');
      const name = page.locator('#wb-mobile-clicks-event-name');
      const select = page.locator('#wb-mobile-clicks-event-select');

      // A name the console would refuse is refused, and nothing is saved.
      await json.fill('{"button": "share", "clientId": "us-east-1:abc"}');
      await name.fill('my share click!');
      await page.locator('[data-wb-event-save]').click();
      await expect(page.locator('#wb-mobile-clicks-event-name-error').textContent()).resolves.toMatch(
        /letters, digits, - and _/,
      );
      await expect(select.locator('option[value^="saved:"]').count()).resolves.toBe(0);

      await name.fill('share-click');
      await page.locator('[data-wb-event-save]').click();
      await expect(select.inputValue()).resolves.toBe('saved:share-click');

      // Reload: it is still there; pick another sample, then the saved one again.
      await openWorkbench(page, workbook.siteUrl, 'mobile-clicks');
      await page.getByRole('tab', { name: 'Test event' }).click();
      await expect(select.locator('option[value="saved:share-click"]').count()).resolves.toBe(1);
      await select.selectOption('click-invalid');
      await expect(json.inputValue()).resolves.toContain('drop table');
      await select.selectOption('saved:share-click');
      await expect(json.inputValue()).resolves.toBe('{"button": "share", "clientId": "us-east-1:abc"}');
      const result = await run(page);
      expect(result.payload).toEqual({ button: 'share', count: 1 });

      // Delete: gone, also after a reload.
      await page.locator('[data-wb-event-delete]').click();
      await expect(select.locator('option[value="saved:share-click"]').count()).resolves.toBe(0);
      await openWorkbench(page, workbook.siteUrl, 'mobile-clicks');
      await page.getByRole('tab', { name: 'Test event' }).click();
      await expect(select.locator('option[value^="saved:"]').count()).resolves.toBe(0);
    } finally {
      await pages.close('mobile-clicks');
    }
  });
});

describe('the sample each scenario opens on', () => {
  let profiles: Awaited<ReturnType<typeof launchForFreshProfiles>>;
  beforeAll(async () => {
    profiles = await launchForFreshProfiles();
  });
  afterAll(async () => {
    await profiles?.close();
  });

  it.each(SCENARIO_IDS)('%s: is the catalog’s default and succeeds', async (scenario) => {
    // A fresh browser profile: nothing chosen before.
    const fresh = await profiles.newContext();
    const page = await fresh.newPage();
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await openWorkbench(page, workbook.siteUrl, scenario);
      await expect(page.locator(`#wb-${scenario}-event-select`).inputValue()).resolves.toBe(
        SCENARIOS[scenario].defaultEvent,
      );
      const result = await run(page);
      expect(result.functionError).toBeUndefined();
      const payload = result.payload as Record<string, unknown>;
      expect(payload).not.toHaveProperty('error');
      if ('statusCode' in payload) expect(payload.statusCode).toBeLessThan(400);
      if ('batchItemFailures' in payload) expect(payload.batchItemFailures).toEqual([]);
      await expect(page.locator('.wb-status-line').first().textContent()).resolves.toMatch(/^Succeeded/);
    } finally {
      await fresh.close();
    }
  });
});
