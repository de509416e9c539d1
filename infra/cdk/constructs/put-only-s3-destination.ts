import { Grant } from 'aws-cdk-lib/aws-iam';
import type {
  DestinationConfig,
  DestinationOptions,
  DlqDestinationConfig,
  IDestination,
  IEventSourceDlq,
  IEventSourceMapping,
  IFunction,
} from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * An S3 on-failure destination that grants the function's role only what Lambda needs to write a
 * failure record: s3:PutObject on the bucket's objects and s3:ListBucket on the bucket
 * (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html). One class for
 * both places a bucket can catch failures: a stream event source mapping's `onFailure`, and a
 * function's asynchronous invocations (`configureAsyncInvoke({ onFailure })`). CDK's
 * S3OnFailureDestination and S3Destination grant read and write, so the function could also read
 * and delete its own failure records.
 */
export class PutOnlyS3OnFailureDestination implements IEventSourceDlq, IDestination {
  readonly bucket: IBucket;

  constructor(bucket: IBucket) {
    this.bucket = bucket;
  }

  /** As a stream event source mapping's on-failure destination. */
  bind(target: IEventSourceMapping, targetHandler: IFunction): DlqDestinationConfig;
  /** As the on-failure destination of a function's asynchronous invocations. */
  bind(scope: Construct, fn: IFunction, options?: DestinationOptions): DestinationConfig;
  bind(_target: unknown, fn: IFunction): DestinationConfig & DlqDestinationConfig {
    Grant.addToPrincipal({ grantee: fn, actions: ['s3:PutObject'], resourceArns: [this.bucket.arnForObjects('*')] });
    Grant.addToPrincipal({ grantee: fn, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    return { destination: this.bucket.bucketArn };
  }
}
