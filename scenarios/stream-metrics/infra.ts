import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { EventSourceMapping, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PutOnlyS3OnFailureDestination } from '../../infra/cdk/constructs/put-only-s3-destination.ts';
import { StreamTable } from '../../infra/cdk/constructs/stream-table.ts';
import { teachingBucket } from '../../infra/cdk/constructs/teaching-bucket.ts';
import { WorkbookFunction, type WorkbookFunctionOptions } from '../../infra/cdk/constructs/workbook-function.ts';

export interface StreamMetricsProps extends WorkbookFunctionOptions {
  /**
   * Most records per invocation (DynamoDB streams allow 1 to 10,000).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How many times Lambda retries a failed batch before sending it to the on-failure destination.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * Add the custom-app variant: a Kinesis data stream of click events and its own function.
   * A provisioned one-shard stream costs about USD 11 a month while it exists.
   * @default true
   */
  readonly kinesis?: boolean;
}

/**
 * The data & analytics scenario: writes to the orders table flow through its DynamoDB stream to a
 * function (polled by an event source mapping) that aggregates them in the metrics table; and the
 * custom-app variant, a Kinesis stream of click events aggregated per page.
 */
export class StreamMetrics extends Construct {
  readonly ordersTable: StreamTable;
  readonly metricsTable: Table;
  readonly failuresBucket: Bucket;
  readonly metricsFunction: WorkbookFunction;
  readonly clickStream?: Stream;
  readonly clickMetricsFunction?: WorkbookFunction;

  constructor(scope: Construct, id: string, props: StreamMetricsProps = {}) {
    super(scope, id);
    const batchSize = props.batchSize ?? 10;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new Error(`${this.node.path}: batchSize must be an integer from 1 to 10000, got ${batchSize}`);
    }
    const retryAttempts = props.retryAttempts ?? 3;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 10_000) {
      throw new Error(`${this.node.path}: retryAttempts must be an integer from 0 to 10000, got ${retryAttempts}`);
    }

    this.ordersTable = new StreamTable(this, 'OrdersTable', {
      partitionKey: { name: 'orderId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // Both images, so MODIFY records show what changed and REMOVE records what was deleted.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.metricsTable = new Table(this, 'MetricsTable', {
      partitionKey: { name: 'metric', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Batches that still fail after every retry land here: the records and why Lambda gave up (an S3
    // destination gets the whole invocation record). The stream itself keeps them only 24 hours.
    this.failuresBucket = teachingBucket(this, 'FailuresBucket');

    this.metricsFunction = new WorkbookFunction(this, 'MetricsFunction', {
      ...props,
      entry: fileURLToPath(new URL('./handler.ts', import.meta.url)),
      description: 'Aggregates order changes from the orders table stream into the metrics table',
      environment: { METRICS_TABLE: this.metricsTable.tableName },
    });
    const streamOptions = {
      batchSize,
      retryAttempts,
      bisectBatchOnError: true, // split a failing batch to isolate a poison record
      reportBatchItemFailures: true, // the handler answers { batchItemFailures }
      maxRecordAge: Duration.hours(1),
      onFailure: new PutOnlyS3OnFailureDestination(this.failuresBucket),
    };
    this.metricsFunction.function.addEventSource(
      new DynamoEventSource(this.ordersTable, { ...streamOptions, startingPosition: StartingPosition.TRIM_HORIZON }),
    );
    grantMetricWrites(this.metricsTable, this.metricsFunction);

    const stack = Stack.of(this);
    new CfnOutput(stack, 'OrdersTableName', { value: this.ordersTable.tableName, description: 'Write orders here' });
    new CfnOutput(stack, 'MetricsTableName', { value: this.metricsTable.tableName, description: 'Read metrics here' });
    new CfnOutput(stack, 'FailuresBucketName', { value: this.failuresBucket.bucketName });
    new CfnOutput(stack, 'MetricsFunctionName', { value: this.metricsFunction.function.functionName });
    new CfnOutput(stack, 'MetricsLogGroupName', { value: this.metricsFunction.logGroup.logGroupName });
    // GetEventSourceMapping needs the UUID: a learner may not list the account's mappings (IAM
    // cannot scope ListEventSourceMappings), so the configuration view reads theirs by id.
    new CfnOutput(stack, 'MetricsEventSourceMappingId', {
      value: mappingsOf(this.metricsFunction)
        .map((mapping) => mapping.eventSourceMappingId)
        .join(','),
    });

    if (props.kinesis ?? true) {
      this.clickStream = new Stream(this, 'ClickStream', {
        streamMode: StreamMode.PROVISIONED,
        shardCount: 1,
        retentionPeriod: Duration.hours(24),
        encryption: StreamEncryption.MANAGED,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      this.clickMetricsFunction = new WorkbookFunction(this, 'ClickMetricsFunction', {
        ...props,
        entry: fileURLToPath(new URL('./kinesis-handler.ts', import.meta.url)),
        description: 'Counts click events from the Kinesis stream per page into the metrics table',
        environment: { METRICS_TABLE: this.metricsTable.tableName },
      });
      this.clickMetricsFunction.function.addEventSource(
        new KinesisEventSource(this.clickStream, {
          ...streamOptions,
          batchSize: Math.min(batchSize * 10, 10_000),
          startingPosition: StartingPosition.TRIM_HORIZON,
        }),
      );
      grantMetricWrites(this.metricsTable, this.clickMetricsFunction);
      new CfnOutput(stack, 'ClickStreamName', {
        value: this.clickStream.streamName,
        description: 'Put click events ({"page": "/…"}) here',
      });
      new CfnOutput(stack, 'ClickMetricsFunctionName', { value: this.clickMetricsFunction.function.functionName });
      new CfnOutput(stack, 'ClickMetricsEventSourceMappingId', {
        value: mappingsOf(this.clickMetricsFunction)
          .map((mapping) => mapping.eventSourceMappingId)
          .join(','),
      });
    }
  }

  /** Lets a learner write orders and clicks, read metrics and failures, and run and watch the functions. */
  grantLearnerAccess(grantee: IGrantable): void {
    this.ordersTable.grantReadWriteData(grantee);
    this.metricsTable.grantReadData(grantee);
    this.failuresBucket.grantRead(grantee);
    // The configuration view looks for notifications on the scenario's bucket too.
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetBucketNotification'],
      resourceArns: [this.failuresBucket.bucketArn],
    });
    // …and the event source mappings by their ids (the stack outputs name them).
    Grant.addToPrincipal({
      grantee,
      actions: ['lambda:GetEventSourceMapping'],
      resourceArns: [this.metricsFunction, this.clickMetricsFunction]
        .flatMap((fn) => (fn ? mappingsOf(fn) : []))
        .map((mapping) => mapping.eventSourceMappingArn),
    });
    this.metricsFunction.grantLearnerAccess(grantee);
    this.clickStream?.grantWrite(grantee);
    this.clickMetricsFunction?.grantLearnerAccess(grantee);
  }
}

/** The event source mappings CDK made for a function (addEventSource adds them under it). */
const mappingsOf = (fn: WorkbookFunction): EventSourceMapping[] =>
  fn.function.node.findAll().filter((child): child is EventSourceMapping => child instanceof EventSourceMapping);

/** The metric writes the handlers make (metrics.ts): UpdateItem ADD, and the applied marks. */
function grantMetricWrites(table: Table, fn: WorkbookFunction): void {
  table.grant(fn.function, 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
}
