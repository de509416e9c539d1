// First-load weight of a lesson page in Chromium, empty HTTP cache, served by `npm start`:
// - on the wire: the bytes Chromium received (DevTools' encodedDataLength: headers and body, as
//   compressed by the server), until the load event and until the network is idle;
// - the baseline: every document, script and stylesheet it fetched, gzip-compressed (level 9) as
//   a server could send it — the figure before the server compressed anything.
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../test/helpers/browser.ts';
import { measureFirstLoad } from '../test/helpers/first-load.ts';
import { startWorkbook } from '../test/helpers/workbook.ts';
import type { Row } from './lib.ts';

export interface PageWeight {
  readonly path: string;
  readonly html: number;
  readonly js: number;
  readonly css: number;
  /** Bytes received (headers + encoded bodies) for the requests started before the load event. */
  readonly wireAtLoad: number;
  /** Bytes received until the network was idle (what the page fetched after load included). */
  readonly wireIdle: number;
  readonly files: readonly { url: string; kind: string; gzip: number }[];
}

export const FIRST_LOAD_GOAL_BYTES = 45 * 1024;

export async function measurePageWeight(paths: readonly string[]): Promise<PageWeight[]> {
  const workbook = await startWorkbook();
  const browser = await launchBrowser();
  try {
    const results: PageWeight[] = [];
    for (const path of paths) {
      const load = await measureFirstLoad(browser.context, `${workbook.siteUrl}${path}`);
      const files = load.files
        .filter((file) => ['document', 'script', 'stylesheet'].includes(file.kind))
        .map((file) => ({ url: file.url, kind: file.kind, gzip: gzipSync(file.body, { level: 9 }).length }));
      const sum = (kind: string) => files.filter((f) => f.kind === kind).reduce((n, f) => n + f.gzip, 0);
      results.push({
        path,
        html: sum('document'),
        js: sum('script'),
        css: sum('stylesheet'),
        wireAtLoad: load.wireAtLoad,
        wireIdle: load.wireIdle,
        files,
      });
    }
    return results;
  } finally {
    await browser.close();
    await workbook.stop();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The bench section: each lesson's first load on the wire, beside its gzip size. */
export async function benchPageWeight(): Promise<Row[]> {
  const lessons = ['thumbnails', 'stream-metrics', 'web-backend', 'mobile-clicks'].map((id) => `/scenarios/${id}/`);
  const rows: Row[] = [];
  for (const weight of await measurePageWeight(lessons)) {
    const gzip = weight.html + weight.js + weight.css;
    rows.push({
      name: `first load of ${weight.path}, bytes of the requests started before the load event (network idle: ${kb(weight.wireIdle)})`,
      value: `${kb(weight.wireAtLoad)} (${weight.wireAtLoad} B)`,
      baseline: `${kb(gzip)} gzip -9 size (HTML ${kb(weight.html)}, JS ${kb(weight.js)}, CSS ${kb(weight.css)})`,
      ratio: `${(weight.wireAtLoad / gzip).toFixed(2)}×`,
      goal: `≤ 45 KB on the wire (${FIRST_LOAD_GOAL_BYTES} B)`,
    });
  }
  console.log('\n## Page weight (Chromium, empty cache, served by npm start)\n');
  console.log('| measure | on the wire | baseline (same run) | ratio | goal |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.goal} |`);
  return rows;
}

if (import.meta.main) {
  for (const weight of await measurePageWeight(['/scenarios/thumbnails/'])) {
    console.log(
      `${weight.path}: ${weight.wireAtLoad} B on the wire for the requests started before load, ${weight.wireIdle} B by network idle; gzip -9 of HTML ${weight.html} B + JS ${weight.js} B + CSS ${weight.css} B`,
    );
    for (const file of weight.files)
      console.log(`  ${file.kind.padEnd(10)} ${String(file.gzip).padStart(7)} B gzip  ${file.url}`);
  }
}
