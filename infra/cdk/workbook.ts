import { type App, Stack } from 'aws-cdk-lib';
import { ClassBudget } from './class-budget.ts';
import { LearnerAccess } from './learner-access.ts';
import { SCENARIOS, type ScenarioId, ScenarioStack, scenarioStackName } from './scenario-stack.ts';
import type { WorkbookSettings } from './settings.ts';

/** The stack holding learner roles and groups and the budget, in class mode. */
export const CLASS_STACK_NAME = 'LambdaWorkbook-Class';

export interface Workbook {
  readonly scenarioStacks: ScenarioStack[];
  readonly classStack?: Stack;
}

/**
 * Adds the workbook's stacks to `app`: one per scenario, or, with learners, one per scenario per
 * learner plus the class stack (learner access, budget) they depend on.
 */
export function addWorkbookStacks(app: App, settings: WorkbookSettings): Workbook {
  const scenarioIds = Object.keys(SCENARIOS) as ScenarioId[];
  const common = { reservedConcurrency: settings.reservedConcurrency, kinesis: settings.kinesis };

  let classStack: Stack | undefined;
  if (settings.learners.length > 0 || settings.budget !== undefined) {
    classStack = new Stack(app, CLASS_STACK_NAME, {
      description: 'Lambda Workbook: class sandbox access (a role and group per learner) and budget',
    });
    for (const learner of settings.learners) new LearnerAccess(classStack, `Learner-${learner}`, { learner });
    if (settings.budget !== undefined && settings.budgetEmail !== undefined) {
      new ClassBudget(classStack, 'Budget', { limitUsd: settings.budget, email: settings.budgetEmail });
    }
  }

  const scenarioStacks: ScenarioStack[] = [];
  const copies: (string | undefined)[] = settings.learners.length > 0 ? [...settings.learners] : [undefined];
  for (const learner of copies) {
    for (const scenario of scenarioIds) {
      const stack = new ScenarioStack(app, scenarioStackName(scenario, learner), { ...common, scenario, learner });
      if (learner !== undefined && classStack !== undefined) stack.addStackDependency(classStack, 'the learner role');
      scenarioStacks.push(stack);
    }
  }
  return { scenarioStacks, classStack };
}
