import { describe, expect, it } from 'vitest';
import { judgeDeployState } from '../../../../site/components/workbench/workspace/deploy-state.ts';
import type { DeployState, FunctionDeployState } from '../../../../site/lib/workbench-api.ts';

const fn = (shas: Partial<FunctionDeployState>): FunctionDeployState => ({
  functionName: 'metrics',
  path: 'scenarios/stream-metrics/handler.ts',
  deployedSha256: 'stack',
  editorSha256: 'original',
  originalSha256: 'original',
  baselineSha256: 'stack',
  ...shas,
});
const state = (...functions: FunctionDeployState[]): DeployState => ({ functions });

describe('judgeDeployState', () => {
  it.each([
    ['untouched files, the stack’s own deploy', state(fn({})), false, {}, 'up-to-date'],
    [
      'edits this tab deployed',
      state(fn({ deployedSha256: 'mine', editorSha256: 'mine' })),
      true,
      { metrics: 'mine' },
      'up-to-date',
    ],
    ['edits not deployed yet', state(fn({ editorSha256: 'edit' })), true, {}, 'changes'],
    [
      'edited again after this tab deployed',
      state(fn({ deployedSha256: 'mine', editorSha256: 'edit2' })),
      true,
      { metrics: 'mine' },
      'changes',
    ],
    // npm run verify ends by deploying the original bundle: not what this tab deployed.
    [
      'reset from outside after this tab deployed',
      state(fn({ deployedSha256: 'original', editorSha256: 'mine' })),
      true,
      { metrics: 'mine' },
      'elsewhere',
    ],
    [
      'another deploy before this tab did any',
      state(fn({ deployedSha256: 'other', editorSha256: 'edit' })),
      true,
      {},
      'elsewhere',
    ],
    ['untouched files, code from elsewhere', state(fn({ deployedSha256: 'other' })), false, {}, 'elsewhere'],
  ] as const)('%s', (_name, deployState, edited, mine, status) => {
    expect(judgeDeployState(deployState, edited, mine).status).toBe(status);
  });

  it('names the functions changed elsewhere, and says when the code does not compile', () => {
    const verdict = judgeDeployState(state(fn({}), fn({ functionName: 'clicks', deployedSha256: 'other' })), false, {});
    expect(verdict.changedElsewhere).toEqual(['clicks']);
    expect(verdict.text).toBe('Changed elsewhere: clicks runs code deployed from outside this page');
    expect(judgeDeployState({ functions: [], compileError: 'x' }, true, {}).status).toBe('not-compiling');
  });
});
