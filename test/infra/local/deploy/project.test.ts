import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { deployProject } from '../../../../infra/local/deploy/project.ts';
import { memoryStateStore } from '../../../../infra/local/deploy/state.ts';
import { assemblyIsStale, cdkSources } from '../../../../infra/local/deploy/synth.ts';
import { PROJECT_ROOT, synthesizedAssembly } from './assembly.ts';

describe('assemblyIsStale', () => {
  let root: string;
  const at = (path: string, seconds: number) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
    utimesSync(path, seconds, seconds);
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'workbook-stale-'));
    at(join(root, 'infra', 'cdk', 'app.ts'), 1000);
    at(join(root, 'scenarios', 'thumbnails', 'handler.ts'), 1000);
    at(join(root, 'scenarios', 'thumbnails', 'lesson.mdx'), 5000);
    at(join(root, 'scenarios', 'thumbnails', 'node_modules', 'x.ts'), 5000);
    at(join(root, 'scenarios', 'thumbnails', 'exercises', 'one', 'check.ts'), 5000);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes the CDK app and the scenarios’ .ts/.json files as sources, not lessons, exercises or node_modules', () => {
    expect(cdkSources(root).map((file) => file.slice(root.length + 1))).toEqual([
      join('infra', 'cdk', 'app.ts'),
      join('scenarios', 'thumbnails', 'handler.ts'),
    ]);
  });

  it.each<[string, number | undefined, boolean]>([
    ['no cdk.out yet', undefined, true],
    ['cdk.out older than a source', 500, true],
    ['cdk.out newer than every source', 2000, false],
  ])('%s → stale: %s', (_name, manifestTime, stale) => {
    const out = join(root, `cdk.out-${String(manifestTime)}`);
    if (manifestTime !== undefined) at(join(out, 'manifest.json'), manifestTime);
    expect(assemblyIsStale(root, out)).toBe(stale);
  });
});

describe('deployProject', () => {
  let cloud: LocalCloud;
  let assembly: string;
  beforeAll(async () => {
    assembly = await synthesizedAssembly();
    cloud = await startLocalCloud({ port: 0, inMemory: true });
  }, 120_000);
  afterAll(async () => {
    await cloud?.close();
  });

  it('prints a line per resource and the outputs, then only the changes on a redeploy', async () => {
    const state = memoryStateStore();
    const first: string[] = [];
    const second: string[] = [];
    // WHEN the (up to date) assembly is deployed twice, the second time showing changes only
    const result = await deployProject({
      root: PROJECT_ROOT,
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      assemblyDir: assembly,
      state,
      print: (line) => first.push(line),
    });
    await deployProject({
      root: PROJECT_ROOT,
      endpoint: cloud.endpoint,
      credentials: cloud.adminCredentials,
      assemblyDir: assembly,
      state,
      detail: 'changes',
      print: (line) => second.push(line),
    });
    // THEN nothing was synthesized, the first run listed every resource, the second none
    expect(result.synthesized).toBe(false);
    const text = first.join('\n');
    expect(text).toMatch(
      /\+ created {3}LambdaWorkbook-Thumbnails ThumbnailsPhotosBucket3F86049E \(AWS::S3::Bucket\) → /,
    );
    expect(text).toMatch(/skipped: not modelled locally: /);
    expect(text).toMatch(/Deployed 4 stacks in [\d.]+ s: \d+ created, 0 updated, 0 unchanged/);
    expect(text).toMatch(/PhotosBucketName +lambdaworkbook-/);
    const again = second.join('\n');
    expect(again).not.toMatch(/^ {2}[+~=x-] /m);
    expect(again).toMatch(/0 created, 0 updated, \d+ unchanged/);
    expect(again).toMatch(/not modelled locally \(skipped\): .*AWS::S3::BucketPolicy ×\d/);
  });
});
