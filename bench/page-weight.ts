// First-load weight of a lesson page: every document, script and stylesheet Chromium
// fetches when it opens the page, gzip-compressed (level 9) as a server would send it.
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startWorkbook } from '../test/helpers/workbook.ts';

export interface PageWeight {
  readonly path: string;
  readonly html: number;
  readonly js: number;
  readonly css: number;
  readonly files: readonly { url: string; kind: string; gzip: number }[];
}

export async function measurePageWeight(paths: readonly string[]): Promise<PageWeight[]> {
  const workbook = await startWorkbook();
  const browser = await launchBrowser();
  try {
    const results: PageWeight[] = [];
    for (const path of paths) {
      const page = await browser.context.newPage();
      const files: { url: string; kind: string; gzip: number }[] = [];
      const pending: Promise<void>[] = [];
      page.on('response', (response) => {
        const kind = response.request().resourceType();
        if (kind !== 'document' && kind !== 'script' && kind !== 'stylesheet') return;
        pending.push(
          response.body().then(
            (body) => {
              files.push({ url: response.url(), kind, gzip: gzipSync(body, { level: 9 }).length });
            },
            () => undefined,
          ),
        );
      });
      await page.goto(`${workbook.siteUrl}${path}`, { waitUntil: 'networkidle' });
      await Promise.all(pending);
      await page.close();
      const sum = (kind: string) => files.filter((f) => f.kind === kind).reduce((n, f) => n + f.gzip, 0);
      results.push({ path, html: sum('document'), js: sum('script'), css: sum('stylesheet'), files });
    }
    return results;
  } finally {
    await browser.close();
    await workbook.stop();
  }
}

if (import.meta.main) {
  for (const weight of await measurePageWeight(['/scenarios/thumbnails/'])) {
    const total = weight.html + weight.js + weight.css;
    console.log(
      `${weight.path}: HTML ${weight.html} B + JS ${weight.js} B + CSS ${weight.css} B = ${total} B gzip (${weight.files.length} files)`,
    );
    for (const file of weight.files)
      console.log(`  ${file.kind.padEnd(10)} ${String(file.gzip).padStart(7)} B  ${file.url}`);
  }
}
