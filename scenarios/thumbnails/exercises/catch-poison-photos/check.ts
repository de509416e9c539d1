// Reads the function's asynchronous invocation settings, then hands it, as S3 would (an `Event`
// invocation), the notification of a photo that was deleted before the function ran: every attempt
// fails, and the failure record must land in the on-failure bucket with the S3 event in it.
import { GetFunctionEventInvokeConfigCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { CheckContext, CheckTest } from '../../../../site/server/checks/types.ts';
import { objectCreatedEvent } from '../support.ts';

interface OnFailure {
  readonly bucket: string;
  readonly retries: number | undefined;
  readonly maxAgeSeconds: number | undefined;
}

/** The function's event invoke config, and the bucket its on-failure destination names. */
async function onFailureBucket(ctx: CheckContext): Promise<OnFailure> {
  const config = await ctx.clients.lambda
    .send(new GetFunctionEventInvokeConfigCommand({ FunctionName: ctx.functionName }))
    .catch((error: { name?: string }) => {
      if (error.name === 'ResourceNotFoundException') {
        return ctx.fail(
          `${ctx.functionName} has no asynchronous invocation settings (no event invoke config): a failed ` +
            'photo is retried twice and then dropped. Configure its asynchronous invocations in infra.ts.',
        );
      }
      throw error;
    });
  const destination = config.DestinationConfig?.OnFailure?.Destination;
  const bucket = destination === undefined ? undefined : /^arn:aws[a-zA-Z-]*:s3:::(.+)$/.exec(destination)?.[1];
  if (bucket === undefined) {
    ctx.fail(
      `The function's asynchronous invocations have ${destination === undefined ? 'no on-failure destination' : `the on-failure destination ${destination}, not an S3 bucket`}: ` +
        'send failures to a bucket of their own.',
      config,
    );
  }
  return { bucket, retries: config.MaximumRetryAttempts, maxAgeSeconds: config.MaximumEventAgeInSeconds };
}

/** The failure records under the function's prefix, parsed. */
async function failureRecords(ctx: CheckContext, bucket: string): Promise<Record<string, unknown>[]> {
  const listed = await ctx.clients.s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `aws/lambda/async/${ctx.functionName}/` }),
  );
  const records: Record<string, unknown>[] = [];
  for (const { Key } of listed.Contents ?? []) {
    const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    records.push(JSON.parse((await object.Body?.transformToString()) ?? '{}') as Record<string, unknown>);
  }
  return records;
}

/** The key the first S3 record of a failure record's event names. */
const eventKey = (record: Record<string, unknown>): string | undefined =>
  (record.requestPayload as { Records?: { s3?: { object?: { key?: string } } }[] } | undefined)?.Records?.[0]?.s3
    ?.object?.key;

export const tests: CheckTest[] = [
  {
    name: 'failed photos are retried once, for at most an hour, then sent to an S3 bucket',
    async run(ctx) {
      const settings = await onFailureBucket(ctx);
      if (settings.retries !== 1) {
        ctx.fail(`Lambda retries a failed photo ${settings.retries ?? 2} times; retry it once.`, settings);
      }
      if (settings.maxAgeSeconds !== 3600) {
        ctx.fail(
          `An event is kept for ${settings.maxAgeSeconds ?? 21_600} seconds; give up on a photo after one hour (3600 seconds).`,
          settings,
        );
      }
      return { output: settings };
    },
  },
  {
    name: "a photo deleted before the function ran ends in the failures bucket, with S3's event",
    async run(ctx) {
      const { bucket } = await onFailureBucket(ctx);
      // Never uploaded: S3 delivers notifications asynchronously, so a photo can be gone by the time
      // the function reads it. Every attempt fails; no retry can help.
      const key = `check-${ctx.runId}/gone.jpg`;
      const event = objectCreatedEvent(ctx, [{ key, size: 48_213 }]);
      await ctx.clients.lambda.send(
        new InvokeCommand({
          FunctionName: ctx.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      const record = await ctx
        .waitFor(async () => (await failureRecords(ctx, bucket)).find((r) => eventKey(r) === key), {
          timeoutMs: 30_000,
          what: `a failure record for '${key}' under aws/lambda/async/${ctx.functionName}/ in ${bucket}`,
          // Said while the test waits: the record comes only after every attempt failed.
          why: 'Lambda tries an asynchronous event three times, with waits between the attempts (seconds here, minutes on AWS), before it hands it to the on-failure destination',
        })
        .catch(async () =>
          ctx.fail(
            `No failure record for '${key}' reached ${bucket}. Does the function's execution role allow ` +
              's3:PutObject on that bucket?' +
              ' Lambda writes the record with the function’s own role.',
            await failureRecords(ctx, bucket).catch((error: Error) => error.message),
          ),
        );
      const context = record.requestContext as { condition?: string; approximateInvokeCount?: number } | undefined;
      if (context?.condition !== 'RetriesExhausted' || context.approximateInvokeCount !== 2) {
        ctx.fail(
          `The failure record says ${JSON.stringify(context)}; expected condition RetriesExhausted after 2 attempts (one retry).`,
          record,
        );
      }
      return {
        output: { condition: context?.condition, attempts: context?.approximateInvokeCount, key: eventKey(record) },
      };
    },
  },
];
