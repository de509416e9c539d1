import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CDK = join(ROOT, 'node_modules/aws-cdk/bin/cdk');
const outdir = mkdtempSync(join(tmpdir(), 'workbook-cdk-cli-'));

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('cdk synth (the real CLI, offline)', () => {
  it('synthesizes every stack into the output directory, with its assets', { timeout: 90_000 }, async () => {
    const started = performance.now();
    const run = spawnSync(process.execPath, [CDK, 'synth', '--quiet', '--no-notices', '--output', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
      // cdk.json runs `node infra/cdk/app.ts`: make that the pinned Node 24 running this test.
      env: {
        ...process.env,
        PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}`,
        CDK_DISABLE_CLI_TELEMETRY: 'true',
      },
    });
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.entries<{ type: string }>(manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([name]) => name)
      .sort();
    expect(stacks).toEqual([
      'LambdaWorkbook-MobileClicks',
      'LambdaWorkbook-StreamMetrics',
      'LambdaWorkbook-Thumbnails',
      'LambdaWorkbook-WebBackend',
    ]);
    // aws-cdk-lib's built-in template validation ran and found nothing.
    expect(JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')).pluginReports).toEqual([]);
    // Every file asset a template points to is in the output directory.
    for (const stack of stacks) {
      const assets = JSON.parse(readFileSync(join(outdir, `${stack}.assets.json`), 'utf8'));
      for (const file of Object.values<{ source: { path: string } }>(assets.files)) {
        expect(existsSync(join(outdir, file.source.path)), `${stack}: ${file.source.path}`).toBe(true);
      }
    }
    // Each scenario function's bundle is an ES module (index.mjs) that exports `handler`.
    const bundles: string[] = [];
    for (const stack of stacks) {
      const template = JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8'));
      for (const resource of Object.values<{
        Type: string;
        Properties: { Environment?: unknown };
        Metadata?: Record<string, string>;
      }>(template.Resources)) {
        if (resource.Type !== 'AWS::Lambda::Function' || resource.Properties.Environment === undefined) continue;
        bundles.push(join(outdir, resource.Metadata?.['aws:asset:path'] ?? 'missing', 'index.mjs'));
      }
    }
    expect(bundles).toHaveLength(5);
    await Promise.all(
      bundles.map(async (bundle) => {
        const module = await import(pathToFileURL(bundle).href);
        expect(typeof module.handler, bundle).toBe('function');
      }),
    );
    console.log(`cdk synth took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
});
