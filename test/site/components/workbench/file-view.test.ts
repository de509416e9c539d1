// The file view's decisions: which files open read-only, in which order the editor loads them, what
// the head above the editor says (role, the exercise's attempt, Revert/Reset, Show changes).
import { beforeEach, describe, expect, it } from 'vitest';
import { ScenarioStore } from '../../../../site/components/workbench/storage.ts';
import {
  describeFileHead,
  editorFiles,
  editorLabel,
} from '../../../../site/components/workbench/workspace/file-view.ts';
import { WorkspaceState } from '../../../../site/components/workbench/workspace/state.ts';
import type { ScenarioInfo } from '../../../../site/lib/workbench-api.ts';
import { installStorage } from '../../../helpers/memory-storage.ts';

const handler = 'scenarios/demo/handler.ts';
const module = 'scenarios/demo/metrics.ts';
const infra = 'scenarios/demo/infra.ts';
const sample = 'scenarios/demo/events/put.json';
const scenario = {
  id: 'demo',
  functions: [{ path: handler }],
  function: { path: handler, source: 'HANDLER' },
  files: [
    { path: infra, role: 'infra', editable: false, content: 'INFRA' },
    { path: sample, role: 'event', editable: false, content: '{}' },
    { path: handler, role: 'handler', editable: true, content: 'HANDLER' },
    { path: module, role: 'module', editable: true, content: 'MODULE' },
  ],
  exercises: [
    { id: 'one', title: 'One', statement: '', starter: 'STARTER-1', solution: 'SOLUTION-1' },
    { id: 'infra', title: 'Infra', statement: '', starter: 'INFRA', solution: 'INFRA-SOLVED', edits: 'infra.ts' },
  ],
} as unknown as ScenarioInfo;

describe('file view', () => {
  beforeEach(installStorage);

  it('loads the open file first, then the editable files, then the read-only ones (read-only in the editor)', () => {
    const state = new WorkspaceState(scenario, new ScenarioStore('demo'));
    state.select(module);
    expect(editorFiles(state).map((file) => [file.path, file.readOnly])).toEqual([
      [module, false],
      [handler, false],
      [infra, true],
      [sample, true],
    ]);
    expect(editorLabel(state, handler)).toBe('Code, handler.ts');
    expect(editorLabel(state, infra)).toBe('Read-only file, infra.ts');
  });

  it('says what the open file is; Revert shows for editable files and works once the file changed', () => {
    const state = new WorkspaceState(scenario, new ScenarioStore('demo'));
    expect(describeFileHead(state, false)).toEqual({
      title: 'handler.ts',
      role: 'handler',
      attempt: undefined,
      revert: { shown: true, enabled: false, label: 'Revert this file' },
      diffEnabled: false,
    });
    state.edit(handler, 'EDITED');
    expect(describeFileHead(state, false)).toMatchObject({ revert: { enabled: true }, diffEnabled: true });
    state.select(infra);
    expect(describeFileHead(state, false)).toMatchObject({
      role: 'infrastructure (CDK), read-only',
      revert: { shown: false },
      diffEnabled: false,
    });
    // An open diff can always be closed again.
    expect(describeFileHead(state, true).diffEnabled).toBe(true);
  });

  it('in an exercise, the file holds the attempt: "Reset to starter"; infra.ts is not called read-only while edited', () => {
    const state = new WorkspaceState(scenario, new ScenarioStore('demo'));
    state.chooseExercise('one');
    expect(describeFileHead(state, false)).toMatchObject({
      attempt: 'One',
      revert: { shown: true, enabled: false, label: 'Reset to starter' },
    });
    state.chooseExercise('infra');
    expect(describeFileHead(state, false)).toMatchObject({
      title: 'infra.ts',
      role: 'infrastructure (CDK)',
      attempt: 'Infra',
      revert: { shown: true, label: 'Reset to starter' },
    });
    expect(editorFiles(state)[0]).toEqual({ path: infra, value: 'INFRA', readOnly: false });
  });
});
