// The deployer is an AWS client like any other: one SDK client per service, pointed at the endpoint.
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';

export interface AwsClients {
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
  readonly dynamodb: DynamoDBClient;
  readonly kinesis: KinesisClient;
  readonly iam: IAMClient;
  readonly cognito: CognitoIdentityClient;
  readonly apigateway: ApiGatewayV2Client;
  readonly logs: CloudWatchLogsClient;
  destroy(): void;
}

export interface ClientOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function createClients({ endpoint, region, credentials }: ClientOptions): AwsClients {
  const config = { endpoint, region, credentials: { ...credentials }, maxAttempts: 1 };
  const clients = {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    lambda: new LambdaClient(config),
    dynamodb: new DynamoDBClient(config),
    kinesis: new KinesisClient(config),
    iam: new IAMClient(config),
    cognito: new CognitoIdentityClient(config),
    apigateway: new ApiGatewayV2Client(config),
    logs: new CloudWatchLogsClient(config),
  };
  return {
    ...clients,
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
