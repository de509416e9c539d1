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

/** Checks a thumbnail is an image no wider than 200 pixels, and says what it is. */
async function describeThumbnail(ctx: CheckContext, key: string, bytes: Uint8Array): Promise<string> {
  const { width, format } = await sharp(bytes).metadata();
  if (!width || width > 200) ctx.fail(`The thumbnail of '${key}' is ${width} pixels wide; expected at most 200.`);
  return `thumbnail '${key}': ${format}, ${width} pixels wide, ${bytes.length} bytes`;
}

/** Why a thumbnail takes a moment after an upload (shown while a check waits for one). */
const NOTIFICATION_WHY = 'S3 invokes the function asynchronously, a moment after the upload';

/** Waits for the thumbnail of `key` and checks it is an image no wider than 200 pixels. */
export async function expectThumbnail(ctx: CheckContext, key: string, timeoutMs = 20_000): Promise<string> {
  const bytes = await ctx.waitFor(() => thumbnail(ctx, key), {
    timeoutMs,
    what: `a thumbnail named '${key}' in the thumbnails bucket`,
    why: NOTIFICATION_WHY,
  });
  return describeThumbnail(ctx, key, bytes);
}

/**
 * How long S3's notification may take to run the function at all (locally a second or two, a cold
 * start included; on AWS usually a few seconds). The wait ends earlier, as soon as the run it set
 * off has ended (its REPORT in the function's log).
 */
export const NOTIFICATION_TIMEOUT_MS = 20_000;

/**
 * Uploads a photo and expects S3's notification to make its thumbnail under the same key. The wait
 * follows the function's log: once a run that started after the upload has ended without the
 * thumbnail, the function's own answer to the event S3 sends decides at once — it fails, or it runs
 * and writes no such thumbnail: waiting longer cannot help, so the test ends there with `explain()`'s
 * hint; if it makes the thumbnail, that run was another event's, and the test passes.
 */
export async function expectThumbnailThroughS3(
  ctx: CheckContext,
  key: string,
  format: 'jpeg' | 'png',
  explain: () => Promise<string>,
): Promise<string> {
  const body = await photo(format);
  const since = Date.now();
  await upload(ctx, key, body, `image/${format}`);
  const awaited = await ctx.awaitResult(() => thumbnail(ctx, key), {
    since,
    timeoutMs: NOTIFICATION_TIMEOUT_MS,
    what: `a thumbnail named '${key}' in the thumbnails bucket`,
    why: NOTIFICATION_WHY,
  });
  if (awaited.ok) return describeThumbnail(ctx, key, awaited.value);
  const run = awaited.ended.find((ended) => ended.error !== undefined) ?? awaited.ended[0];
  const ran = `S3's notification ran the function${run?.error ? ` and it failed (${run.error})` : ''}, and no thumbnail named '${key}' came`;
  const event = objectCreatedEvent(ctx, [{ key, size: body.length }]);
  const outcome = await ctx.invoke(event);
  const seen = `${ctx.describeRuns(awaited.ended)}\n\nInvoked directly with the event S3 sends for it:\n${ctx.describeInvocation(outcome)}`;
  if (outcome.functionError) {
    return ctx.fail(
      `${ran}; the function fails for the event S3 sends for it, so waiting longer would not help. ${await explain()}`,
      seen,
    );
  }
  const made = await thumbnail(ctx, key);
  if (made === undefined) {
    return ctx.fail(
      `${ran}; the function ran without an error for '${key}' but wrote no thumbnail under that name. ${await explain()}`,
      seen,
    );
  }
  return describeThumbnail(ctx, key, made);
}

/** Whether the function, invoked directly with the event for an uploaded photo named `key`, makes its thumbnail. */
async function makesThumbnail(ctx: CheckContext, key: string): Promise<boolean> {
  const body = await photo('jpeg');
  try {
    await upload(ctx, key, body, 'image/jpeg');
    await ctx.invoke(objectCreatedEvent(ctx, [{ key, size: body.length }]));
    return (await thumbnail(ctx, key)) !== undefined;
  } finally {
    await cleanUp(ctx, [key]);
  }
}

const decodingHints = new WeakMap<CheckContext, Promise<string>>();

/**
 * A hint that fits how the learner's code treats keys, found by trying three names on it: one that
 * needs only '+' turned into a space, one that needs only a %-escape decoded, and one with a real
 * '+' (sent as %2B), which breaks when the two steps come in the wrong order. Worked out once per check.
 */
export function keyDecodingHint(ctx: CheckContext): Promise<string> {
  let hint = decodingHints.get(ctx);
  if (hint === undefined) {
    hint = (async () => {
      const base = `check-${ctx.runId}/probe`;
      const spaces = await makesThumbnail(ctx, `${base}/a b.jpg`);
      const escapes = await makesThumbnail(ctx, `${base}/café.jpg`);
      const plus = await makesThumbnail(ctx, `${base}/a+b.jpg`);
      if (!spaces && escapes) {
        return "You decode the %-escapes, but S3 sends a space as '+', and decodeURIComponent leaves '+' alone: replace each '+' with a space first, then decode.";
      }
      if (spaces && !escapes) {
        return "Spaces come through, but the %-escapes stay as S3 sent them ('caf%C3%A9.jpg' for 'café.jpg'): decode them with decodeURIComponent after turning '+' into spaces.";
      }
      if (spaces && escapes && !plus) {
        return "Spaces and %-escapes work, but a '+' in the name itself arrives as '%2B': decoding first and replacing '+' afterwards turns it into a space. Replace '+' with spaces first, then decode.";
      }
      if (!spaces && !escapes) {
        return `The key is used as S3 sent it, URL-encoded ('${encodeS3Key('summer trip/café.jpg')}' for 'summer trip/café.jpg'): replace each '+' with a space, then decode the %-escapes, before you use it as a key.`;
      }
      return "S3 sends the key URL-encoded, a space as '+': replace each '+' with a space, then decode the %-escapes.";
    })();
    decodingHints.set(ctx, hint);
  }
  return hint;
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
