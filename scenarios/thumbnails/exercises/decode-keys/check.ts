// Uploads photos whose names need URL-encoding and expects their thumbnails under the same names:
// once through S3's own notification (asynchronous), once by invoking the function directly.
import type { CheckContext, CheckTest } from '../../../../site/server/checks/types.ts';
import {
  cleanUp,
  expectThumbnail,
  expectThumbnailThroughS3,
  keyDecodingHint,
  objectCreatedEvent,
  photo,
  thumbnail,
  upload,
} from '../support.ts';

/** Uploads a photo and waits for S3's notification to make its thumbnail under the same key. */
async function throughS3(ctx: CheckContext, key: string, format: 'jpeg' | 'png'): Promise<{ output: string }> {
  try {
    return { output: await expectThumbnailThroughS3(ctx, key, format, () => keyDecodingHint(ctx)) };
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
          ctx.fail(`The function failed for '${key}'. ${await keyDecodingHint(ctx)}`, ctx.describeInvocation(outcome));
        }
        // The invocation was synchronous: the thumbnail is there now, or it will not come.
        if ((await thumbnail(ctx, key)) === undefined) {
          ctx.fail(
            `The function ran for '${key}' but wrote no thumbnail under that name. ${await keyDecodingHint(ctx)}`,
            ctx.describeInvocation(outcome),
          );
        }
        return { output: await expectThumbnail(ctx, key, 0) };
      } finally {
        await cleanUp(ctx, [key]);
      }
    },
  },
];
