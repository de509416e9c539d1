import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, S3Event, S3EventRecord } from 'aws-lambda';
import sharp from 'sharp';
import { integerEnv, requireEnv } from '../shared/env.ts';
import { log } from '../shared/log.ts';

// Created once per execution environment and reused by every invocation it serves.
const s3 = new S3Client({});

/** Extensions the function turns into thumbnails, with the format it writes for each. */
const FORMATS: Record<string, 'jpeg' | 'png'> = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png' };

export interface ThumbnailResult {
  readonly written: { readonly bucket: string; readonly key: string; readonly bytes: number }[];
  readonly skipped: { readonly key: string; readonly reason: string }[];
}

/**
 * S3 sends object keys URL-encoded, with '+' for a space ("my photo.jpg" arrives as
 * "my+photo.jpg"; recorded: test/recordings/aws/s3-notification-key-encoding.json).
 */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * Amazon S3 invokes this function asynchronously for every object created in the photos bucket.
 * It writes a thumbnail of each photo to THUMBNAIL_BUCKET under the same key.
 *
 * Anything unexpected throws: the invocation fails.
 */
export const handler = async (event: S3Event, context: Context): Promise<ThumbnailResult> => {
  const thumbnailBucket = requireEnv('THUMBNAIL_BUCKET');
  const width = integerEnv('THUMBNAIL_WIDTH', 200);
  const maxSourceBytes = integerEnv('MAX_SOURCE_BYTES', 20 * 1024 * 1024);
  const result: ThumbnailResult = { written: [], skipped: [] };

  for (const record of event.Records) {
    const outcome = await makeThumbnail(record, {
      thumbnailBucket,
      width,
      maxSourceBytes,
      requestId: context.awsRequestId,
    });
    if ('reason' in outcome) result.skipped.push(outcome);
    else result.written.push(outcome);
  }
  return result;
};

interface Settings {
  readonly thumbnailBucket: string;
  readonly width: number;
  readonly maxSourceBytes: number;
  readonly requestId: string;
}

async function makeThumbnail(
  record: S3EventRecord,
  settings: Settings,
): Promise<ThumbnailResult['written'][number] | ThumbnailResult['skipped'][number]> {
  const sourceBucket = record.s3.bucket.name;
  const key = decodeS3Key(record.s3.object.key);
  const skip = (reason: string, fields: Record<string, unknown> = {}) => {
    log('WARN', 'skipping object', { reason, bucket: sourceBucket, key, ...fields });
    return { key, reason };
  };

  // The recursive-trigger trap: writing into the bucket that invokes us would invoke us again,
  // for every thumbnail, forever (and bill every invocation).
  if (sourceBucket === settings.thumbnailBucket) {
    log('ERROR', 'refusing to write a thumbnail into the bucket that triggered the function', {
      bucket: sourceBucket,
      key,
    });
    return { key, reason: 'source bucket is the thumbnail bucket (recursive trigger)' };
  }

  const extension = /\.([^./]+)$/.exec(key)?.[1]?.toLowerCase() ?? '';
  const format = FORMATS[extension];
  if (format === undefined) throw new Error(`${key} is not a photo (.jpg, .jpeg, .png)`);
  if (record.s3.object.size > settings.maxSourceBytes) {
    return skip('object too large', { size: record.s3.object.size, maxSourceBytes: settings.maxSourceBytes });
  }

  const source = await s3.send(new GetObjectCommand({ Bucket: sourceBucket, Key: key }));
  if (source.Body === undefined) return skip('object has no body');
  const original = await source.Body.transformToByteArray();

  const thumbnail = await sharp(original)
    .rotate() // honour EXIF orientation, as phones expect
    .resize({ width: settings.width, withoutEnlargement: true })
    .toFormat(format)
    .toBuffer();

  await s3.send(
    new PutObjectCommand({
      Bucket: settings.thumbnailBucket,
      Key: key,
      Body: thumbnail,
      ContentType: `image/${format}`,
      Metadata: { 'source-bucket': sourceBucket, 'source-request-id': settings.requestId },
    }),
  );
  log('INFO', 'thumbnail written', {
    sourceBucket,
    key,
    thumbnailBucket: settings.thumbnailBucket,
    bytes: thumbnail.length,
  });
  return { bucket: settings.thumbnailBucket, key, bytes: thumbnail.length };
}
