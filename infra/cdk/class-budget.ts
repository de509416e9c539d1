import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';

export interface ClassBudgetProps {
  /** Monthly limit in USD. */
  readonly limitUsd: number;
  /** Address the alerts go to. */
  readonly email: string;
  /**
   * Percentages of the limit at which actual spend sends an alert.
   * @default [50, 80, 100]
   */
  readonly actualThresholds?: number[];
}

/**
 * A monthly cost budget for the account the class runs in, with email alerts on actual spend and
 * on a forecast over the limit. It watches the whole account: run a class in its own account.
 */
export class ClassBudget extends Construct {
  readonly budget: CfnBudget;

  constructor(scope: Construct, id: string, props: ClassBudgetProps) {
    super(scope, id);
    if (!(props.limitUsd > 0))
      throw new Error(`${this.node.path}: limitUsd must be greater than 0, got ${props.limitUsd}`);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) {
      throw new Error(`${this.node.path}: email must be an email address, got '${props.email}'`);
    }
    const subscribers = [{ subscriptionType: 'EMAIL', address: props.email }];
    const alert = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers,
    });
    this.budget = new CfnBudget(this, 'Budget', {
      budget: {
        budgetName: 'LambdaWorkbook-Class',
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.limitUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: [
        ...(props.actualThresholds ?? [50, 80, 100]).map((threshold) => alert('ACTUAL', threshold)),
        alert('FORECASTED', 100),
      ],
    });
  }
}
