import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { type IGrantable, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { SCENARIOS as CATALOG, SCENARIO_IDS, type ScenarioId } from '../../scenarios/catalog.ts';
import { MobileClicks } from '../../scenarios/mobile-clicks/infra.ts';
import { StreamMetrics } from '../../scenarios/stream-metrics/infra.ts';
import { Thumbnails } from '../../scenarios/thumbnails/infra.ts';
import { WebBackend } from '../../scenarios/web-backend/infra.ts';
import type { WorkbookFunctionOptions } from './constructs/workbook-function.ts';
import { learnerRoleName } from './learner-access.ts';

/** The scenarios, by folder name, with the stack-name part of each (from their manifests). */
export const SCENARIOS: Readonly<Record<ScenarioId, string>> = Object.fromEntries(
  SCENARIO_IDS.map((id) => [id, CATALOG[id].stackPart]),
) as Record<ScenarioId, string>;

export type { ScenarioId };

/** `LambdaWorkbook-Thumbnails`, or `LambdaWorkbook-ada-Thumbnails` for learner ada. */
export const scenarioStackName = (scenario: ScenarioId, learner?: string): string =>
  learner === undefined ? `LambdaWorkbook-${SCENARIOS[scenario]}` : `LambdaWorkbook-${learner}-${SCENARIOS[scenario]}`;

export interface ScenarioStackProps extends StackProps, WorkbookFunctionOptions {
  /** Which scenario the stack holds. */
  readonly scenario: ScenarioId;
  /**
   * The learner whose copy this is; their role (LearnerAccess) is granted this stack's resources.
   * @default - a shared copy, no learner role
   */
  readonly learner?: string;
  /**
   * Deploy the stream-metrics scenario's Kinesis variant.
   * @default true
   */
  readonly kinesis?: boolean;
}

interface Scenario {
  grantLearnerAccess(grantee: IGrantable): void;
}

/**
 * Each scenario's construct (its `infra.ts`), under the construct id its stacks have always used.
 * A Record, so a scenario in the catalog without a construct fails to compile.
 */
const CONSTRUCTS: Readonly<
  Record<ScenarioId, (scope: Construct, options: WorkbookFunctionOptions, props: ScenarioStackProps) => Scenario>
> = {
  thumbnails: (scope, options) => new Thumbnails(scope, 'Thumbnails', options),
  'stream-metrics': (scope, options, { kinesis }) => new StreamMetrics(scope, 'StreamMetrics', { ...options, kinesis }),
  'web-backend': (scope, options) => new WebBackend(scope, 'WebBackend', options),
  'mobile-clicks': (scope, options) => new MobileClicks(scope, 'MobileClicks', options),
};

/** One scenario's resources as one stack (one per learner in class mode). */
export class ScenarioStack extends Stack {
  readonly scenario: Scenario;

  constructor(scope: Construct, id: string, props: ScenarioStackProps) {
    super(scope, id, {
      description: `Lambda Workbook: the ${props.scenario} scenario${props.learner ? ` for learner ${props.learner}` : ''}`,
      ...props,
    });
    if (!(props.scenario in SCENARIOS)) {
      throw new Error(`${id}: unknown scenario '${props.scenario}' (known: ${Object.keys(SCENARIOS).join(', ')})`);
    }
    const options = { reservedConcurrency: props.reservedConcurrency, logRetention: props.logRetention };
    this.scenario = CONSTRUCTS[props.scenario](this, options, props);
    Tags.of(this).add('lambda-workbook:scenario', props.scenario);
    if (props.learner !== undefined) {
      Tags.of(this).add('lambda-workbook:learner', props.learner);
      // The role lives in the class stack under a fixed name; grants made here become an
      // AWS::IAM::Policy in this stack that names only this stack's resources.
      // The construct id names the inline policy CDK attaches to the imported role: it must differ
      // per scenario, or each stack's policy would replace the previous one on the shared role.
      const id = `LearnerRole${props.scenario.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`;
      const learnerRole = Role.fromRoleName(this, id, learnerRoleName(props.learner));
      this.scenario.grantLearnerAccess(learnerRole);
    }
  }
}
