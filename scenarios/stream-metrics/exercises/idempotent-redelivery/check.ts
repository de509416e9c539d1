// Sends the same stream batch twice, and an overlapping one, as Lambda does when it retries:
// every record must count exactly once.
import type { CheckContext, CheckTest } from '../../../../site/server/checks/types.ts';
import {
  type Counters,
  change,
  describeChange,
  readMetric,
  removeMarks,
  sameChange,
  streamRecords,
} from '../support.ts';

/** What to do when a delivery failed, fitted to the error: a refused conditional write that escaped, or another. */
export function deliveryHint(errorType: unknown): string {
  if (errorType === 'ConditionalCheckFailedException' || errorType === 'TransactionCanceledException') {
    return `Your conditional write refused a record already applied (${errorType}) — that is the duplicate found — but the error escaped and failed the whole batch: catch it, and skip that record.`;
  }
  return '';
}

async function deliver(ctx: CheckContext, records: Record<string, unknown>[], what: string): Promise<void> {
  const outcome = await ctx.invoke({ Records: records });
  if (outcome.functionError) {
    const errorType = (outcome.payload as { errorType?: unknown } | undefined)?.errorType;
    ctx.fail(`The function failed on ${what}. ${deliveryHint(errorType)}`.trim(), ctx.describeInvocation(outcome));
  }
}

function expectChange(ctx: CheckContext, seen: Counters, expected: Counters, hint: string): void {
  if (!sameChange(seen, expected)) {
    ctx.fail(`The metric changed by ${describeChange(seen)}; expected ${describeChange(expected)}. ${hint}`, seen);
  }
}

export const tests: CheckTest[] = [
  {
    name: 'a batch delivered once is counted once',
    async run(ctx) {
      const records = streamRecords(ctx, [
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-a`, newTotal: 10 },
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-b`, newTotal: 5 },
      ]);
      try {
        const before = await readMetric(ctx);
        await deliver(ctx, records, 'the batch');
        expectChange(ctx, change(before, await readMetric(ctx)), { INSERT: 2, MODIFY: 0, REMOVE: 0, revenue: 15 }, '');
      } finally {
        await removeMarks(ctx, records);
      }
    },
  },
  {
    name: 'the same batch delivered again (same eventIDs) counts nothing more',
    async run(ctx) {
      const orderId = `check-${ctx.runId}-c`;
      const records = streamRecords(ctx, [
        { eventName: 'INSERT', orderId, newTotal: 10 },
        { eventName: 'MODIFY', orderId, oldTotal: 10, newTotal: 12 },
      ]);
      try {
        await deliver(ctx, records, 'the first delivery');
        const between = await readMetric(ctx);
        await deliver(ctx, records, 'the second delivery of the same batch');
        expectChange(
          ctx,
          change(between, await readMetric(ctx)),
          { INSERT: 0, MODIFY: 0, REMOVE: 0, revenue: 0 },
          'Lambda delivers stream records at least once: remember which eventIDs were applied and skip them.',
        );
      } finally {
        await removeMarks(ctx, records);
      }
    },
  },
  {
    name: 'a retry that overlaps an earlier batch counts only the new records',
    async run(ctx) {
      const records = streamRecords(ctx, [
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-d`, newTotal: 1 },
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-e`, newTotal: 2 },
        { eventName: 'INSERT', orderId: `check-${ctx.runId}-f`, newTotal: 4 },
      ]);
      try {
        const before = await readMetric(ctx);
        await deliver(ctx, records.slice(0, 2), 'the first batch');
        await deliver(ctx, records.slice(1), 'the retried batch');
        expectChange(
          ctx,
          change(before, await readMetric(ctx)),
          { INSERT: 3, MODIFY: 0, REMOVE: 0, revenue: 7 },
          'The second record arrived twice; it must count once. Deduplicate per record (eventID), not per batch.',
        );
      } finally {
        await removeMarks(ctx, records);
      }
    },
  },
];
