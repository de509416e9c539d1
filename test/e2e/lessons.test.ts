// The lessons as a learner meets them around the workbench, in Chromium against a workbook of this
// file's own (its Run-it commands write to the cloud): the "Run it" blocks show the running cloud's
// port and the deployed names, and every command in them works as printed with the AWS CLI the
// project's CI installs (Debian's 2.9, which ignores AWS_ENDPOINT_URL); so does the `aws` line
// `npm start` prints. Also: the reading order's Previous/Next links, the progress page's hand-in
// (JSON with a digest, a printed page), and lines that must not wrap letter by letter.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import { verifyProgress } from '../../site/lib/progress-export.ts';
import { loadExercises } from '../../site/server/checks/exercises.ts';
import { requireTool } from '../../tools/preflight/discover.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { reusePages } from '../helpers/page-reuse.ts';
import { checkBudgetMs, checkMyWork, openWorkbench, setCode } from '../helpers/workbench-page.ts';
import { type RunningWorkbook, startWorkbook } from '../helpers/workbook.ts';

let workbook: RunningWorkbook;
let browser: TestBrowser;
const ROOT = process.cwd();

beforeAll(async () => {
  workbook = await startWorkbook();
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbook.siteUrl });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await workbook?.stop();
});

async function newPage(width = 1280, height = 900): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  return page;
}

/** The stack outputs the workbook wrote, as its own API serves them (not the route under test). */
async function stackOutputs(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.evaluate(async () => {
    const { token } = (await (await fetch('/api/session')).json()) as { token: string };
    const answer = await fetch('/api/stack-outputs', { headers: { 'x-workbook-token': token } });
    return ((await answer.json()) as { stacks: Record<string, Record<string, string>> }).stacks;
  });
}

/** A lesson's Run-it blocks once filled in: each block's text, in page order. */
async function runItBlocks(page: Page, scenario: ScenarioId): Promise<string[]> {
  await page.goto(`${workbook.siteUrl}/scenarios/${scenario}/`);
  const blocks = page.locator('[data-run-it]');
  await page.waitForFunction(
    () => {
      const all = document.querySelectorAll('[data-run-it]');
      return all.length > 0 && [...all].every((block) => block.getAttribute('data-complete') === 'true');
    },
    undefined,
    { timeout: 15_000 },
  );
  return blocks.locator('[data-run-it-code]').allTextContents();
}

/**
 * Runs a lesson's blocks, in order, in one bash — as a learner pastes them into one terminal — with
 * the AWS CLI the tests use first on the PATH. Any request the CLI would send to real AWS goes to a
 * closed port instead (a proxy nobody listens on), so a command that forgot the endpoint fails here
 * rather than reaching AWS. Commands that fail are listed (an ERR trap), not fatal: the lessons
 * show some failures on purpose.
 */
function runInTerminal(blocks: readonly string[], cwd: string) {
  const aws = requireTool('aws');
  const script = [
    'set -o pipefail',
    'aws --version',
    `trap 'echo "::failed: $BASH_COMMAND" >&2' ERR`,
    ...blocks.flatMap((block, index) => [`echo "::block ${index}"`, block]),
    // (after a newline: `cat response.json` ends without one)
    `printf '\\n::work %s\\n' "$WORK"`,
  ].join('\n');
  const blackhole = 'http://127.0.0.1:9';
  const env: NodeJS.ProcessEnv = {
    PATH: [dirname(aws), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter),
    ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    HTTPS_PROXY: blackhole,
    HTTP_PROXY: blackhole,
    NO_PROXY: '127.0.0.1,localhost',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  // stdin not a socket: bash would take itself for a remote shell and read ~/.bashrc (and its PATH).
  const result = spawnSync('bash', ['-c', script], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const failed = [...result.stderr.matchAll(/^::failed: (.*)$/gm)].map((match) => match[1]);
  const work = /^::work (.+)$/m.exec(result.stdout)?.[1] ?? '';
  return { ...result, failed, work };
}

/** Files in the project folder's top level: commands must not write there. */
const topLevel = () => new Set(readdirSync(ROOT));

describe('the lessons’ Run-it blocks', () => {
  it('show the running cloud’s port and the deployed names, with a Copy button that copies the block', async () => {
    const page = await newPage();
    try {
      await page.goto(`${workbook.siteUrl}/`);
      const outputs = await stackOutputs(page);
      for (const scenario of SCENARIO_IDS) {
        const blocks = await runItBlocks(page, scenario);
        const setup = blocks[0] ?? '';
        expect(setup).toContain(`export AWS_ENDPOINT_URL=${workbook.cloudEndpoint} `);
        const stack = outputs[SCENARIOS[scenario].stack] ?? {};
        const names = Object.values(stack).filter(
          (value) => setup.includes(`=${value}\n`) || setup.endsWith(`=${value}`),
        );
        expect(names.length, `${scenario}: deployed names in\n${setup}`).toBeGreaterThanOrEqual(1);
        // The HTTP API in the path form every curl reaches, on the running cloud's port.
        if (scenario === 'web-backend') {
          const apiId = /^https?:\/\/([a-z0-9]+)\.execute-api\./.exec(stack.ApiUrl ?? '')?.[1];
          expect(setup).toContain(`API=${workbook.cloudEndpoint}/_aws/execute-api/${apiId}\n`);
        }
        expect(setup).not.toMatch(/<[A-Za-z ]+>/);
        // Every AWS CLI call names the endpoint: Debian's CLI 2.9 ignores AWS_ENDPOINT_URL.
        for (const block of blocks.slice(1)) {
          for (const call of block.matchAll(/(?:^|[\s($])aws (\S+)/gm)) {
            expect(call[1], `${scenario}: ${block}`).toBe('--endpoint-url');
          }
        }
        expect(blocks.join('\n')).toContain(`--endpoint-url ${workbook.cloudEndpoint}`);
        expect(blocks.join('\n')).not.toMatch(/4566|~\/Pictures/);
      }
      // Copy puts exactly the block's text on the clipboard.
      const first = page.locator('[data-run-it]').first();
      await first.getByRole('button', { name: 'Copy' }).click();
      await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
        await first.locator('[data-run-it-code]').textContent(),
      );
    } finally {
      await page.close();
    }
  });

  it('say to start the workbook, and offer no copy, when no workbook answers', async () => {
    const page = await newPage();
    try {
      await page.route('**/api/run-it', (route) => route.fulfill({ status: 503, body: '{}' }));
      await page.goto(`${workbook.siteUrl}/scenarios/thumbnails/`);
      const setup = page.locator('[data-run-it="setup"]');
      // (Polled for as long as the page may take to ask: expect.poll's default second is no budget
      // for a page load on a busy machine.)
      await expect.poll(() => setup.getAttribute('data-complete'), { timeout: 15_000 }).toBe('false');
      await expect(setup.locator('[data-run-it-status]').textContent()).resolves.toMatch(/Start the workbook/);
      await expect(setup.getByRole('button', { name: 'Copy' }).isDisabled()).resolves.toBe(true);
      await expect(setup.locator('[data-run-it-code]').textContent()).resolves.toContain('<endpoint>');
    } finally {
      await page.close();
    }
  });

  describe('run as printed, with /usr/bin/aws (2.9)', () => {
    const printed: Partial<Record<ScenarioId, string[]>> = {};
    beforeAll(async () => {
      const page = await newPage();
      try {
        for (const scenario of SCENARIO_IDS) printed[scenario] = await runItBlocks(page, scenario);
      } finally {
        await page.close();
      }
    }, 120_000);

    it('thumbnails: the sample photo’s thumbnail arrives; the files land in a temporary folder', {
      timeout: 150_000,
    }, async () => {
      const before = topLevel();
      const run = runInTerminal(printed.thumbnails ?? [], ROOT);
      expect(run.failed, run.stderr).toEqual([]);
      expect(run.stdout).toMatch(/aws-cli\/2\.9\./);
      expect(run.stdout).toMatch(/summer trip\/beach\.jpg/);
      expect(run.stdout).toMatch(/REPORT RequestId: \S+\s+Duration: /);
      const thumbnail = join(run.work, 'beach-thumbnail.jpg');
      const { format, width } = await sharp(thumbnail).metadata();
      expect(format).toBe('jpeg');
      expect(width).toBeLessThanOrEqual(200);
      expect(run.work.startsWith(ROOT)).toBe(false);
      expect(topLevel()).toEqual(before);
    });

    it('stream-metrics: three order changes and a click are counted', { timeout: 150_000 }, async () => {
      const run = runInTerminal(printed['stream-metrics'] ?? [], ROOT);
      expect(run.failed, run.stderr).toEqual([]);
      expect(run.stdout).toMatch(/"metric":\s*\{\s*"S":\s*"orders"/);
      expect(run.stdout).toMatch(/"metric":\s*\{\s*"S":\s*"page#\/pricing"/);
    });

    it('web-backend: curl creates and reads items, 404 and 400 come back; the function answers a sample event', {
      timeout: 150_000,
    }, async () => {
      const run = runInTerminal(printed['web-backend'] ?? [], ROOT);
      expect(run.failed, run.stderr).toEqual([]);
      expect(run.stdout).toMatch(/"name":\s*"Desk lamp"/);
      expect(run.stdout).toMatch(/HTTP\/1\.1 404/);
      expect(run.stdout).toMatch(/HTTP\/1\.1 400/);
      expect(run.stdout).toMatch(/"statusCode":\s*200/);
    });

    it('mobile-clicks: a guest gets credentials, clicks, is denied the table, gets an answer for a bad request', {
      timeout: 150_000,
    }, async () => {
      // From another folder: the blocks name the project's files by $PROJECT, not by the current folder.
      const run = runInTerminal(printed['mobile-clicks'] ?? [], '/');
      expect(run.stdout).toMatch(/identity us-east-1:[0-9a-f-]+, temporary key \S+/);
      expect(run.stdout).toMatch(/"count":\s*1/);
      expect(run.stderr).toMatch(/AccessDeniedException/);
      // The one failure the lesson shows on purpose: the guest may not scan the table.
      expect(run.failed).toEqual([expect.stringMatching(/dynamodb scan/)]);
      expect(run.stdout).toMatch(/InvalidRequest/);
    });

    it('the `aws` line npm start prints lists the local cloud’s buckets', () => {
      const output = workbook.output();
      const exportLine = /^\s*(export AWS_ENDPOINT_URL=.*)$/m.exec(output)?.[1] ?? '';
      const awsLine = /^\s*(aws --endpoint-url \S+ s3 ls)$/m.exec(output)?.[1] ?? '';
      expect(awsLine).toBe(`aws --endpoint-url ${workbook.cloudEndpoint} s3 ls`);
      expect(output).toMatch(/read AWS_ENDPOINT_URL; older ones, such as Debian's 2\.9, ignore it/);
      const run = runInTerminal([exportLine, awsLine], ROOT);
      expect(run.failed, run.stderr).toEqual([]);
      expect(run.stdout).toMatch(/^\S+ \S+ lambdaworkbook-thumbnail-thumbnailsphotosbucket/m);
    });
  });
});

describe('reading order', () => {
  it('the first scenario comes after the pages that introduce it, not after "Your progress"', async () => {
    const page = await newPage();
    try {
      await page.goto(`${workbook.siteUrl}/scenarios/thumbnails/`);
      const previous = page.locator('.pagination-links a[rel="prev"]');
      await expect(previous.getAttribute('href')).resolves.toBe('/security-model/');
      await page.goto(`${workbook.siteUrl}/scenarios/mobile-clicks/`);
      await expect(page.locator('.pagination-links a[rel="next"]').getAttribute('href')).resolves.toBe('/progress/');
    } finally {
      await page.close();
    }
  });
});

/** How many lines an element's text takes (its content box over its line height). */
const lines = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const style = getComputedStyle(element);
      const content =
        element.clientHeight - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom);
      const lineHeight = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.2;
      return { text: element.textContent?.trim(), lines: Math.round(content / lineHeight) };
    }),
  );

describe('the progress page', () => {
  const seed = () => {
    localStorage.setItem(
      'lambda-workbook:v1:thumbnails:progress',
      JSON.stringify({
        edited: true,
        deploys: 2,
        runs: 3,
        exercises: { 'decode-keys': { status: 'pass', checkedAt: '2026-12-07T09:00:00.000Z', passed: 3, total: 3 } },
        exerciseTitles: {},
        lastVisit: '2026-12-07T09:05:00.000Z',
      }),
    );
  };

  for (const width of [1280, 375]) {
    it(`keeps "Start over" and the column headers on one line at ${width} px`, async () => {
      const page = await newPage(width);
      try {
        await page.addInitScript(seed);
        await page.goto(`${workbook.siteUrl}/progress/`);
        await page.locator('[data-lesson="thumbnails"] button', { hasText: 'Start over' }).waitFor();
        expect(await lines(page, '.progress-view button')).toEqual(
          expect.arrayContaining([{ text: 'Start over', lines: 1 }]),
        );
        for (const button of await lines(page, '.progress-view button'))
          expect(button, button.text).toMatchObject({ lines: 1 });
        if (width === 1280) {
          for (const header of await lines(page, '.progress-view thead th'))
            expect(header, header.text).toMatchObject({ lines: 1 });
        }
      } finally {
        await page.close();
      }
    });
  }

  it('hands in a JSON file whose digest checks out, and prints a page with the name, the date and the digest', async () => {
    const page = await newPage();
    try {
      await page.addInitScript(seed);
      await page.addInitScript(() => {
        window.print = () => document.documentElement.setAttribute('data-printed', '');
      });
      await page.goto(`${workbook.siteUrl}/progress/`);
      // No name, no file: the learner is asked for it.
      await page.getByRole('button', { name: 'Download for your instructor' }).click();
      await expect(page.locator('[data-progress-export-status]').textContent()).resolves.toMatch(/Type your name/);

      await page.getByLabel('Your name').fill('Ada Lovelace');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download for your instructor' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^workbook-progress-ada-lovelace-\d{4}-\d{2}-\d{2}\.json$/);
      const path = await download.path();
      const verdict = await verifyProgress(readFileSync(path, 'utf8'));
      expect(verdict.ok).toBe(true);
      if (verdict.ok) {
        expect(verdict.progress.learner).toBe('Ada Lovelace');
        const exercises = SCENARIO_IDS.reduce((sum, id) => sum + loadExercises(ROOT, id).length, 0);
        expect(verdict.progress.summary).toEqual({ passed: 1, exercises, lessonsWorkedOn: 1 });
        expect(verdict.progress.lessons.find((lesson) => lesson.id === 'thumbnails')?.exercises[0]).toMatchObject({
          id: 'decode-keys',
          status: 'pass',
        });
      }

      await page.getByRole('button', { name: 'Print or save as PDF' }).click();
      await page.locator('html[data-printed]').waitFor();
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('[data-progress-stamp]').textContent()).resolves.toMatch(
        /^Progress of Ada Lovelace, .*1 of \d+ exercises passed\. Digest sha256:[0-9a-f]{64}$/,
      );
      await expect(page.locator('nav.sidebar').isVisible()).resolves.toBe(false);
      await expect(page.locator('.pv-export').isVisible()).resolves.toBe(false);
      await expect(page.locator('.progress-view table').isVisible()).resolves.toBe(true);
      // The name is remembered for next time.
      await page.reload();
      await expect(page.getByLabel('Your name').inputValue()).resolves.toBe('Ada Lovelace');
    } finally {
      await page.close();
    }
  });
});

describe('the workbench’s polish', () => {
  // Both widths on one page, its workbench opened once (see page-reuse.ts): loaded at 375 px as a
  // phone loads it, then widened to 1280 px.
  const pages = reusePages(() => browser.context);
  for (const width of [375, 1280]) {
    it(`the solution diff keeps its headers on one line and shows every line of code whole at ${width} px`, async () => {
      const page = await pages.at('thumbnails', { width, height: 860 }, (fresh) =>
        openWorkbench(fresh, workbook.siteUrl, 'thumbnails'),
      );
      const exercise = loadExercises(ROOT, 'thumbnails')[0]?.id ?? '';
      // On a phone the panes are tabs: the task pane first.
      if (width === 375) await page.locator('.wb-pane-tabs [role="tab"]', { hasText: 'Task' }).click();
      await page.locator('[data-wb-task-picker]').selectOption(exercise);
      const item = page.locator(`.wb-exercise[data-exercise="${exercise}"]`);
      // Shown at the other width already (this page's earlier test): hidden first, shown again.
      const hide = item.getByRole('button', { name: 'Hide solution' });
      if (await hide.isVisible()) await hide.click();
      await item.getByRole('button', { name: 'Show solution' }).click();
      await item.locator('.wb-diff tbody tr').first().waitFor();
      for (const header of await lines(page, '.wb-diff thead th'))
        expect(header, header.text).toMatchObject({ lines: 1 });
      const overflow = await page.locator('.wb-diff').evaluate((table) => {
        const host = table.parentElement as HTMLElement;
        const cut = [...table.querySelectorAll<HTMLElement>('td.wb-diff-code')].filter(
          (cell) => cell.scrollWidth > cell.clientWidth + 1,
        ).length;
        const code = table.querySelector<HTMLElement>('thead th:last-child')?.getBoundingClientRect().width ?? 0;
        return {
          table: table.getBoundingClientRect().right - host.getBoundingClientRect().right,
          cut,
          codeShare: code / table.getBoundingClientRect().width,
        };
      });
      expect(overflow.cut).toBe(0);
      expect(overflow.table).toBeLessThanOrEqual(1);
      // The code keeps at least half of the pane (a fifth before): the number and marker columns stay narrow.
      expect(overflow.codeShare).toBeGreaterThanOrEqual(0.5);
      await expect(item.locator('.wb-diff thead th').allTextContents()).resolves.toEqual([
        'Yours',
        'Solution',
        'Change',
        'Code',
      ]);
      if (width === 1280) {
        // The per-file diff compares the original with the learner's file, and its headers say so.
        await page.locator('.wb-editor .view-lines').click();
        await page.keyboard.press('Control+Home');
        await page.keyboard.type('// a change\n');
        await page.locator('[data-wb-diff]:not([disabled])').click();
        await expect(page.locator('.wb-diff-view .wb-diff thead th').allTextContents()).resolves.toEqual([
          'Original',
          'Yours',
          'Change',
          'Code',
        ]);
      }
      if (width === 1280) await pages.close('thumbnails');
    });
  }

  it('the order form’s fields have one height and line up', async () => {
    const page = await newPage();
    try {
      await openWorkbench(page, workbook.siteUrl, 'stream-metrics');
      await page.getByRole('tab', { name: 'Triggers' }).click();
      await page.locator('.wb-triggers-panel .wb-trigger').first().waitFor();
      // Fields side by side (their labels on one line; a narrow pane wraps the rest below).
      const lines = await page.locator('.wb-triggers-panel .wb-fields').evaluateAll((elements) =>
        elements.flatMap((row) => {
          const byTop = new Map<number, { top: number; height: number }[]>();
          for (const field of row.querySelectorAll<HTMLElement>('.wb-field')) {
            const control = field.querySelector<HTMLElement>(
              'input:not([type="checkbox"]):not([type="radio"]), select',
            );
            if (!control) continue;
            const box = control.getBoundingClientRect();
            const top = Math.round(field.getBoundingClientRect().top);
            byTop.set(top, [...(byTop.get(top) ?? []), { top: Math.round(box.top), height: Math.round(box.height) }]);
          }
          return [...byTop.values()].filter((line) => line.length > 1);
        }),
      );
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(new Set(line.map((control) => control.height)).size, JSON.stringify(line)).toBe(1);
        expect(new Set(line.map((control) => control.top)).size, JSON.stringify(line)).toBe(1);
      }
    } finally {
      await page.close();
    }
  });

  it('a failing thumbnails check says what it waits for and why, then gives the hint that fits the attempt', {
    timeout: 240_000,
  }, async () => {
    const page = await newPage();
    try {
      await openWorkbench(page, workbook.siteUrl, 'thumbnails');
      await page.locator('[data-wb-task-picker]').selectOption('decode-keys');
      const item = page.locator('.wb-exercise[data-exercise="decode-keys"]');
      // The starter decodes nothing.
      await item.getByRole('button', { name: 'Check my work' }).click();
      // (A locator wait, not one on every animation frame: see whenNotBusy in test/helpers/workbench-page.ts.)
      await item
        .locator('.wb-check-progress', { hasText: /waits up to \d+ s for a thumbnail/ })
        .waitFor({ timeout: 120_000 });
      await expect(item.locator('.wb-check-progress').textContent()).resolves.toMatch(
        /\(S3 invokes the function asynchronously, a moment after the upload\)…$/,
      );
      await item
        .locator('.wb-check-progress')
        .waitFor({ state: 'detached', timeout: await checkBudgetMs(ROOT, 'thumbnails', 'decode-keys') });
      const report = (await item.locator('.wb-exercise-output').textContent()) ?? '';
      expect(report).toMatch(/waiting longer would not help/);
      expect(report).toMatch(/The key is used as S3 sent it, URL-encoded/);
    } finally {
      await page.close();
    }
  });

  it('the "Undo reset" row goes once the exercise passes', { timeout: 240_000 }, async () => {
    const page = await newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    try {
      await openWorkbench(page, workbook.siteUrl, 'web-backend');
      const exercise = loadExercises(ROOT, 'web-backend')[0]?.id ?? '';
      await page.locator('[data-wb-task-picker]').selectOption(exercise);
      const item = page.locator(`.wb-exercise[data-exercise="${exercise}"]`);
      await item.getByRole('button', { name: 'Reset to starter' }).click();
      await expect(item.locator('.wb-undo').isVisible()).resolves.toBe(true);
      await setCode(
        page,
        readFileSync(join(ROOT, 'scenarios', 'web-backend', 'exercises', exercise, 'solution.ts'), 'utf8'),
      );
      const report = await checkMyWork(item, await checkBudgetMs(ROOT, 'web-backend', exercise));
      await expect(item.locator('.wb-exercise-status').textContent(), report).resolves.toBe('Passed');
      await expect(item.locator('.wb-undo').isVisible()).resolves.toBe(false);
    } finally {
      await page.close();
    }
  });
});
