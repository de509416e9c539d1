import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runParallel } from '../../tools/run-parallel.ts';

const dir = mkdtempSync(join(tmpdir(), 'workbook-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run-parallel', () => {
  it('runs the scripts at the same time and reports each one’s exit code', async () => {
    // Each script waits for the other's mark, so they pass only when they run at the same time.
    const waitFor = (mark: string) =>
      `node -e "const f=require('fs');f.writeFileSync('${mark}-started','');const t=Date.now();(function w(){if(f.existsSync('${mark === 'a' ? 'b' : 'a'}-started'))process.exit(${mark === 'a' ? 0 : 3});if(Date.now()-t>20000)process.exit(9);setTimeout(w,20)})()"`;
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'p', private: true, scripts: { a: waitFor('a'), b: waitFor('b') } }),
    );
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const results = await runParallel(['a', 'b'], dir);
      expect(results.map(({ script, code }) => [script, code])).toEqual([
        ['a', 0],
        ['b', 3],
      ]);
      expect(write.mock.calls.map((call) => String(call[0])).join('')).toMatch(/── npm run a: passed in [\d.]+ s/);
    } finally {
      write.mockRestore();
    }
  });
});
