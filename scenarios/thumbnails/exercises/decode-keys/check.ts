// Uploads photos whose names need URL-encoding and expects their thumbnails under the same names:
// once through S3's own notification (asynchronous), once by invoking the function directly.
import type { CheckContext, CheckTest } from '../../../../site/server/checks/types.ts';
import { cleanUp, diagnose, expectThumbnail, objectCreatedEvent, photo, upload } from '../support.ts';

const encodedKeyOf = (event: unknown) =>
  (event as { Records: { s3: { object: { key: string } } }[] }).Records[0]?.s3.object.key;

const hint = (key: string, event: unknown) =>
  `In the event, S3 writes the key URL-encoded ('${encodedKeyOf(event)}' for '${key}'): ` +
  'decode it before you use it as a key.';

/** Uploads a photo and waits for S3's notification to make its thumbnail under the same key. */
async function throughS3(ctx: CheckContext, key: string, format: 'jpeg' | 'png'): Promise<{ output: string }> {
  const body = await photo(format);
  try {
    await upload(ctx, key, body, `image/${format}`);
    try {
      return { output: await expectThumbnail(ctx, key) };
    } catch (error) {
      if ((error as Error).name !== 'CheckFailure') throw error;
      const event = objectCreatedEvent(ctx, [{ key, size: body.length }]);
      return ctx.fail(`No thumbnail named '${key}' appeared. ${hint(key, event)}`, await diagnose(ctx, event));
    }
  } finally {
    await cleanUp(ctx, [key]);
  }
}

export const tests: CheckTest[] = [
  {
    name: 'a photo named without special characters still gets its thumbnail',
    run: (ctx) => throughS3(ctx, `check-${ctx.runId}/plain.jpg`, 'jpeg'),
  },
  {
    name: 'a photo whose name has spaces gets a thumbnail under the same name',
    run: (ctx) => throughS3(ctx, `check-${ctx.runId}/summer trip/beach day.jpg`, 'jpeg'),
  },
  {
    name: "an event for a photo named with '+', accents and brackets makes a thumbnail under the same name",
    async run(ctx) {
      const key = `check-${ctx.runId}/café+crème (1).png`;
      const body = await photo('png');
      try {
        await upload(ctx, key, body, 'image/png');
        const event = objectCreatedEvent(ctx, [{ key, size: body.length }]);
        const outcome = await ctx.invoke(event);
        if (outcome.functionError) {
          ctx.fail(`The function failed for '${key}'. ${hint(key, event)}`, ctx.describeInvocation(outcome));
        }
        return { output: await expectThumbnail(ctx, key, 5_000) };
      } finally {
        await cleanUp(ctx, [key]);
      }
    },
  },
];
