// Invokes the function directly with events for objects that cannot become thumbnails: it must
// answer normally (no function error), write nothing for them, and still handle the good photos.
import type { CheckTest } from '../../../../site/server/checks/types.ts';
import { cleanUp, hasThumbnail, objectCreatedEvent, photo, thumbnail, upload } from '../support.ts';

const NOT_AN_IMAGE = 'These are my notes, not a photo.\n';

export const tests: CheckTest[] = [
  {
    name: 'a text file named .jpg is skipped without failing the invocation',
    async run(ctx) {
      const key = `check-${ctx.runId}/notes.jpg`;
      try {
        await upload(ctx, key, NOT_AN_IMAGE, 'image/jpeg');
        const outcome = await ctx.invoke(objectCreatedEvent(ctx, [{ key, size: NOT_AN_IMAGE.length }]));
        if (outcome.functionError) {
          ctx.fail(
            `The invocation failed for '${key}', which is not an image. As an S3 (asynchronous) invocation, ` +
              'Lambda would retry it twice, in vain: skip the object instead of throwing.',
            ctx.describeInvocation(outcome),
          );
        }
        if (await hasThumbnail(ctx, key)) ctx.fail(`A "thumbnail" was written for '${key}', which is not an image.`);
        return { output: { answer: outcome.payload } };
      } finally {
        await cleanUp(ctx, [key]);
      }
    },
  },
  {
    name: 'an object whose name is not .jpg, .jpeg or .png is skipped without failing',
    async run(ctx) {
      const key = `check-${ctx.runId}/readme.txt`;
      try {
        await upload(ctx, key, NOT_AN_IMAGE, 'text/plain');
        const outcome = await ctx.invoke(objectCreatedEvent(ctx, [{ key, size: NOT_AN_IMAGE.length }]));
        if (outcome.functionError) {
          ctx.fail(
            `The invocation failed for '${key}': skip objects that are not photos instead of throwing.`,
            ctx.describeInvocation(outcome),
          );
        }
        return { output: { answer: outcome.payload } };
      } finally {
        await cleanUp(ctx, [key]);
      }
    },
  },
  {
    name: 'a bad upload does not stop the photo that comes after it in the same event',
    async run(ctx) {
      const bad = `check-${ctx.runId}/broken.png`;
      const good = `check-${ctx.runId}/good.png`;
      try {
        const image = await photo('png');
        await upload(ctx, bad, NOT_AN_IMAGE, 'image/png');
        await upload(ctx, good, image, 'image/png');
        const outcome = await ctx.invoke(
          objectCreatedEvent(ctx, [
            { key: bad, size: NOT_AN_IMAGE.length },
            { key: good, size: image.length },
          ]),
        );
        if (outcome.functionError) {
          ctx.fail(
            'The invocation failed on the first record (not an image), so the photo in the second record was ' +
              'not handled by this invocation: skip the bad record and go on.',
            ctx.describeInvocation(outcome),
          );
        }
        const written = await thumbnail(ctx, good);
        if (written === undefined) {
          ctx.fail(
            `The invocation succeeded, but no thumbnail of '${good}' (the second record) was written.`,
            ctx.describeInvocation(outcome),
          );
        }
        return { output: { answer: outcome.payload } };
      } finally {
        await cleanUp(ctx, [bad, good]);
      }
    },
  },
];
