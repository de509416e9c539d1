// The workspace's actions — Deploy, Run and Check my work — one at a time, against the workbench
// API. Each tells the deploy tracker what it did, so the toolbar's deploy state stays true, and the
// results view what came of it.
import type {
  CheckProgress,
  CheckReport,
  CompileFailure,
  DeployResult,
  ExerciseInfo,
  InvokeRequest,
  InvokeResult,
} from '../../../lib/workbench-api.ts';
import { ApiRequestError } from '../api.ts';
import type { WorkbenchApi } from '../context.ts';
import type { CodeEditor } from '../editor/code-editor.ts';
import type { LessonNames } from '../results/names.ts';
import type { EventPanel } from '../results/test-event.ts';
import type { ResultsView } from '../results/view.ts';
import type { ScenarioStore } from '../storage.ts';
import { DEPLOY_TEXT, type DeployTracker } from './deploy-state.ts';
import type { WorkspaceState } from './state.ts';

export interface ActionsHost {
  readonly idPrefix: string;
  readonly api: WorkbenchApi;
  readonly state: WorkspaceState;
  readonly store: ScenarioStore;
  readonly tracker: DeployTracker;
  readonly results: ResultsView;
  readonly events: EventPanel;
  readonly lessonNames: LessonNames;
  editor(): CodeEditor | undefined;
  showProblems(failure: CompileFailure | undefined): void;
  announce(text: string): void;
}

export interface WorkspaceActions {
  deploy(): Promise<void>;
  run(): Promise<void>;
  check(exercise: ExerciseInfo, onProgress?: (progress: CheckProgress) => void): Promise<CheckReport | undefined>;
}

export function createActions(host: ActionsHost): WorkspaceActions {
  const { api, state, store, tracker, results, events, lessonNames, announce } = host;
  const scenarioId = state.scenario.id;
  const path = (action: string) => `/scenarios/${encodeURIComponent(scenarioId)}/${action}`;

  /** Runs one action at a time; Deploy, Run and Check share the functions. */
  const exclusive = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (state.busy) {
      announce('Wait: the workbench is still busy with the previous action.');
      return undefined;
    }
    state.setBusy(true);
    try {
      return await action();
    } finally {
      state.setBusy(false);
    }
  };

  /** Shows a compile failure at its lines; false when `error` is another failure. */
  const compileFailed = (error: unknown): boolean => {
    if (!(error instanceof ApiRequestError) || error.error !== 'CompileError') return false;
    const failure = error.body as unknown as CompileFailure;
    const errors = Array.isArray(failure.errors) ? failure.errors : [];
    host.editor()?.setErrors(errors);
    host.showProblems({ ...failure, errors });
    results.compileFailed({ ...failure, errors });
    return true;
  };
  const clearProblems = () => {
    host.editor()?.setErrors([]);
    host.showProblems(undefined);
  };

  /** Deploys the workspace; `confirm: false` leaves asking the server what runs to the caller (Run asks after its invoke). */
  const deploy = async ({ confirm = true }: { confirm?: boolean } = {}): Promise<boolean> => {
    results.busy('Deploying your code…');
    tracker.deployStarted();
    try {
      const result = await api.post<DeployResult>(path('deploy'), { files: state.edits() });
      store.updateProgress((progress) => ({ ...progress, deploys: progress.deploys + 1 }));
      clearProblems();
      results.deployed(result);
      announce(`Deployed in ${Math.round(result.durationMs)} milliseconds.`);
      await tracker.deploySucceeded(result, { confirm });
      return true;
    } catch (error) {
      const compileError = compileFailed(error);
      if (!compileError) results.failed(error, 'Deploy');
      await tracker.deployFailed(compileError);
      return false;
    }
  };

  const run = async (): Promise<void> => {
    const event = events.event();
    if (event === undefined) {
      // Said where the learner looks: beside the event editor (its tab shown) and in the results.
      document.getElementById(`${host.idPrefix}-in-tab-event`)?.click();
      events.element.querySelector('textarea')?.focus();
      results.invalidEvent(events.element.querySelector('.wb-field-error')?.textContent ?? '');
      announce('The event is not valid JSON; fix it before running.');
      return;
    }
    // Edited: deploy, then invoke at once; what runs is confirmed with the server after the result.
    const deployed = tracker.verdict.status !== 'up-to-date';
    if (deployed && !(await deploy({ confirm: false }))) return;
    const invocationType = events.invocationType();
    results.busy(invocationType === 'Event' ? 'Queuing the event…' : 'Running…');
    try {
      const functionIndex = events.functionIndex();
      const functionName = lessonNames.functions[functionIndex ?? 0]?.physical ?? '';
      const request: InvokeRequest = { event, invocationType, ...(functionIndex ? { functionIndex } : {}) };
      const runNumber = results.runStarted(functionName, invocationType);
      const result = await api.post<InvokeResult>(path('invoke'), request);
      store.updateProgress((progress) => ({ ...progress, runs: progress.runs + 1 }));
      results.invoked(runNumber, functionName, result, invocationType);
      performance.mark(`wb-result:${scenarioId}`);
    } catch (error) {
      results.failed(error, 'Run');
    } finally {
      if (deployed) void tracker.refresh();
    }
  };

  const check = async (
    exercise: ExerciseInfo,
    onProgress?: (progress: CheckProgress) => void,
  ): Promise<CheckReport | undefined> => {
    results.busy(`Checking “${exercise.title}”…`);
    tracker.deployStarted(DEPLOY_TEXT.checkingAttempt);
    const { [state.exerciseFile]: _attempt, ...files } = state.edits();
    const source = state.file(state.exerciseFile)?.text ?? '';
    try {
      let report: CheckReport | undefined;
      let total = 0;
      let done = 0;
      await api.postLines<CheckProgress>(
        path(`exercises/${encodeURIComponent(exercise.id)}/check`),
        { source, files },
        (progress) => {
          if (progress.kind === 'report') report = progress.report;
          else if (progress.kind === 'error') throw new ApiRequestError(500, { ...progress.error });
          else if (progress.kind === 'deploying') results.busy(`Checking “${exercise.title}”: deploying your code…`);
          else if (progress.kind === 'running') total = progress.tests.length;
          else if (progress.kind === 'test') done += 1;
          if (progress.kind === 'running' || progress.kind === 'test') {
            results.busy(`Checking “${exercise.title}”: ${done} of ${total} tests done…`);
          }
          onProgress?.(progress);
        },
      );
      if (report === undefined) throw new Error('The check ended without a report.');
      if (report.status !== 'error') clearProblems();
      results.checked(report);
      await tracker.checkFinished(report.status !== 'error' ? 'deployed' : 'unknown');
      return report;
    } catch (error) {
      const compileError = compileFailed(error);
      if (!compileError) results.failed(error, 'Check');
      await tracker.checkFinished(compileError ? 'compile-error' : 'unknown');
      return undefined;
    }
  };

  return {
    deploy: async () => {
      await exclusive(deploy);
    },
    run: async () => {
      await exclusive(run);
    },
    check: (exercise, onProgress) => exclusive(() => check(exercise, onProgress)),
  };
}
