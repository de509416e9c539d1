import { APIGATEWAY_PARAMETERS } from './apigateway/parameters.ts';
import { ACTIONS as APIGATEWAY_ACTIONS } from './apigateway/service.ts';
import { COGNITO_IDENTITY_PARAMETERS } from './cognito/parameters.ts';
import { ACTIONS as COGNITO_ACTIONS } from './cognito/service.ts';
import { DYNAMODB_ACTIONS, STREAMS_ACTIONS } from './dynamodb/actions/index.ts';
import { DYNAMODB_PARAMETERS, DYNAMODB_STREAMS_PARAMETERS } from './dynamodb/parameters.ts';
import { IAM_ACTIONS } from './iam/actions/index.ts';
import { IAM_PARAMETERS, STS_PARAMETERS } from './iam/parameters.ts';
import { STS_ACTIONS } from './iam/sts/service.ts';
import { KINESIS_PARAMETERS } from './kinesis/parameters.ts';
import { ACTIONS as KINESIS_ACTIONS } from './kinesis/service.ts';
import { MAPPING_OPERATIONS } from './lambda/esm/service.ts';
import { LAMBDA_PARAMETERS } from './lambda/parameters.ts';
import { ROUTES as LAMBDA_ROUTES } from './lambda/routes.ts';
import { LOGS_PARAMETERS } from './logs/parameters.ts';
import { ACTIONS as LOGS_ACTIONS } from './logs/service.ts';
import { ACTIONS as S3_ACTIONS } from './s3/actions/index.ts';
import { S3_PARAMETERS } from './s3/parameters.ts';
import type { ServiceParameters } from './shared/parameters.ts';

/** One service's part of the parameter table on "The local cloud" docs page. */
export interface ServiceDeclaration {
  /** As the docs name it: `Amazon DynamoDB`. */
  readonly title: string;
  /** The service model the API reference is generated from (botocore's name), for the audit test. */
  readonly model: string;
  /** The operations the local cloud implements. */
  readonly operations: readonly string[];
  /** Their parameters, supported or refused; undefined while the service's declarations are pending. */
  readonly parameters?: ServiceParameters;
}

/**
 * Every modelled service's parameter declarations, in the order the docs list them
 * (tools/parameter-table.ts renders them; test/tools/parameter-table.test.ts keeps the page current
 * and audits them against the service models).
 */
export const SERVICE_DECLARATIONS: readonly ServiceDeclaration[] = [
  { title: 'Amazon S3', model: 's3', operations: Object.keys(S3_ACTIONS), parameters: S3_PARAMETERS },
  {
    title: 'AWS Lambda',
    model: 'lambda',
    operations: [...LAMBDA_ROUTES.map((route) => route.operation), ...MAPPING_OPERATIONS],
    parameters: LAMBDA_PARAMETERS,
  },
  {
    title: 'Amazon DynamoDB',
    model: 'dynamodb',
    operations: Object.keys(DYNAMODB_ACTIONS),
    parameters: DYNAMODB_PARAMETERS,
  },
  {
    title: 'Amazon DynamoDB Streams',
    model: 'dynamodbstreams',
    operations: Object.keys(STREAMS_ACTIONS),
    parameters: DYNAMODB_STREAMS_PARAMETERS,
  },
  {
    title: 'Amazon Kinesis Data Streams',
    model: 'kinesis',
    operations: Object.keys(KINESIS_ACTIONS),
    parameters: KINESIS_PARAMETERS,
  },
  {
    title: 'Amazon API Gateway (HTTP APIs)',
    model: 'apigatewayv2',
    operations: Object.keys(APIGATEWAY_ACTIONS),
    parameters: APIGATEWAY_PARAMETERS,
  },
  {
    title: 'Amazon Cognito identity pools',
    model: 'cognito-identity',
    operations: Object.keys(COGNITO_ACTIONS),
    parameters: COGNITO_IDENTITY_PARAMETERS,
  },
  { title: 'AWS IAM', model: 'iam', operations: Object.keys(IAM_ACTIONS), parameters: IAM_PARAMETERS },
  { title: 'AWS STS', model: 'sts', operations: Object.keys(STS_ACTIONS), parameters: STS_PARAMETERS },
  {
    title: 'Amazon CloudWatch Logs',
    model: 'logs',
    operations: Object.keys(LOGS_ACTIONS),
    parameters: LOGS_PARAMETERS,
  },
];
