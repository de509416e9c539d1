import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../tools/require-node.mjs';

describe('require-node guard', () => {
  it('accepts the pinned major version and newer', () => {
    expect(nodeVersionProblem('24.0.0', true)).toBeUndefined();
    expect(nodeVersionProblem('26.1.0', false)).toBeUndefined();
  });

  it('explains a missing pinned runtime (npm install --ignore-scripts)', () => {
    const problem = nodeVersionProblem('20.20.2', false);
    expect(problem).toContain('needs Node.js 24, but this is Node.js 20.20.2');
    expect(problem).toContain('--ignore-scripts');
  });

  it('explains running outside npm when the pinned runtime exists', () => {
    expect(nodeVersionProblem('22.12.0', true)).toContain('start the project through npm');
  });

  it('exits 0 under the pinned runtime', () => {
    const result = spawnSync(process.execPath, ['tools/require-node.mjs'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});
