import { fileURLToPath } from 'node:url';
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { IdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { WorkbookFunction, type WorkbookFunctionOptions } from '../../infra/cdk/constructs/workbook-function.ts';

/** Options of the mobile-clicks scenario: those of its function. */
export type MobileClicksProps = WorkbookFunctionOptions;

/**
 * The mobile-apps scenario: an app gets temporary credentials for the identity pool's
 * unauthenticated role (basic flow: GetId, GetOpenIdToken, AssumeRoleWithWebIdentity), which may do
 * exactly one thing — invoke the clicks function.
 */
export class MobileClicks extends Construct {
  readonly clicksTable: Table;
  readonly clicksFunction: WorkbookFunction;
  readonly identityPool: IdentityPool;

  constructor(scope: Construct, id: string, props: MobileClicksProps = {}) {
    super(scope, id);
    this.clicksTable = new Table(this, 'ClicksTable', {
      partitionKey: { name: 'button', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.clicksFunction = new WorkbookFunction(this, 'ClicksFunction', {
      ...props,
      entry: fileURLToPath(new URL('./handler.ts', import.meta.url)),
      description: 'Records a button click from the mobile app and answers the new count',
      environment: { CLICKS_TABLE: this.clicksTable.tableName },
    });
    this.clicksTable.grant(this.clicksFunction.function, 'dynamodb:UpdateItem');

    // Guests (unauthenticated identities) are the point: the app has no sign-in. The app uses the
    // basic (classic) flow — GetId, GetOpenIdToken, STS AssumeRoleWithWebIdentity — because the
    // enhanced flow's credentials for guests carry Cognito's session policy, which allows no Lambda.
    this.identityPool = new IdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: true,
      allowClassicFlow: true,
    });
    // Exactly this function, unqualified: not its versions, not any other function.
    Grant.addToPrincipal({
      grantee: this.identityPool.unauthenticatedRole,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.clicksFunction.function.functionArn],
    });

    const stack = Stack.of(this);
    new CfnOutput(stack, 'IdentityPoolId', {
      value: this.identityPool.identityPoolId,
      description: 'The app calls GetId and GetOpenIdToken with this pool id',
    });
    new CfnOutput(stack, 'UnauthenticatedRoleArn', {
      value: this.identityPool.unauthenticatedRole.roleArn,
      description: "The app's AssumeRoleWithWebIdentity assumes this role (the pool's guest role)",
    });
    new CfnOutput(stack, 'ClicksFunctionName', {
      value: this.clicksFunction.function.functionName,
      description: 'The app invokes this function (RequestResponse)',
    });
    new CfnOutput(stack, 'ClicksTableName', { value: this.clicksTable.tableName });
    new CfnOutput(stack, 'ClicksLogGroupName', { value: this.clicksFunction.logGroup.logGroupName });
  }

  /** Lets a learner read the counts and run and watch the function. */
  grantLearnerAccess(grantee: IGrantable): void {
    this.clicksTable.grantReadData(grantee);
    this.clicksFunction.grantLearnerAccess(grantee);
    // The configuration view shows who may invoke the function: the guest role's policies.
    Grant.addToPrincipal({
      grantee,
      actions: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies'],
      resourceArns: [this.identityPool.unauthenticatedRole.roleArn],
    });
  }
}
