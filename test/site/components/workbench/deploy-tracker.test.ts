// The deploy state machine: every verdict it shows is true when shown — on open, after an edit,
// while and after a deploy (one that succeeds, one that fails, one the learner edits during), after
// a reload of the tab and when someone else deploys.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type DeployStateSource,
  DeployTracker,
  type DeployVerdict,
} from '../../../../site/components/workbench/workspace/deploy-state.ts';
import type { DeployResult, DeployState } from '../../../../site/lib/workbench-api.ts';

/** A function as GetFunction reports it, and the bundle of a set of edits as the server hashes it. */
class FakeCloud {
  /** What the function runs: the stack's own deploy at first. */
  deployed = 'stack';
  /** The workspace's edited files. */
  edits: Record<string, string> = {};
  /** What this tab recorded it deployed (sessionStorage: survives a reload of the tab). */
  mine: Record<string, string> = {};
  /** Answers held back until `answer()` (to order them against edits and deploys). */
  held: Array<() => void> = [];
  hold = false;
  down = false;
  asked = 0;

  static sha(edits: Record<string, string>): string {
    return Object.keys(edits).length === 0 ? 'original' : `bundle:${JSON.stringify(edits)}`;
  }

  source(deployed = true): DeployStateSource {
    return {
      deployed,
      edits: () => ({ ...this.edits }),
      ask: (edits) => {
        this.asked += 1;
        // The answer judges the files asked about, against what runs when it is answered.
        const answer = (): DeployState => ({
          functions: [
            {
              functionName: 'fn',
              path: 'scenarios/demo/handler.ts',
              deployedSha256: this.deployed,
              editorSha256: FakeCloud.sha(edits),
              originalSha256: 'original',
              baselineSha256: 'stack',
            },
          ],
        });
        if (this.down) return Promise.reject(new Error('connection refused'));
        if (!this.hold) return Promise.resolve(answer());
        return new Promise((resolve) => this.held.push(() => resolve(answer())));
      },
      mine: {
        get: () => this.mine,
        set: (shas) => {
          this.mine = { ...this.mine, ...shas };
        },
      },
    };
  }

  /** The server deploys the edits (what POST /deploy does) and says what it deployed. */
  deploy(): DeployResult {
    this.deployed = FakeCloud.sha(this.edits);
    return { functionName: 'fn', codeSha256: this.deployed, bundleBytes: 1, durationMs: 1 };
  }

  answer(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

function track(cloud: FakeCloud, deployed = true) {
  const shown: DeployVerdict[] = [];
  const tracker = new DeployTracker(cloud.source(deployed), (verdict) => shown.push(verdict), {
    settleMs: 800,
    feedSettleMs: 400,
  });
  return { tracker, shown, status: () => tracker.verdict.status };
}

describe('DeployTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says it is checking until the server answers, then that untouched code is up to date', async () => {
    const cloud = new FakeCloud();
    const { tracker, status } = track(cloud);
    expect(tracker.verdict.text).toBe('Checking what is deployed…');
    await tracker.refresh();
    expect(status()).toBe('up-to-date');
    expect(tracker.verdict.text).toBe('Deployed code is up to date');
  });

  it('says "changes" the moment the learner edits, and asks again once the typing settles', async () => {
    const cloud = new FakeCloud();
    const { tracker, status } = track(cloud);
    await tracker.refresh();
    cloud.edits = { 'scenarios/demo/handler.ts': 'edited' };
    tracker.edited();
    expect(status()).toBe('changes');
    expect(cloud.asked).toBe(1);
    await vi.advanceTimersByTimeAsync(799);
    expect(cloud.asked).toBe(1);
    tracker.edited(); // still typing: the wait starts again
    await vi.advanceTimersByTimeAsync(800);
    expect(cloud.asked).toBe(2);
    expect(status()).toBe('changes');
  });

  it('deploys: deploying → up to date, confirmed by the server', async () => {
    const cloud = new FakeCloud();
    const { tracker, shown } = track(cloud);
    await tracker.refresh();
    cloud.edits = { 'scenarios/demo/handler.ts': 'edited' };
    tracker.edited();
    tracker.deployStarted();
    expect(tracker.verdict.text).toBe('Deploying…');
    await tracker.deploySucceeded(cloud.deploy());
    expect(shown.map((verdict) => verdict.status)).toEqual([
      'up-to-date',
      'changes',
      'deploying',
      'up-to-date',
      'up-to-date',
    ]);
    expect(cloud.mine).toEqual({ fn: FakeCloud.sha(cloud.edits) });
    // The edit's own wait was cancelled by the deploy: no ask about stale text later.
    const asked = cloud.asked;
    await vi.advanceTimersByTimeAsync(2000);
    expect(cloud.asked).toBe(asked);
  });

  it('a deploy that fails says so, then what the server says runs; a compile error says it does not compile', async () => {
    const cloud = new FakeCloud();
    const { tracker, shown, status } = track(cloud);
    await tracker.refresh();
    cloud.edits = { 'scenarios/demo/handler.ts': 'edited' };
    tracker.edited();
    tracker.deployStarted();
    cloud.hold = true;
    const failed = tracker.deployFailed();
    expect(tracker.verdict.text).toBe('Deploy failed: the function still runs the code deployed before');
    cloud.answer();
    await failed;
    expect(status()).toBe('changes');
    expect(shown.at(-2)?.status).toBe('failed');

    tracker.deployStarted();
    const compileFailed = tracker.deployFailed(true);
    expect(status()).toBe('not-compiling');
    cloud.answer();
    await compileFailed;
    // An edit makes "does not compile" (said of the text before it) a plain "changes".
    tracker.edited();
    expect(status()).toBe('changes');
  });

  it('an edit during a deploy: deploying stays said, and the end says "changes", not "up to date"', async () => {
    const cloud = new FakeCloud();
    const { tracker, status } = track(cloud);
    await tracker.refresh();
    cloud.edits = { 'scenarios/demo/handler.ts': 'first' };
    tracker.deployStarted();
    const result = cloud.deploy();
    cloud.edits = { 'scenarios/demo/handler.ts': 'second' };
    tracker.edited();
    expect(status()).toBe('deploying');
    cloud.hold = true;
    const done = tracker.deploySucceeded(result);
    expect(status()).toBe('changes');
    cloud.answer();
    await done;
    expect(status()).toBe('changes');
    // What this tab deployed is known: the running code is not "changed elsewhere".
    expect(tracker.verdict.changedElsewhere).toEqual([]);
  });

  it('drops an answer about text the learner has changed since it was asked', async () => {
    const cloud = new FakeCloud();
    const { tracker, status } = track(cloud);
    cloud.hold = true;
    const first = tracker.refresh();
    // The learner types before the answer (about the untouched files: "up to date") arrives.
    cloud.edits = { 'scenarios/demo/handler.ts': 'typed' };
    tracker.edited();
    cloud.answer();
    await first;
    expect(status()).not.toBe('up-to-date');
    await vi.advanceTimersByTimeAsync(800);
    cloud.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(status()).toBe('changes');
  });

  it('drops an answer asked before a deploy started', async () => {
    const cloud = new FakeCloud();
    const { tracker, status } = track(cloud);
    cloud.edits = { 'scenarios/demo/handler.ts': 'edited' };
    cloud.hold = true;
    const before = tracker.refresh();
    tracker.deployStarted();
    cloud.answer();
    await before;
    expect(status()).toBe('deploying');
  });

  it('after a reload, code this tab deployed is up to date; a deploy from elsewhere is named', async () => {
    const cloud = new FakeCloud();
    const first = track(cloud);
    await first.tracker.refresh();
    cloud.edits = { 'scenarios/demo/handler.ts': 'edited' };
    first.tracker.deployStarted();
    await first.tracker.deploySucceeded(cloud.deploy());
    first.tracker.dispose();

    // The tab reloads: a new tracker, the same edits and the same record of this tab's deploys.
    const reloaded = track(cloud);
    expect(reloaded.status()).toBe('checking');
    await reloaded.tracker.refresh();
    expect(reloaded.status()).toBe('up-to-date');

    // `npm run verify` deploys the original code: the live feed reports the update.
    cloud.deployed = 'original';
    reloaded.tracker.updatedElsewhere();
    reloaded.tracker.updatedElsewhere();
    await vi.advanceTimersByTimeAsync(400);
    expect(reloaded.status()).toBe('elsewhere');
    expect(reloaded.tracker.verdict.text).toBe('Changed elsewhere: fn runs code deployed from outside this page');
  });

  it('ignores the live feed during its own deploy (the deploy asks when it ends)', async () => {
    const cloud = new FakeCloud();
    const { tracker } = track(cloud);
    await tracker.refresh();
    tracker.deployStarted();
    tracker.updatedElsewhere();
    await vi.advanceTimersByTimeAsync(1000);
    expect(cloud.asked).toBe(1);
    expect(tracker.deploying).toBe(true);
  });

  it('after a check, records the attempt it deployed as this tab’s', async () => {
    const cloud = new FakeCloud();
    const { tracker, status } = track(cloud);
    cloud.edits = { 'scenarios/demo/handler.ts': 'attempt' };
    tracker.deployStarted();
    cloud.deploy(); // the check deploys the attempt
    await tracker.checkFinished('deployed');
    expect(cloud.mine).toEqual({ fn: FakeCloud.sha(cloud.edits) });
    expect(status()).toBe('up-to-date');

    tracker.deployStarted();
    await tracker.checkFinished('compile-error');
    expect(status()).toBe('up-to-date'); // the server's answer: nothing was deployed, the attempt still runs
  });

  it('says when the stack is not deployed (without asking), and when the server cannot be asked', async () => {
    const cloud = new FakeCloud();
    const absent = track(cloud, false);
    expect(absent.tracker.verdict.text).toBe('Not deployed');
    await absent.tracker.refresh();
    expect(cloud.asked).toBe(0);

    cloud.down = true;
    const { tracker, status } = track(cloud);
    await tracker.refresh();
    expect(status()).toBe('unknown');
    expect(tracker.verdict.text).toBe('Deploy state unknown (connection refused)');
  });
});
