// Photo dropped → thumbnail shown: in Chromium, from the moment the workbench's file input gets a
// photo to the moment the thumbnails bucket's preview image has loaded in the resources panel
// (upload through the workbench API, S3 notification, the thumbnail function, the trace stream,
// the panel's refresh and the image request). Baseline, in the same run: the same journey without
// the page — PutObject with the SDK, then HeadObject on the thumbnails bucket until it is there.
// Run in both modes: against the local cloud, and in AWS mode (`--target aws`) with a local cloud
// standing in for AWS, where the page learns of the thumbnail from the workbook's polling of the
// bucket listing (what AWS exposes) rather than from the cloud's own trace.
// Needs a built site (`npm run build`).
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { TOKEN_HEADER } from '../site/lib/workbench-api.ts';
import { adminKeysInBanner } from '../test/helpers/admin-keys.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startWorkbookIn, type WorkbookMode } from '../test/helpers/workbook-modes.ts';
import { ms, printTable, type Row, ratio, type Sample, summarize } from './lib.ts';

const RUNS = 10;
const GOAL_MS = 500;

export async function benchWorkbenchPanels(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const mode of ['local', 'aws'] as const) rows.push(...(await benchMode(mode)));
  printTable('Workbench panels', rows);
  return rows;
}

async function benchMode(mode: WorkbookMode): Promise<Row[]> {
  const workbook = await startWorkbookIn(mode);
  const label = mode === 'local' ? 'local' : 'AWS mode, local cloud standing in';
  const browser = await launchBrowser();
  try {
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#c85a28' } })
      .jpeg()
      .toBuffer();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${workbook.siteUrl}/scenarios/thumbnails/`);
    await page.locator('[data-wb-open]').click();
    await page.locator('.wb-resources-panel[data-loaded]').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Triggers' }).click();
    await page.locator('.wb-drop__input').waitFor({ state: 'attached' });

    /** One upload through the page; milliseconds until the thumbnail's preview has loaded. */
    const throughPage = (key: string) =>
      page.evaluate(
        async ({ bytes, key }) => {
          const input = document.querySelector<HTMLInputElement>('.wb-drop__input')!;
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(bytes)], key, { type: 'image/jpeg' }));
          const shown = new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no thumbnail for ${key} in 30 s`)), 30_000);
            const check = () => {
              const img = document.querySelector<HTMLImageElement>(
                `.wb-resource[data-role="thumbnailsBucket"] li[data-key="${CSS.escape(key)}"] img`,
              );
              if (img?.complete && img.naturalWidth > 0) {
                clearTimeout(timer);
                observer.disconnect();
                resolve(performance.now());
              } else if (img) img.addEventListener('load', check, { once: true });
            };
            const observer = new MutationObserver(check);
            observer.observe(document.querySelector('.wb-resources-panel')!, { childList: true, subtree: true });
          });
          const started = performance.now();
          input.files = transfer.files;
          input.dispatchEvent(new Event('change', { bubbles: true }));
          return (await shown) - started;
        },
        { bytes: [...photo], key },
      );

    // The same journey without the page.
    const stack = (await page.evaluate(async (header) => {
      const { token } = await (await fetch('/api/session')).json();
      return (await (await fetch('/api/scenarios/thumbnails', { headers: { [header]: token } })).json()).outputs;
    }, TOKEN_HEADER)) as Record<string, string>;
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: workbook.cloudEndpoint,
      forcePathStyle: true,
      credentials: workbook.sandbox?.cloud.adminCredentials ?? adminKeysInBanner(workbook.output()),
    });
    const direct = async (key: string) => {
      const started = performance.now();
      await s3.send(new PutObjectCommand({ Bucket: stack.PhotosBucketName, Key: key, Body: photo }));
      for (;;) {
        try {
          await s3.send(new HeadObjectCommand({ Bucket: stack.ThumbnailsBucketName, Key: key }));
          return performance.now() - started;
        } catch {
          if (performance.now() - started > 30_000) throw new Error(`no thumbnail for ${key} in 30 s`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    };

    // Warm-up: the function's first (cold) start, the SDK chunks, the image decoder.
    await throughPage('bench-warmup.jpg');
    await direct('bench-warmup-direct.jpg');
    const pageTimes: number[] = [];
    const directTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      pageTimes.push(await throughPage(`bench-${i}.jpg`));
      directTimes.push(await direct(`bench-direct-${i}.jpg`));
    }
    s3.destroy();
    const shown: Sample = summarize(pageTimes);
    const baseline: Sample = summarize(directTimes);
    return [
      {
        name: `[${label}] photo dropped → thumbnail shown (1200×900 JPEG, ${photo.length} B, p50 of ${RUNS})`,
        value: ms(shown.p50),
        baseline: `${ms(baseline.p50)} (SDK PutObject → HeadObject on the thumbnail)`,
        ratio: ratio(shown.p50, baseline.p50),
        ...(mode === 'local' ? { goal: `≤ ${GOAL_MS} ms` } : {}),
      },
      {
        name: `[${label}] photo dropped → thumbnail shown (max of ${RUNS})`,
        value: ms(Math.max(...pageTimes)),
        baseline: ms(Math.max(...directTimes)),
        ratio: ratio(Math.max(...pageTimes), Math.max(...directTimes)),
      },
    ];
  } finally {
    await browser.close();
    await workbook.stop();
  }
}
