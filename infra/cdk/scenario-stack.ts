import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { type IGrantable, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { MobileClicks } from '../../scenarios/mobile-clicks/infra.ts';
import { StreamMetrics } from '../../scenarios/stream-metrics/infra.ts';
import { Thumbnails } from '../../scenarios/thumbnails/infra.ts';
import { WebBackend } from '../../scenarios/web-backend/infra.ts';
import type { WorkbookFunctionOptions } from './constructs/workbook-function.ts';
import { learnerRoleName } from './learner-access.ts';

/** The scenarios, by folder name, with the stack-name part of each. */
export const SCENARIOS = {
  thumbnails: 'Thumbnails',
  'stream-metrics': 'StreamMetrics',
  'web-backend': 'WebBackend',
  'mobile-clicks': 'MobileClicks',
} as const;

export type ScenarioId = keyof typeof SCENARIOS;

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
    switch (props.scenario) {
      case 'thumbnails':
        this.scenario = new Thumbnails(this, 'Thumbnails', options);
        break;
      case 'stream-metrics':
        this.scenario = new StreamMetrics(this, 'StreamMetrics', { ...options, kinesis: props.kinesis });
        break;
      case 'web-backend':
        this.scenario = new WebBackend(this, 'WebBackend', options);
        break;
      case 'mobile-clicks':
        this.scenario = new MobileClicks(this, 'MobileClicks', options);
        break;
    }
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
