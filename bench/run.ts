// `npm run bench`: every figure beside a baseline measured in the same run (machines are
// shared and noisy, so ratios mean more than absolute numbers). Pass section names to run a
// subset: `npm run bench -- lambda s3`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchEmulators } from './emulators.ts';
import { benchIam } from './iam.ts';
import { benchInvoke } from './invoke.ts';
import { benchLambda } from './lambda.ts';
import type { Row } from './lib.ts';
import { benchLoadedCloud } from './loaded-cloud.ts';
import { benchPageWeight } from './page-weight.ts';
import { benchS3 } from './s3.ts';
import { benchSandbox } from './sandbox.ts';
import { benchStartup } from './startup.ts';
import { benchStreams } from './streams.ts';
import { benchWorkbench } from './workbench.ts';
import { benchWorkbenchPanels } from './workbench-panels.ts';

const SECTIONS: Record<string, () => Promise<Row[]>> = {
  invoke: benchInvoke,
  lambda: benchLambda,
  'loaded-cloud': benchLoadedCloud,
  sandbox: benchSandbox,
  s3: benchS3,
  streams: benchStreams,
  iam: benchIam,
  emulators: benchEmulators,
  startup: benchStartup,
  'workbench-panels': benchWorkbenchPanels,
  'page-weight': benchPageWeight,
  workbench: benchWorkbench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  console.error(`Unknown bench section(s): ${unknown.join(', ')}. Known: ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}
const results: Record<string, Row[]> = {};
console.log(`# Lambda Workbook benchmarks — ${new Date().toISOString()}, Node ${process.versions.node}`);
for (const name of wanted.length > 0 ? wanted : Object.keys(SECTIONS)) {
  results[name] = await SECTIONS[name]!();
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nSaved bench/results/latest.json');
