import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWeight } from './sequencer.ts';

const dir = mkdtempSync(join(tmpdir(), 'sequencer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileWeight', () => {
  it('counts the shared suites a wrapper file imports, and no other import', () => {
    mkdirSync(join(dir, 'suites'));
    writeFileSync(join(dir, 'suites', 'big.ts'), 'x'.repeat(10_000));
    writeFileSync(join(dir, 'helper.ts'), 'y'.repeat(5_000));
    const wrapper = "import { run } from './suites/big.ts';\nimport { h } from './helper.ts';\nrun();\n";
    writeFileSync(join(dir, 'wrapper.test.ts'), wrapper);
    expect(fileWeight(join(dir, 'wrapper.test.ts'))).toBe(Buffer.byteLength(wrapper) + 10_000);
  });

  it('puts the e2e wrappers around the workspace suite ahead of a larger standalone file', () => {
    const e2e = join(process.cwd(), 'test', 'e2e');
    expect(fileWeight(join(e2e, 'workspace.test.ts'))).toBeGreaterThan(fileWeight(join(e2e, 'site.test.ts')));
  });
});
