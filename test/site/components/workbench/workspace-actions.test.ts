// The workspace's Run and Deploy against a workbench API that records what is asked, in order: a Run
// after an edit deploys and invokes at once (the learner waits for the result, not for the deploy
// state's own answer, which bundles the files again on the server) and confirms what runs after; a
// Deploy alone confirms before it is done.
import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkbenchApi } from '../../../../site/components/workbench/context.ts';
import type { LessonNames } from '../../../../site/components/workbench/results/names.ts';
import type { EventPanel } from '../../../../site/components/workbench/results/test-event.ts';
import type { ResultsView } from '../../../../site/components/workbench/results/view.ts';
import { ScenarioStore } from '../../../../site/components/workbench/storage.ts';
import { createActions } from '../../../../site/components/workbench/workspace/actions.ts';
import { DeployTracker } from '../../../../site/components/workbench/workspace/deploy-state.ts';
import { WorkspaceState } from '../../../../site/components/workbench/workspace/state.ts';
import type { DeployResult, DeployState, InvokeResult, ScenarioInfo } from '../../../../site/lib/workbench-api.ts';
import { installStorage } from '../../../helpers/memory-storage.ts';

const handler = 'scenarios/demo/handler.ts';
const scenario = {
  id: 'demo',
  deployed: true,
  functions: [{ path: handler }],
  function: { path: handler, source: 'HANDLER' },
  files: [{ path: handler, role: 'handler', editable: true, content: 'HANDLER' }],
  exercises: [],
} as unknown as ScenarioInfo;

/** The workbench API as the server answers it, with the calls in the order they were made and finished. */
class RecordingApi {
  readonly log: string[] = [];
  deployed = 'original';

  readonly api: WorkbenchApi = {
    get: () => Promise.reject(new Error('no GET expected')),
    post: async <T>(path: string, body: unknown): Promise<T> => {
      const action = path.split('/').at(-1) ?? path;
      this.log.push(`${action} asked`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      this.log.push(`${action} answered`);
      if (action === 'deploy') {
        this.deployed = JSON.stringify((body as { files: unknown }).files);
        return {
          functionName: 'fn',
          codeSha256: this.deployed,
          bundleBytes: 1,
          durationMs: 5,
        } satisfies DeployResult as T;
      }
      if (action === 'invoke') return { statusCode: 200, logs: '', durationMs: 1 } satisfies InvokeResult as T;
      throw new Error(`unexpected POST ${path}`);
    },
    postLines: () => Promise.reject(new Error('no check expected')),
    url: (path) => path,
  };

  /** What the tracker asks: the deploy state of the editor's files. */
  ask = async (edits: Record<string, string>): Promise<DeployState> => {
    this.log.push('deploy-state asked');
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.log.push('deploy-state answered');
    const editor = Object.keys(edits).length === 0 ? 'original' : JSON.stringify(edits);
    return {
      functions: [
        {
          functionName: 'fn',
          path: handler,
          deployedSha256: this.deployed,
          editorSha256: editor,
          originalSha256: 'original',
          baselineSha256: 'original',
        },
      ],
    };
  };
}

/** Everything the actions touch besides the API and the deploy state: views that accept any call. */
const anyView = <T>() => new Proxy({}, { get: () => () => 0 }) as T;

function workspace() {
  const cloud = new RecordingApi();
  const store = new ScenarioStore('demo');
  const state = new WorkspaceState(scenario, store);
  let mine: Readonly<Record<string, string>> = {};
  const tracker = new DeployTracker(
    {
      deployed: true,
      edits: () => state.edits(),
      ask: cloud.ask,
      mine: { get: () => mine, set: (shas) => (mine = shas) },
    },
    (verdict) => state.setDeploy(verdict),
  );
  const events = {
    event: () => ({ rawPath: '/' }),
    invocationType: () => 'RequestResponse',
    functionIndex: () => undefined,
  } as unknown as EventPanel;
  const actions = createActions({
    idPrefix: 'wb-demo',
    api: cloud.api,
    state,
    store,
    tracker,
    results: anyView<ResultsView>(),
    events,
    lessonNames: { functions: [{ physical: 'fn' }] } as unknown as LessonNames,
    editor: () => undefined,
    showProblems: () => undefined,
    announce: () => undefined,
  });
  return { cloud, state, tracker, actions };
}

/** Lets the timers and answers still on their way finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('Run and Deploy', () => {
  beforeEach(installStorage);

  it('runs an edit as deploy then invoke, and asks what runs only after the result', async () => {
    const { cloud, state, tracker, actions } = workspace();
    await tracker.refresh();
    state.edit(handler, 'EDITED');
    tracker.edited();
    cloud.log.length = 0;

    await actions.run();
    await settle();

    expect(cloud.log).toEqual([
      'deploy asked',
      'deploy answered',
      'invoke asked',
      'invoke answered',
      'deploy-state asked',
      'deploy-state answered',
    ]);
    // The answer confirms the verdict the deploy gave.
    expect(tracker.verdict.status).toBe('up-to-date');
  });

  it('runs unchanged code without deploying or asking', async () => {
    const { cloud, tracker, actions } = workspace();
    await tracker.refresh();
    cloud.log.length = 0;

    await actions.run();
    await settle();

    expect(cloud.log).toEqual(['invoke asked', 'invoke answered']);
  });

  it('confirms a Deploy with the server before it is done', async () => {
    const { cloud, state, tracker, actions } = workspace();
    await tracker.refresh();
    state.edit(handler, 'EDITED');
    tracker.edited();
    cloud.log.length = 0;

    await actions.deploy();

    expect(cloud.log).toEqual(['deploy asked', 'deploy answered', 'deploy-state asked', 'deploy-state answered']);
    expect(tracker.verdict.status).toBe('up-to-date');
  });
});
