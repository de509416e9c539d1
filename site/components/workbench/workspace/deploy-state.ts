// The deploy state, told truthfully. What each function runs (its CodeSha256, from GetFunction) is
// compared with what the editor's files would deploy (the same bundle: the same CodeSha256), with
// what this tab deployed last and with what the workbook saw deployed when it started (the stack's
// own code). `judgeDeployState` turns one server answer into a verdict; `DeployTracker` is the
// state machine around it: checking → up to date / changes / changed elsewhere; edited → changes;
// deploying → deployed or failed; an answer about text the learner has since changed is dropped.
import type { DeployResult, DeployState } from '../../../lib/workbench-api.ts';

export type DeployStatus =
  | 'checking'
  | 'up-to-date'
  | 'changes'
  | 'elsewhere'
  | 'not-compiling'
  | 'deploying'
  | 'failed'
  | 'unknown'
  | 'not-deployed';

export interface DeployVerdict {
  readonly status: DeployStatus;
  /** What the toolbar says. */
  readonly text: string;
  /** The functions whose code was deployed from outside this tab. */
  readonly changedElsewhere: readonly string[];
}

const verdict = (status: DeployStatus, text: string): DeployVerdict => ({ status, text, changedElsewhere: [] });

/** The verdicts that need no answer from the server. */
export const DEPLOY_TEXT = {
  checking: verdict('checking', 'Checking what is deployed…'),
  upToDate: verdict('up-to-date', 'Deployed code is up to date'),
  changes: verdict('changes', 'Changes not deployed'),
  notCompiling: verdict('not-compiling', 'Changes not deployed (the code does not compile)'),
  deploying: verdict('deploying', 'Deploying…'),
  checkingAttempt: verdict('deploying', 'Deploying and checking your attempt…'),
  failed: verdict('failed', 'Deploy failed: the function still runs the code deployed before'),
  notDeployed: verdict('not-deployed', 'Not deployed'),
} as const;

/**
 * `edited`: whether any file differs from the scenario's original. `deployedByThisTab`: function
 * name → the CodeSha256 this tab's last deploy gave it.
 */
export function judgeDeployState(
  state: DeployState,
  edited: boolean,
  deployedByThisTab: Readonly<Record<string, string>>,
): DeployVerdict {
  if (state.compileError !== undefined) return DEPLOY_TEXT.notCompiling;
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
  return changes ? DEPLOY_TEXT.changes : DEPLOY_TEXT.upToDate;
}

const STALE_ON_EDIT = new Set<DeployStatus>(['up-to-date', 'failed', 'not-compiling']);

/** What the tracker asks of the workspace and the server. */
export interface DeployStateSource {
  /** Whether the scenario's stack is deployed at all. */
  readonly deployed: boolean;
  /** The editor's edited files now (what Deploy would send). */
  edits(): Record<string, string>;
  /** The server's answer for those files: GetFunction's CodeSha256 against their bundle. */
  ask(edits: Record<string, string>): Promise<DeployState>;
  /** What this tab deployed (function name → CodeSha256), kept across a reload of the tab. */
  readonly mine: {
    get(): Readonly<Record<string, string>>;
    set(shas: Readonly<Record<string, string>>): void;
  };
}

export interface DeployTrackerOptions {
  /** How long after the last edit the server is asked again (it bundles the files each time). */
  readonly settleMs?: number;
  /** How long after a live-feed update the server is asked (several functions update in a row). */
  readonly feedSettleMs?: number;
}

/**
 * The deploy state machine. Every verdict it publishes is true when published: an edit makes an
 * "up to date" false at once; an answer that judged text the learner has changed since, or that
 * was asked before a deploy, is dropped; a deploy's outcome is said before the server confirms it.
 */
export class DeployTracker {
  readonly #source: DeployStateSource;
  readonly #publish: (verdict: DeployVerdict) => void;
  readonly #settleMs: number;
  readonly #feedSettleMs: number;
  #verdict: DeployVerdict;
  /** Bumped by every edit, ask and deploy: an answer to an older generation is stale. */
  #generation = 0;
  #deploying = false;
  #editedWhileDeploying = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #feedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    source: DeployStateSource,
    publish: (verdict: DeployVerdict) => void,
    { settleMs = 800, feedSettleMs = 400 }: DeployTrackerOptions = {},
  ) {
    this.#source = source;
    this.#publish = publish;
    this.#settleMs = settleMs;
    this.#feedSettleMs = feedSettleMs;
    this.#verdict = source.deployed ? DEPLOY_TEXT.checking : DEPLOY_TEXT.notDeployed;
  }

  get verdict(): DeployVerdict {
    return this.#verdict;
  }

  get deploying(): boolean {
    return this.#deploying;
  }

  #set(next: DeployVerdict): void {
    this.#verdict = next;
    this.#publish(next);
  }

  /** Asks the server now (on open, when the tab is shown again, after a deploy). */
  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    if (!this.#source.deployed) {
      this.#set(DEPLOY_TEXT.notDeployed);
      return;
    }
    if (this.#deploying) return; // the deploy's end asks
    const generation = ++this.#generation;
    const edits = this.#source.edits();
    try {
      const answer = await this.#source.ask(edits);
      if (generation !== this.#generation) return;
      this.#set(judgeDeployState(answer, Object.keys(edits).length > 0, this.#source.mine.get()));
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#set(verdict('unknown', `Deploy state unknown (${(error as Error).message})`));
    }
  }

  /** The learner changed a file: what runs is not the editor's code any more (until the server says it is). */
  edited(): void {
    ++this.#generation;
    if (this.#deploying) {
      this.#editedWhileDeploying = true;
      return;
    }
    // "Up to date", "failed" and "does not compile" were said of the text before this edit.
    if (STALE_ON_EDIT.has(this.#verdict.status)) this.#set(DEPLOY_TEXT.changes);
    this.#schedule(this.#settleMs);
  }

  /** The workspace was reset or switched exercises: ask again once it settles. */
  changed(): void {
    ++this.#generation;
    if (!this.#deploying) this.#schedule(this.#settleMs);
  }

  /** The live feed says one of the scenario's functions was updated (by this tab or anyone else). */
  updatedElsewhere(): void {
    if (this.#deploying) return;
    clearTimeout(this.#feedTimer);
    this.#feedTimer = setTimeout(() => void this.refresh(), this.#feedSettleMs);
  }

  /** A deploy (or a check, which deploys the attempt: `DEPLOY_TEXT.checkingAttempt`) starts. */
  deployStarted(saying: DeployVerdict = DEPLOY_TEXT.deploying): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#feedTimer);
    ++this.#generation;
    this.#deploying = true;
    this.#editedWhileDeploying = false;
    this.#set(saying);
  }

  /**
   * The deploy succeeded: `result` says what each function runs now, and the verdict follows at
   * once. Then the server is asked to confirm it — unless `confirm` is false: a Run invokes first
   * and asks after (`refresh()`), so the learner's result does not wait for that answer.
   */
  async deploySucceeded(result: DeployResult, { confirm = true }: { confirm?: boolean } = {}): Promise<void> {
    const deployed = result.functions ?? [result];
    this.#source.mine.set(Object.fromEntries(deployed.map((fn) => [fn.functionName, fn.codeSha256])));
    this.#finish(this.#editedWhileDeploying ? DEPLOY_TEXT.changes : DEPLOY_TEXT.upToDate);
    if (confirm) await this.refresh();
  }

  /** The deploy failed (`compileError`: the code did not compile, so nothing was deployed). */
  async deployFailed(compileError = false): Promise<void> {
    this.#finish(compileError ? DEPLOY_TEXT.notCompiling : DEPLOY_TEXT.failed);
    await this.refresh();
  }

  /**
   * A check ended. `deployed`: it deployed the attempt to the exercise's function (this tab did
   * that, so the CodeSha256 now running is recorded as this tab's); `compile-error`: nothing was
   * deployed; `unknown`: it failed on the way (the server is asked what runs).
   */
  async checkFinished(outcome: 'deployed' | 'compile-error' | 'unknown'): Promise<void> {
    if (outcome !== 'deployed' || !this.#source.deployed) {
      this.#finish(outcome === 'compile-error' ? DEPLOY_TEXT.notCompiling : DEPLOY_TEXT.checking);
      await this.refresh();
      return;
    }
    this.#deploying = false;
    const generation = ++this.#generation;
    const edits = this.#source.edits();
    try {
      const answer = await this.#source.ask(edits);
      const first = answer.functions[0];
      if (first) this.#source.mine.set({ [first.functionName]: first.deployedSha256 });
      if (generation !== this.#generation) return;
      this.#set(judgeDeployState(answer, Object.keys(edits).length > 0, this.#source.mine.get()));
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#set(verdict('unknown', `Deploy state unknown (${(error as Error).message})`));
    }
  }

  #finish(next: DeployVerdict): void {
    this.#deploying = false;
    ++this.#generation;
    this.#set(next);
  }

  #schedule(delay: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), delay);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#feedTimer);
    ++this.#generation;
  }
}
