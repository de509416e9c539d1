import { fileURLToPath } from 'node:url';
import { Aws, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { WorkbookFunction, type WorkbookFunctionOptions } from '../../infra/cdk/constructs/workbook-function.ts';

export interface WebBackendProps extends WorkbookFunctionOptions {
  /**
   * Origins allowed to call the API from a browser page served elsewhere (CORS).
   * The page at `GET /` is same-origin and needs none.
   * @default ['*']
   */
  readonly allowOrigins?: string[];
}

/** The routes of the API, as `METHOD path` (API Gateway's route keys). */
export const ROUTES: readonly { readonly method: HttpMethod; readonly path: string }[] = [
  { method: HttpMethod.GET, path: '/' },
  { method: HttpMethod.GET, path: '/items' },
  { method: HttpMethod.GET, path: '/items/{id}' },
  { method: HttpMethod.POST, path: '/items' },
];

/**
 * The websites scenario: an HTTP API whose routes invoke one function synchronously (payload
 * format 2.0); the function serves a page and a JSON API over the items table.
 */
export class WebBackend extends Construct {
  readonly itemsTable: Table;
  readonly api: HttpApi;
  readonly apiFunction: WorkbookFunction;

  constructor(scope: Construct, id: string, props: WebBackendProps = {}) {
    super(scope, id);
    const allowOrigins = props.allowOrigins ?? ['*'];
    for (const origin of allowOrigins) {
      if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) {
        throw new Error(
          `${this.node.path}: allowOrigins entries must be '*' or like 'https://example.com', got '${origin}'`,
        );
      }
    }

    this.itemsTable = new Table(this, 'ItemsTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.apiFunction = new WorkbookFunction(this, 'ApiFunction', {
      ...props,
      entry: fileURLToPath(new URL('./handler.ts', import.meta.url)),
      description: 'Serves the items page and JSON API behind the HTTP API',
      environment: { ITEMS_TABLE: this.itemsTable.tableName },
    });
    this.itemsTable.grant(this.apiFunction.function, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan');

    this.api = new HttpApi(this, 'Api', {
      description: 'Lambda Workbook: items API',
      corsPreflight: {
        allowOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['content-type'],
      },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', this.apiFunction.function);
    for (const route of ROUTES) {
      this.api.addRoutes({ path: route.path, methods: [route.method], integration });
    }

    const stack = Stack.of(this);
    new CfnOutput(stack, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Open this URL in a browser' });
    new CfnOutput(stack, 'ItemsTableName', { value: this.itemsTable.tableName });
    new CfnOutput(stack, 'ApiFunctionName', { value: this.apiFunction.function.functionName });
    new CfnOutput(stack, 'ApiLogGroupName', { value: this.apiFunction.logGroup.logGroupName });
  }

  /** Lets a learner read and write items and run and watch the function (the API itself is public). */
  grantLearnerAccess(grantee: IGrantable): void {
    this.itemsTable.grantReadWriteData(grantee);
    // The configuration view reads the API's routes and integrations (API Gateway's IAM: GET on the
    // API's own resource paths, arn:aws:apigateway:<region>::/apis/<id>/…).
    const api = `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/apis/${this.api.apiId}`;
    Grant.addToPrincipal({ grantee, actions: ['apigateway:GET'], resourceArns: [api, `${api}/*`] });
    this.apiFunction.grantLearnerAccess(grantee);
  }
}
