// The deployer is an AWS client like any other: one SDK client per service, pointed at the endpoint.
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { RetryStrategyV2, RetryToken } from '@smithy/types';

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
  /**
   * Retry throttled calls (a cloud enforcing AWS's quotas) instead of failing the deploy.
   * @default none: every error fails the resource at once
   */
  readonly throttleRetries?: ThrottleRetryOptions;
}

export interface ThrottleRetryOptions {
  /** Attempts per call, the first included. @default 12 */
  readonly maxAttempts?: number;
  /** Called before each retry of a throttled call (to count them). */
  readonly onThrottle?: (error: unknown) => void;
}

/**
 * Retries only throttling errors (429, ThrottlingException, TooManyRequestsException, SlowDown: the
 * SDK's own classification), with capped exponential backoff and jitter, as CloudFormation's
 * resource handlers wait out a throttled control-plane call rather than fail the stack. Any other
 * error fails the call at once, so a bad template is still reported on its first error.
 */
export function throttleRetryStrategy({ maxAttempts = 12, onThrottle }: ThrottleRetryOptions = {}): RetryStrategyV2 {
  const token = (count: number, delay: number): RetryToken => ({
    getRetryCount: () => count,
    getRetryDelay: () => delay,
  });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous, info) => {
      const count = previous.getRetryCount() + 1;
      if (info.errorType !== 'THROTTLING' || count >= maxAttempts) throw info.error;
      onThrottle?.(info.error);
      return token(count, Math.min(20_000, 200 * 2 ** count) * (0.5 + Math.random() / 2));
    },
    recordSuccess: () => undefined,
  };
}

export function createClients({ endpoint, region, credentials, throttleRetries }: ClientOptions): AwsClients {
  const config = {
    endpoint,
    region,
    credentials: { ...credentials },
    ...(throttleRetries !== undefined ? { retryStrategy: throttleRetryStrategy(throttleRetries) } : { maxAttempts: 1 }),
  };
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
