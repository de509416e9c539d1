// Reads the function's asynchronous invocation settings, then hands it, as S3 would (an `Event`
// invocation), the notification of a photo that was deleted before the function ran: every attempt
// fails, and the failure record must land in the on-failure bucket with the S3 event in it.
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
} from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { CheckContext, CheckTest, EndedInvocation } from '../../../../site/server/checks/types.ts';
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

/** Whether a policy statement allows s3:PutObject on objects of `bucket`. */
export function allowsPut(statement: unknown, bucket: string): boolean {
  const s = (statement ?? {}) as { Effect?: unknown; Action?: unknown; Resource?: unknown };
  const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
  const like = (pattern: string, value: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);
  return (
    s.Effect === 'Allow' &&
    list(s.Action).some((action) => like(action, 's3:PutObject')) &&
    list(s.Resource).some((resource) => like(resource, `arn:aws:s3:::${bucket}/aws/lambda/async/record.json`))
  );
}

/**
 * Why no failure record came after every attempt ended, fitted to the attempt: the attempts that
 * did not fail (nothing to record), the role without s3:PutObject on the bucket (Lambda writes the
 * record with the function's own role), or neither.
 */
export function missingRecordHint(
  runs: readonly EndedInvocation[],
  bucket: string,
  roleMayPut: boolean | undefined,
): string {
  if (runs.length > 0 && runs.every((run) => run.error === undefined)) {
    return 'Every attempt ended without an error, so there was no failure to record: the function must fail (throw) for a photo it cannot read.';
  }
  if (roleMayPut === false) {
    return (
      `Every attempt failed and ended, but the function's execution role may not s3:PutObject into ${bucket}: ` +
      'Lambda writes the failure record with the function’s own role. Grant it (failuresBucket.grantPut(…) on the function’s role).'
    );
  }
  return `Every attempt failed and ended, and no record reached ${bucket}. Does the on-failure destination name that bucket, and may the function's execution role s3:PutObject into it?`;
}

/** Whether the function's execution role's inline policies allow s3:PutObject into `bucket` (undefined: cannot tell). */
async function roleMayPut(ctx: CheckContext, bucket: string): Promise<boolean | undefined> {
  const iam = new IAMClient(ctx.config);
  try {
    const { Role } = await ctx.clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: ctx.functionName }),
    );
    const roleName = (Role ?? '').slice((Role ?? '').lastIndexOf('/') + 1);
    const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    for (const policyName of PolicyNames) {
      const { PolicyDocument = '' } = await iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
      );
      const statements = (JSON.parse(decodeURIComponent(PolicyDocument)) as { Statement?: unknown }).Statement;
      if ((Array.isArray(statements) ? statements : [statements]).some((statement) => allowsPut(statement, bucket)))
        return true;
    }
    return false;
  } catch {
    return undefined; // a learner may not read the role: no fitted hint then
  } finally {
    iam.destroy();
  }
}

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
      const { bucket, retries } = await onFailureBucket(ctx);
      // Never uploaded: S3 delivers notifications asynchronously, so a photo can be gone by the time
      // the function reads it. Every attempt fails; no retry can help.
      const key = `check-${ctx.runId}/gone.jpg`;
      const event = objectCreatedEvent(ctx, [{ key, size: 48_213 }]);
      const since = Date.now();
      await ctx.clients.lambda.send(
        new InvokeCommand({
          FunctionName: ctx.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      // The record comes right after the last attempt: follow the attempts' REPORT lines, and give
      // Lambda a moment after the last one to write it.
      const attempts = (retries ?? 2) + 1;
      const awaited = await ctx.awaitResult(
        async () => (await failureRecords(ctx, bucket)).find((r) => eventKey(r) === key),
        {
          since,
          count: attempts,
          graceMs: ctx.target.kind === 'local' ? 1500 : 5000,
          timeoutMs: 60_000,
          what: `a failure record for '${key}' under aws/lambda/async/${ctx.functionName}/ in ${bucket}`,
          // Said while the test waits: the record comes only after every attempt failed.
          why: `Lambda tries an asynchronous event ${attempts} times, with waits between the attempts (seconds here, minutes on AWS), before it hands it to the on-failure destination`,
        },
      );
      if (!awaited.ok) {
        return ctx.fail(
          `No failure record for '${key}' reached ${bucket} after the ${awaited.ended.length} attempts ended. ${missingRecordHint(awaited.ended, bucket, await roleMayPut(ctx, bucket))}`,
          ctx.describeRuns(awaited.ended),
        );
      }
      const record = awaited.value;
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
