// The deploy state, told truthfully: what each function runs (its CodeSha256, from GetFunction)
// against what the editor's files would deploy (the same bundle: the same CodeSha256), what this tab
// deployed last, and what the workbook saw deployed when it started (the stack's own code).
import type { DeployState } from '../../../lib/workbench-api.ts';

export type DeployStatus = 'up-to-date' | 'changes' | 'elsewhere' | 'not-compiling';

export interface DeployVerdict {
  readonly status: DeployStatus;
  /** What the toolbar says. */
  readonly text: string;
  /** The functions whose code was deployed from outside this tab. */
  readonly changedElsewhere: readonly string[];
}

/**
 * `edited`: whether any file differs from the scenario's original. `deployedByThisTab`: function
 * name → the CodeSha256 this tab's last deploy gave it.
 */
export function judgeDeployState(
  state: DeployState,
  edited: boolean,
  deployedByThisTab: Readonly<Record<string, string>>,
): DeployVerdict {
  if (state.compileError !== undefined) {
    return {
      status: 'not-compiling',
      text: 'Changes not deployed (the code does not compile)',
      changedElsewhere: [],
    };
  }
  const elsewhere: string[] = [];
  let changes = false;
  for (const fn of state.functions) {
    // The editor's code runs: the same bundle, or (untouched files) the stack's own deploy of them.
    const runsEditor = fn.deployedSha256 === fn.editorSha256 || (!edited && fn.deployedSha256 === fn.baselineSha256);
    if (runsEditor) continue;
    changes = true;
    const mine = deployedByThisTab[fn.functionName];
    const known = mine !== undefined ? fn.deployedSha256 === mine : fn.deployedSha256 === fn.baselineSha256;
    if (!known) elsewhere.push(fn.functionName);
  }
  if (elsewhere.length > 0) {
    return {
      status: 'elsewhere',
      text: `Changed elsewhere: ${elsewhere.join(', ')} runs code deployed from outside this page`,
      changedElsewhere: elsewhere,
    };
  }
  return changes
    ? { status: 'changes', text: 'Changes not deployed', changedElsewhere: [] }
    : { status: 'up-to-date', text: 'Deployed code is up to date', changedElsewhere: [] };
}
