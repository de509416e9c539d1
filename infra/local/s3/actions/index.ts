import type { S3Action } from '../context.ts';
import { abortMultipartUpload } from './abortMultipartUpload.ts';
import { completeMultipartUpload } from './completeMultipartUpload.ts';
import { copyObject } from './copyObject.ts';
import { createBucket } from './createBucket.ts';
import { createMultipartUpload } from './createMultipartUpload.ts';
import { deleteBucket } from './deleteBucket.ts';
import { deleteObject } from './deleteObject.ts';
import { deleteObjects } from './deleteObjects.ts';
import { getBucketLocation } from './getBucketLocation.ts';
import { getBucketNotificationConfiguration } from './getBucketNotificationConfiguration.ts';
import { getBucketVersioning } from './getBucketVersioning.ts';
import { getObject } from './getObject.ts';
import { headBucket } from './headBucket.ts';
import { headObject } from './headObject.ts';
import { listBuckets } from './listBuckets.ts';
import { listObjects } from './listObjects.ts';
import { listObjectsV2 } from './listObjectsV2.ts';
import { listParts } from './listParts.ts';
import { putBucketNotificationConfiguration } from './putBucketNotificationConfiguration.ts';
import { putObject } from './putObject.ts';
import { uploadPart } from './uploadPart.ts';

/** The implemented S3 operations by AWS name; routes.ts maps requests to these names. */
export const ACTIONS: Readonly<Record<string, S3Action>> = {
  AbortMultipartUpload: abortMultipartUpload,
  CompleteMultipartUpload: completeMultipartUpload,
  CopyObject: copyObject,
  CreateBucket: createBucket,
  CreateMultipartUpload: createMultipartUpload,
  DeleteBucket: deleteBucket,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  GetBucketLocation: getBucketLocation,
  GetBucketNotificationConfiguration: getBucketNotificationConfiguration,
  GetBucketVersioning: getBucketVersioning,
  GetObject: getObject,
  HeadBucket: headBucket,
  HeadObject: headObject,
  ListBuckets: listBuckets,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListParts: listParts,
  PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
  PutObject: putObject,
  UploadPart: uploadPart,
};
