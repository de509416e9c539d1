import { Aws, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, Group, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LEARNER_NAME } from './settings.ts';

export interface LearnerAccessProps {
  /** The learner's name, as in their stack names (`LambdaWorkbook-<learner>-…`). */
  readonly learner: string;
  /**
   * Longest session a learner gets when assuming the role.
   * @default Duration.hours(12)
   */
  readonly maxSessionDuration?: Duration;
}

/** The name of a learner's role, fixed so each scenario stack can attach its grants to it. */
export const learnerRoleName = (learner: string): string => `LambdaWorkbook-${learner}-Learner`;

/**
 * One learner's way in: a role that starts with no access to anything but describing the
 * learner's own stacks (each scenario stack grants it its own resources, by reference), and a
 * group whose members may assume exactly that role. An instructor adds the learner's IAM user
 * to the group (or lets an SSO permission set assume the role).
 */
export class LearnerAccess extends Construct {
  readonly role: Role;
  readonly group: Group;

  constructor(scope: Construct, id: string, props: LearnerAccessProps) {
    super(scope, id);
    if (!LEARNER_NAME.test(props.learner)) {
      throw new Error(`${this.node.path}: learner must match ${LEARNER_NAME}, got '${props.learner}'`);
    }
    this.role = new Role(this, 'Role', {
      roleName: learnerRoleName(props.learner),
      description: `Lambda Workbook learner ${props.learner}: their own scenario resources only`,
      assumedBy: new AccountRootPrincipal(),
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(12),
    });
    // Stack outputs (bucket names, API URL…) of the learner's own stacks. Learner names have no
    // dashes, so `LambdaWorkbook-ada-*` never matches another learner's stacks.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
        resources: [
          `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stack/LambdaWorkbook-${props.learner}-*/*`,
        ],
      }),
    );
    this.group = new Group(this, 'Group', { groupName: `LambdaWorkbook-${props.learner}` });
    this.group.addToPolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [this.role.roleArn] }));

    const stack = Stack.of(this);
    new CfnOutput(stack, `${props.learner}RoleArn`, {
      value: this.role.roleArn,
      description: `Role for learner ${props.learner}`,
    });
    new CfnOutput(stack, `${props.learner}GroupName`, {
      value: this.group.groupName,
      description: `Add learner ${props.learner}'s IAM user to this group`,
    });
  }
}
