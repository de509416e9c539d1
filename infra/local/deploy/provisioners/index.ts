// The resource types the local deployer knows: provisioned, or skipped with the reason why.
import { apiGatewayV2Api, apiGatewayV2Integration, apiGatewayV2Route, apiGatewayV2Stage } from './apigateway.ts';
import { cognitoIdentityPool, cognitoIdentityPoolRoleAttachment } from './cognito.ts';
import { s3AutoDeleteObjects, s3BucketNotifications } from './custom-s3.ts';
import { dynamodbTable } from './dynamodb-table.ts';
import { iamPolicy, iamRole } from './iam.ts';
import { kinesisStream } from './kinesis-stream.ts';
import {
  lambdaAlias,
  lambdaEventInvokeConfig,
  lambdaEventSourceMapping,
  lambdaFunction,
  lambdaPermission,
  lambdaVersion,
} from './lambda.ts';
import { logsLogGroup } from './logs-log-group.ts';
import { s3Bucket } from './s3-bucket.ts';
import type { Provisioner } from './types.ts';

export const PROVISIONERS: Readonly<Record<string, Provisioner>> = {
  'AWS::S3::Bucket': s3Bucket,
  'AWS::DynamoDB::Table': dynamodbTable,
  'AWS::Kinesis::Stream': kinesisStream,
  'AWS::IAM::Role': iamRole,
  'AWS::IAM::Policy': iamPolicy,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Version': lambdaVersion,
  'AWS::Lambda::Alias': lambdaAlias,
  'AWS::Lambda::EventInvokeConfig': lambdaEventInvokeConfig,
  'AWS::Lambda::Permission': lambdaPermission,
  'AWS::Lambda::EventSourceMapping': lambdaEventSourceMapping,
  'AWS::Logs::LogGroup': logsLogGroup,
  'AWS::ApiGatewayV2::Api': apiGatewayV2Api,
  'AWS::ApiGatewayV2::Stage': apiGatewayV2Stage,
  'AWS::ApiGatewayV2::Integration': apiGatewayV2Integration,
  'AWS::ApiGatewayV2::Route': apiGatewayV2Route,
  'AWS::Cognito::IdentityPool': cognitoIdentityPool,
  'AWS::Cognito::IdentityPoolRoleAttachment': cognitoIdentityPoolRoleAttachment,
  'Custom::S3BucketNotifications': s3BucketNotifications,
  'Custom::S3AutoDeleteObjects': s3AutoDeleteObjects,
};

/** Custom resources implemented natively: their provider functions are not deployed. */
export const NATIVE_CUSTOM_RESOURCES: ReadonlySet<string> = new Set([
  'Custom::S3BucketNotifications',
  'Custom::S3AutoDeleteObjects',
]);

/**
 * Types accepted but not modelled by the local cloud, recorded in the deploy result as
 * "skipped: not modelled locally" with the reason. Their Ref/GetAtt still resolve (to the names
 * and ARNs CloudFormation would give them) so that referring resources deploy.
 */
export const SKIPPED_TYPES: Readonly<Record<string, string>> = {
  'AWS::CDK::Metadata': 'CDK usage metadata',
  'AWS::Budgets::Budget': 'no billing locally',
  'AWS::S3::BucketPolicy':
    'the local S3 has no bucket policies (access is decided by the caller’s IAM policies; its deny-non-TLS statement would refuse every http://127.0.0.1 request)',
  'AWS::Lambda::LayerVersion':
    'the local Lambda runs without layers: native modules (sharp) resolve from the project’s node_modules',
  'AWS::IAM::Group': 'the local IAM models roles only (no users or groups)',
  'AWS::IAM::User': 'the local IAM models roles only (no users or groups)',
  'AWS::IAM::UserToGroupAddition': 'the local IAM models roles only (no users or groups)',
};
