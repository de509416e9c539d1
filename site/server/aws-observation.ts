// AWS mode's observation of one learner's sandbox: the log observer (FilterLogEvents on the
// scenarios' log groups, within the learner's share of the account quota) and the resource
// observer (bucket listings and table scans when the logs say a function started or finished),
// merged into the one trace the workbench renders. `npm start -- --target aws` and the class
// simulation (tools/simulate-class.ts) both run it.
import { LOGS_QUOTAS, rateIn } from '../../infra/local/quotas/aws-quotas.ts';
import { SCENARIO_IDS, SCENARIOS } from '../../scenarios/catalog.ts';
import { createLogObserver, type LogObserver, type ObservedLogGroup } from './log-observer.ts';
import { learnerBudget } from './observation-schedule.ts';
import {
  createResourceObserver,
  marksFunctionActivity,
  mergeTraceSources,
  type ResourceObserver,
} from './resource-observer.ts';
import type { TraceSource } from './runtime.ts';
import { stackOutputs, type Target } from './target.ts';

export interface AwsObservationOptions {
  readonly target: Target;
  /** Learners sharing the account (the class size): each gets an equal share of the quota. @default 1 */
  readonly learners?: number;
  /** A problem reading logs or resources (said once per kind by the caller). */
  readonly onError?: (what: string, error: unknown) => void;
}

export interface AwsObservation {
  readonly trace: TraceSource & { nudge(scenario?: string): void };
  readonly logs: LogObserver;
  readonly resources: ResourceObserver;
  /** FilterLogEvents calls per second this learner may spend. */
  readonly budgetPerSecond: number;
  close(): void;
}

/** The scenarios' log groups deployed for this target, with their function and scenario. */
export function observedLogGroups(target: Target): ObservedLogGroup[] {
  return Object.values(SCENARIOS).flatMap((scenario) => {
    const outputs = stackOutputs(target, scenario.stack);
    const group = outputs?.[scenario.outputs.logGroup ?? ''];
    const functionName = outputs?.[scenario.functions[0].output];
    return group && functionName ? [{ logGroupName: group, functionName, scenario: scenario.id }] : [];
  });
}

export function createAwsObservation({ target, learners = 1, onError }: AwsObservationOptions): AwsObservation {
  const budgetPerSecond = learnerBudget(rateIn(LOGS_QUOTAS.FilterLogEvents, target.region), learners);
  const groups = () => observedLogGroups(target);
  const logs = createLogObserver({
    target,
    budgetPerSecond,
    logGroups: groups,
    onError: (error, group) => onError?.(`Reading the logs of ${group.functionName}`, error),
  });
  const resources = createResourceObserver({
    target,
    scenarios: () => SCENARIO_IDS.filter((id) => stackOutputs(target, SCENARIOS[id].stack) !== undefined),
    onError: (error, scenario) => onError?.(`Looking at the ${scenario} resources`, error),
  });
  // A START or REPORT line says a function ran: look at its scenario's buckets and tables.
  const trace = mergeTraceSources([logs, resources], (record) => {
    if (!marksFunctionActivity(record)) return;
    const scenario = groups().find((group) => group.functionName === record.detail.functionName)?.scenario;
    resources.nudge(scenario);
  });
  return {
    trace,
    logs,
    resources,
    budgetPerSecond,
    close() {
      logs.close();
      resources.close();
    },
  };
}
