// The workspace's state: edits kept per file, exercises that start from their starters with the
// learner's attempt kept per exercise, and the scenario's own handler back when no exercise is chosen.
import { beforeEach, describe, expect, it } from 'vitest';
import { ScenarioStore } from '../../../../site/components/workbench/storage.ts';
import { WorkspaceState } from '../../../../site/components/workbench/workspace/state.ts';
import type { ScenarioInfo } from '../../../../site/lib/workbench-api.ts';
import { installStorage } from '../../../helpers/memory-storage.ts';

const handler = 'scenarios/demo/handler.ts';
const module = 'scenarios/demo/metrics.ts';
const scenario = {
  id: 'demo',
  functions: [{ path: handler }],
  function: { path: handler, source: 'HANDLER' },
  files: [
    { path: handler, role: 'handler', editable: true, content: 'HANDLER' },
    { path: module, role: 'module', editable: true, content: 'MODULE' },
    { path: 'scenarios/demo/infra.ts', role: 'infra', editable: false, content: 'INFRA' },
  ],
  exercises: [
    { id: 'one', title: 'One', statement: '', starter: 'STARTER-1', solution: 'SOLUTION-1' },
    { id: 'two', title: 'Two', statement: '', starter: 'STARTER-2', solution: 'SOLUTION-2' },
    { id: 'infra', title: 'Infra', statement: '', starter: 'INFRA', solution: 'INFRA-SOLVED', edits: 'infra.ts' },
  ],
} as unknown as ScenarioInfo;

describe('WorkspaceState', () => {
  beforeEach(installStorage);

  it('keeps edits per file, across a reload, and sends only what differs from the files', () => {
    const state = new WorkspaceState(scenario, new ScenarioStore('demo'));
    state.edit(module, 'MODULE EDITED');
    state.edit('scenarios/demo/infra.ts', 'NOPE');
    expect(state.edits()).toEqual({ [module]: 'MODULE EDITED' });
    expect(state.changed(module)).toBe(true);
    expect(state.file('scenarios/demo/infra.ts')?.text).toBe('INFRA');

    const reloaded = new WorkspaceState(scenario, new ScenarioStore('demo'));
    expect(reloaded.file(module)?.text).toBe('MODULE EDITED');
    reloaded.edit(module, 'MODULE');
    expect(new WorkspaceState(scenario, new ScenarioStore('demo')).edits()).toEqual({});
  });

  it('starts an exercise from its starter and keeps each attempt; no exercise brings the handler back', () => {
    const state = new WorkspaceState(scenario, new ScenarioStore('demo'));
    state.edit(handler, 'MY HANDLER');
    state.chooseExercise('one');
    expect(state.file(handler)).toMatchObject({ text: 'STARTER-1', original: 'STARTER-1' });
    expect(state.edits()).toEqual({ [handler]: 'STARTER-1' });
    state.edit(handler, 'ATTEMPT-1');
    state.chooseExercise('two');
    expect(state.file(handler)?.text).toBe('STARTER-2');
    state.chooseExercise('one');
    expect(state.file(handler)?.text).toBe('ATTEMPT-1');
    state.chooseExercise(undefined);
    expect(state.file(handler)).toMatchObject({ text: 'MY HANDLER', original: 'HANDLER' });

    // After a reload: the exercise chosen last, with its attempt.
    state.chooseExercise('one');
    const reloaded = new WorkspaceState(scenario, new ScenarioStore('demo'));
    expect(reloaded.exercise?.id).toBe('one');
    expect(reloaded.file(handler)?.text).toBe('ATTEMPT-1');
    reloaded.chooseExercise(undefined);
    expect(reloaded.file(handler)?.text).toBe('MY HANDLER');
  });

  it('works on an exercise on the infrastructure in infra.ts, editable only while it is chosen', () => {
    // GIVEN an edited handler and an exercise that edits infra.ts
    const infra = 'scenarios/demo/infra.ts';
    const state = new WorkspaceState(scenario, new ScenarioStore('demo'));
    state.edit(handler, 'MY HANDLER');

    // WHEN the exercise is chosen and the learner edits its file
    state.chooseExercise('infra');
    expect(state.exerciseFile).toBe(infra);
    expect(state.selected.path).toBe(infra);
    expect(state.file(infra)).toMatchObject({ editable: true, original: 'INFRA', text: 'INFRA' });
    state.edit(infra, 'INFRA ATTEMPT');

    // THEN the attempt is kept, the handler keeps the learner's edit, and Deploy never sends infra.ts
    expect(state.file(infra)?.text).toBe('INFRA ATTEMPT');
    expect(state.file(handler)?.text).toBe('MY HANDLER');
    expect(state.edits()).toEqual({ [handler]: 'MY HANDLER' });
    expect(new WorkspaceState(scenario, new ScenarioStore('demo')).file(infra)?.text).toBe('INFRA ATTEMPT');

    // WHEN the learner goes back to the lesson THEN infra.ts is read-only and as on disk again
    state.chooseExercise(undefined);
    expect(state.exerciseFile).toBe(handler);
    expect(state.file(infra)).toMatchObject({ editable: false, text: 'INFRA' });
    state.edit(infra, 'NOPE');
    expect(state.file(infra)?.text).toBe('INFRA');
    expect(state.file(handler)?.text).toBe('MY HANDLER');
  });
});
