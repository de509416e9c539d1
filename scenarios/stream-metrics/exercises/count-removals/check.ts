// Deletes orders (through the real stream, and in a batch sent directly) and expects REMOVE to be
// counted and the deleted order's total taken off revenue.
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CheckTest, EndedInvocation } from '../../../../site/server/checks/types.ts';
import {
  type Counters,
  change,
  describeChange,
  readMetric,
  removeMarks,
  sameChange,
  streamRecords,
} from '../support.ts';

/**
 * What to do, fitted to what creating and deleting an order of `total` changed (`seen`) and to how
 * the run that had the deletion ended: it failed (a REMOVE has no NewImage), the deletion was not
 * counted (the starter skips REMOVE), or it was but its total stayed in revenue.
 */
export function removalHint(seen: Counters, total: number, runs: readonly EndedInvocation[]): string {
  const failed = runs.find((run) => run.error !== undefined);
  if (failed) {
    return `The function failed on the deletion's record (${failed.error}): a REMOVE record has Keys and an OldImage, no NewImage — read the deleted order from OldImage.`;
  }
  if (seen.REMOVE === 0) {
    return 'Lambda sends deletions as records with eventName REMOVE, and they were not counted: count them too.';
  }
  if (Math.round((seen.revenue - total) * 100) === 0) {
    return "REMOVE is counted, but the deleted order's total stayed in revenue: take OldImage.total off it.";
  }
  if (seen.REMOVE > 1) return 'One deletion was counted more than once: count each REMOVE record once.';
  return "A deleted order's total comes off revenue once: read it from the OldImage.";
}

export const tests: CheckTest[] = [
  {
    name: 'deleting an order from the orders table counts one REMOVE and takes its total off revenue',
    timeoutMs: 60_000,
    async run(ctx) {
      const table = ctx.resources.ordersTable;
      const orderId = `check-${ctx.runId}-deleted`;
      const before = await readMetric(ctx);
      await ctx.clients.dynamodb.send(
        new PutItemCommand({
          TableName: table,
          Item: { orderId: { S: orderId }, total: { N: '12.34' }, status: { S: 'placed' } },
        }),
      );
      await ctx.waitFor(async () => change(before, await readMetric(ctx)).INSERT >= 1, {
        timeoutMs: 20_000,
        what: `the new order ${orderId} to be counted (INSERT)`,
      });
      const since = Date.now();
      await ctx.clients.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { orderId: { S: orderId } } }));
      const expected = { INSERT: 1, MODIFY: 0, REMOVE: 1, revenue: 0 };
      let seen: Counters = change(before, await readMetric(ctx));
      // The run the stream's REMOVE record sets off either counts it or not: once it ended, the
      // metric is what it will be.
      const awaited = await ctx.awaitResult(
        async () => {
          seen = change(before, await readMetric(ctx));
          return sameChange(seen, expected) ? seen : undefined;
        },
        {
          since,
          graceMs: 300,
          timeoutMs: 20_000,
          what: 'the deletion to be counted (REMOVE)',
          why: 'Lambda polls the stream and invokes the function with the new records',
        },
      );
      if (!awaited.ok) {
        ctx.fail(
          `Creating and deleting an order of 12.34 changed the metric by ${describeChange(seen)}; expected ` +
            `${describeChange(expected)}. ${removalHint(seen, 12.34, awaited.ended)} ` +
            'If you wrote orders while the check ran, run it again.',
          `${describeChange(seen)}\n\n${ctx.describeRuns(awaited.ended)}`,
        );
      }
      return { output: describeChange(seen) };
    },
  },
  {
    name: "a batch with an order's whole life (INSERT, MODIFY, REMOVE) leaves revenue where it was",
    async run(ctx) {
      const orderId = `check-${ctx.runId}-life`;
      const records = streamRecords(ctx, [
        { eventName: 'INSERT', orderId, newTotal: 20 },
        { eventName: 'MODIFY', orderId, oldTotal: 20, newTotal: 25 },
        { eventName: 'REMOVE', orderId, oldTotal: 25 },
      ]);
      try {
        const before = await readMetric(ctx);
        const outcome = await ctx.invoke({ Records: records });
        if (outcome.functionError) {
          const error = outcome.payload as { errorType?: unknown; errorMessage?: unknown } | undefined;
          ctx.fail(
            `The function failed on the batch. ${removalHint(change(before, before), 25, [{ requestId: outcome.requestId ?? '', startedAt: 0, report: '', logs: [], error: `${String(error?.errorType)}: ${String(error?.errorMessage)}` }])}`,
            ctx.describeInvocation(outcome),
          );
        }
        const seen = change(before, await readMetric(ctx));
        const expected = { INSERT: 1, MODIFY: 1, REMOVE: 1, revenue: 0 };
        if (!sameChange(seen, expected)) {
          ctx.fail(
            `The batch changed the metric by ${describeChange(seen)}; expected ${describeChange(expected)}. ${removalHint({ ...seen, revenue: seen.revenue }, 25, [])}`,
            `${describeChange(seen)}

${ctx.describeInvocation(outcome)}`,
          );
        }
        return { output: describeChange(seen) };
      } finally {
        await removeMarks(ctx, records);
      }
    },
  },
];
