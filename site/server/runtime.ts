// The hand-off between the process that serves the workbook (`tools/start.ts`) and the built
// site's server routes. The routes are bundled into dist/server, so module state is not shared
// with start.ts; a well-known global symbol is.
import type { Target } from './target.ts';

/**
 * Where the local workbook synthesizes its four scenario stacks (under the project root). Not
 * cdk.out: that is `npm run synth`'s and the class sandbox's, which may hold a class's stacks.
 */
export const LOCAL_ASSEMBLY_DIR = 'cdk.local.out';

/** A step the cloud reports (the local cloud's trace bus, or what the AWS target observes). */
export interface TraceRecord {
  readonly type: string;
  readonly time: number;
  readonly requestId?: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface TraceSource {
  subscribe(listener: (event: TraceRecord) => void): () => void;
  recent(): readonly TraceRecord[];
  /**
   * Something just happened (a trigger was sent) to `scenario` (or to anything): look sooner and more
   * often for a while (AWS mode).
   */
  nudge?(scenario?: string): void;
}

export interface WorkbenchRuntime {
  /** Per-start secret every workbench API call must carry. */
  readonly token: string;
  /** Project root (scenarios/, cdk.local.out/, cdk.out/). */
  readonly root: string;
  /** The target; replaced when stacks are (re)deployed. */
  target(): Target;
  /** Where "Check my work" saves the checked source for `npm run check` (checks/attempts.ts); none saves nothing. */
  readonly attemptsDir?: string;
  /** The local cloud's admin keys file, for the commands the lessons print (absent for AWS). */
  readonly adminKeysFile?: string;
  /** Live steps from the cloud, when the target can report them (the local cloud can). */
  readonly trace?: TraceSource;
}

const KEY = Symbol.for('lambda-workbook.workbench-runtime');

export function setWorkbenchRuntime(runtime: WorkbenchRuntime | undefined): void {
  (globalThis as Record<symbol, unknown>)[KEY] = runtime;
}

export function workbenchRuntime(): WorkbenchRuntime | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as WorkbenchRuntime | undefined;
}
