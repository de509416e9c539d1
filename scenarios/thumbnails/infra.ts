import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { SharpLayer } from '../../infra/cdk/constructs/sharp-layer.ts';
import { teachingBucket } from '../../infra/cdk/constructs/teaching-bucket.ts';
import { WorkbookFunction, type WorkbookFunctionOptions } from '../../infra/cdk/constructs/workbook-function.ts';

export interface ThumbnailsProps extends WorkbookFunctionOptions {
  /**
   * Width of the thumbnails in pixels (height keeps the aspect ratio).
   * @default 200
   */
  readonly thumbnailWidth?: number;
  /**
   * Photo suffixes that notify the function. Each becomes one notification filter.
   * @default ['.jpg', '.jpeg', '.png']
   */
  readonly suffixes?: string[];
}

/**
 * The file-processing scenario: uploads to the photos bucket notify (async `Event` invoke) a
 * function that writes a thumbnail of each photo to a second bucket.
 */
export class Thumbnails extends Construct {
  readonly photosBucket: Bucket;
  readonly thumbnailsBucket: Bucket;
  readonly thumbnailFunction: WorkbookFunction;

  constructor(scope: Construct, id: string, props: ThumbnailsProps = {}) {
    super(scope, id);
    const width = props.thumbnailWidth ?? 200;
    if (!Number.isInteger(width) || width < 16 || width > 2000) {
      throw new Error(`${this.node.path}: thumbnailWidth must be an integer from 16 to 2000, got ${width}`);
    }
    const suffixes = props.suffixes ?? ['.jpg', '.jpeg', '.png'];
    if (suffixes.length === 0) throw new Error(`${this.node.path}: suffixes must name at least one suffix, got []`);
    for (const suffix of suffixes) {
      if (!/^\.[A-Za-z0-9]+$/.test(suffix)) {
        throw new Error(`${this.node.path}: each suffix must look like '.jpg', got '${suffix}'`);
      }
    }

    this.photosBucket = teachingBucket(this, 'PhotosBucket');
    this.thumbnailsBucket = teachingBucket(this, 'ThumbnailsBucket');

    const sharp = new SharpLayer(this, 'Sharp');
    this.thumbnailFunction = new WorkbookFunction(this, 'ThumbnailFunction', {
      ...props,
      entry: fileURLToPath(new URL('./handler.ts', import.meta.url)),
      description: 'Writes a thumbnail of each photo uploaded to the photos bucket',
      memorySize: 1024, // sharp is CPU-bound; more memory means more CPU
      timeout: Duration.seconds(30),
      layers: [sharp.layer],
      externalModules: ['sharp'],
      environment: {
        THUMBNAIL_BUCKET: this.thumbnailsBucket.bucketName,
        THUMBNAIL_WIDTH: String(width),
      },
    });
    const fn = this.thumbnailFunction.function;
    // Least privilege: exactly the two calls the handler makes. CDK's grantRead would add
    // s3:GetBucket* and s3:List* (and GetObject* covers ACLs, tags, versions), grantPut five more
    // PutObject* actions and s3:Abort*. Without s3:ListBucket a missing photo is AccessDenied, not
    // NoSuchKey (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions).
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['s3:GetObject'],
      resourceArns: [this.photosBucket.arnForObjects('*')],
    });
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['s3:PutObject'],
      resourceArns: [this.thumbnailsBucket.arnForObjects('*')],
    });

    for (const suffix of suffixes) {
      this.photosBucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), { suffix });
    }
    // (aws-cdk-lib scopes its notifications handler's s3:PutBucketNotification to this bucket.)

    const stack = Stack.of(this);
    new CfnOutput(stack, 'PhotosBucketName', {
      value: this.photosBucket.bucketName,
      description: 'Upload photos here (.jpg, .jpeg, .png)',
    });
    new CfnOutput(stack, 'ThumbnailsBucketName', {
      value: this.thumbnailsBucket.bucketName,
      description: 'Thumbnails appear here, under the same key',
    });
    new CfnOutput(stack, 'ThumbnailFunctionName', { value: fn.functionName });
    new CfnOutput(stack, 'ThumbnailLogGroupName', { value: this.thumbnailFunction.logGroup.logGroupName });
  }

  /** Lets a learner upload and read photos, read thumbnails, and run and watch the function. */
  grantLearnerAccess(grantee: IGrantable): void {
    this.photosBucket.grantReadWrite(grantee);
    this.thumbnailsBucket.grantRead(grantee);
    // The configuration view reads which notifications invoke the function.
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetBucketNotification'],
      resourceArns: [this.photosBucket.bucketArn, this.thumbnailsBucket.bucketArn],
    });
    this.thumbnailFunction.grantLearnerAccess(grantee);
  }
}
