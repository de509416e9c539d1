// Helpers the thumbnails exercises' checks share: test photos, S3 events as S3 sends them, and
// waiting for a thumbnail. Runs in the checker (never deployed), against any target.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { CheckContext } from '../../../site/server/checks/types.ts';

/** A 320×240 test photo (wider than a thumbnail, so the function has something to shrink). */
export async function photo(format: 'jpeg' | 'png'): Promise<Buffer> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="#f4a261"/>' +
    '<circle cx="160" cy="120" r="80" fill="#2a9d8f"/></svg>';
  return sharp(Buffer.from(svg)).toFormat(format).toBuffer();
}

/** A key as S3 writes it into event records: URL-encoded, a space as '+'. */
export const encodeS3Key = (key: string): string =>
  encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** An `ObjectCreated:Put` event for objects of the photos bucket, shaped like the sample event S3 sends. */
export function objectCreatedEvent(
  ctx: CheckContext,
  objects: readonly { readonly key: string; readonly size: number }[],
): unknown {
  const sample = ctx.events['object-created-put'] as { Records: Record<string, unknown>[] };
  const template = sample.Records[0] as { s3: Record<string, unknown> & { bucket: Record<string, unknown> } };
  const bucket = ctx.resources.photosBucket ?? '';
  return {
    Records: objects.map(({ key, size }, i) => ({
      ...template,
      eventTime: new Date().toISOString(),
      s3: {
        ...template.s3,
        bucket: { ...template.s3.bucket, name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: encodeS3Key(key), size, sequencer: `0A${Date.now().toString(16)}${i}`.toUpperCase() },
      },
    })),
  };
}

/** Uploads to the photos bucket (which notifies the function, as any upload does). */
export async function upload(ctx: CheckContext, key: string, body: Uint8Array | string, contentType: string) {
  await ctx.clients.s3.send(
    new PutObjectCommand({ Bucket: ctx.resources.photosBucket, Key: key, Body: body, ContentType: contentType }),
  );
}

/** The thumbnail under `key`, or undefined when there is none (yet). */
export async function thumbnail(ctx: CheckContext, key: string): Promise<Uint8Array | undefined> {
  try {
    const object = await ctx.clients.s3.send(
      new GetObjectCommand({ Bucket: ctx.resources.thumbnailsBucket, Key: key }),
    );
    return await object.Body?.transformToByteArray();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound' || name === 'AccessDenied') return undefined;
    throw error;
  }
}

/** Whether the thumbnails bucket has an object under `key`. */
export async function hasThumbnail(ctx: CheckContext, key: string): Promise<boolean> {
  try {
    await ctx.clients.s3.send(new HeadObjectCommand({ Bucket: ctx.resources.thumbnailsBucket, Key: key }));
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NotFound' || name === 'NoSuchKey' || name === 'Forbidden') return false;
    throw error;
  }
}

/** Waits for the thumbnail of `key` and checks it is an image no wider than 200 pixels. */
export async function expectThumbnail(ctx: CheckContext, key: string, timeoutMs = 20_000): Promise<string> {
  const bytes = await ctx.waitFor(() => thumbnail(ctx, key), {
    timeoutMs,
    what: `a thumbnail named '${key}' in the thumbnails bucket`,
  });
  const { width, format } = await sharp(bytes).metadata();
  if (!width || width > 200) ctx.fail(`The thumbnail of '${key}' is ${width} pixels wide; expected at most 200.`);
  return `thumbnail '${key}': ${format}, ${width} pixels wide, ${bytes.length} bytes`;
}

/** Removes what a test wrote (best effort: a sandbox learner may not delete thumbnails). */
export async function cleanUp(ctx: CheckContext, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    for (const bucket of [ctx.resources.photosBucket, ctx.resources.thumbnailsBucket]) {
      await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    }
  }
}

/** The function's own answer to an event, for a learner to read when something did not appear. */
export async function diagnose(ctx: CheckContext, event: unknown): Promise<string> {
  return `Invoking the function directly with the same event:\n${ctx.describeInvocation(await ctx.invoke(event))}`;
}
