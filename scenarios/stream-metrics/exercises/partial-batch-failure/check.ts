// Sends batches with a bad order in the middle, as the event source mapping would: the function
// must report the bad record in batchItemFailures (not fail the batch), and every good order must
// be counted exactly once across the retries.
import type { CheckContext, CheckTest, InvocationOutcome } from '../../../../site/server/checks/types.ts';
import { change, describeChange, readMetric, removeMarks, sameChange, streamRecords } from '../support.ts';

/** The sequence numbers the function reported in `batchItemFailures`. */
function reported(ctx: CheckContext, outcome: InvocationOutcome, what: string): string[] {
  if (outcome.functionError) {
    ctx.fail(
      `The function failed the whole of ${what}. Lambda would retry all of it, again and again, and the ` +
        'records after the bad one would wait: report the bad record in batchItemFailures instead.',
      ctx.describeInvocation(outcome),
    );
  }
  const failures = (outcome.payload as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined) return [];
  if (!Array.isArray(failures)) ctx.fail('batchItemFailures must be a list.', outcome.payload);
  return failures.map((failure) => String((failure as { itemIdentifier?: unknown })?.itemIdentifier));
}

const sequenceOf = (record: Record<string, unknown>) =>
  String((record.dynamodb as { SequenceNumber: string }).SequenceNumber);

/**
 * What to do when the bad record is not named, fitted to what was reported: nothing, its eventID
 * (the wrong field), or the wrong record.
 */
export function reportedHint(reported: readonly string[], bad: Record<string, unknown>): string {
  if (reported.length === 0) {
    return 'Nothing was reported: the bad record was counted as done, and Lambda will not retry it. Catch its error and put its sequence number in batchItemFailures.';
  }
  if (reported.includes(String(bad.eventID))) {
    return 'You reported the record’s eventID: for a stream, Lambda reads itemIdentifier as the record’s dynamodb.SequenceNumber.';
  }
  return 'The sequence numbers reported are not the bad record’s.';
}

export const tests: CheckTest[] = [
  {
    name: 'a batch of good orders is counted and reports no failures',
    async run(ctx) {
      const records = streamRecords(ctx, [
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-a`, newTotal: 3 },
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-b`, newTotal: 4 },
      ]);
      try {
        const before = await readMetric(ctx);
        const failures = reported(ctx, await ctx.invoke({ Records: records }), 'a batch of good orders');
        if (failures.length > 0) ctx.fail(`Good orders were reported as failures: ${failures.join(', ')}.`);
        const seen = change(before, await readMetric(ctx));
        const expected = { INSERT: 2, MODIFY: 0, REMOVE: 0, revenue: 7 };
        if (!sameChange(seen, expected)) {
          ctx.fail(`The metric changed by ${describeChange(seen)}; expected ${describeChange(expected)}.`, seen);
        }
      } finally {
        await removeMarks(ctx, records);
      }
    },
  },
  {
    name: 'a bad order is reported by its sequence number in batchItemFailures',
    async run(ctx) {
      const records = streamRecords(ctx, [
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-good`, newTotal: 3 },
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-bad`, newTotal: '12,50' },
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-next`, newTotal: 4 },
      ]);
      try {
        const outcome = await ctx.invoke({ Records: records });
        const failures = reported(ctx, outcome, 'a batch with one bad order');
        const bad = sequenceOf(records[1] as Record<string, unknown>);
        const good = sequenceOf(records[0] as Record<string, unknown>);
        if (!failures.includes(bad)) {
          ctx.fail(
            `batchItemFailures does not name the bad order: expected itemIdentifier ${bad} (its dynamodb.SequenceNumber). ${reportedHint(failures, records[1] as Record<string, unknown>)}`,
            ctx.describeInvocation(outcome),
          );
        }
        if (failures.includes(good)) {
          ctx.fail(`The good order before the bad one (${good}) was reported as failed too.`, outcome.payload);
        }
        return { output: outcome.payload };
      } finally {
        await removeMarks(ctx, records);
      }
    },
  },
  {
    name: 'across the retries Lambda makes, every good order is counted exactly once',
    async run(ctx) {
      const records = streamRecords(ctx, [
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-first`, newTotal: 3 },
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-broken`, newTotal: '12,50' },
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-last`, newTotal: 4 },
      ]);
      try {
        const before = await readMetric(ctx);
        // Lambda retries from the lowest reported sequence number…
        const failures = reported(ctx, await ctx.invoke({ Records: records }), 'the batch');
        const retryFrom = records.findIndex((record) => failures.includes(sequenceOf(record)));
        if (retryFrom >= 0) reported(ctx, await ctx.invoke({ Records: records.slice(retryFrom) }), 'the retry');
        // …until it gives up on the bad record (the on-failure destination gets it) and goes on.
        reported(ctx, await ctx.invoke({ Records: records.slice(2) }), 'the records after the bad one');
        const seen = change(before, await readMetric(ctx));
        const expected = { INSERT: 2, MODIFY: 0, REMOVE: 0, revenue: 7 };
        if (!sameChange(seen, expected)) {
          ctx.fail(
            `After the batch, its retry and the records after the bad one, the metric changed by ${describeChange(seen)}; ` +
              `expected ${describeChange(expected)}: each good order once, the bad one not at all.`,
            seen,
          );
        }
      } finally {
        await removeMarks(ctx, records);
      }
    },
  },
];
