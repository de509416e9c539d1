// Deletes orders (through the real stream, and in a batch sent directly) and expects REMOVE to be
// counted and the deleted order's total taken off revenue.
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CheckTest } from '../../../../site/server/checks/types.ts';
import {
  type Counters,
  change,
  describeChange,
  readMetric,
  removeMarks,
  sameChange,
  streamRecords,
} from '../support.ts';

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
      await ctx.clients.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { orderId: { S: orderId } } }));
      let seen: Counters = change(before, await readMetric(ctx));
      try {
        await ctx.waitFor(
          async () => {
            seen = change(before, await readMetric(ctx));
            return seen.REMOVE >= 1;
          },
          { timeoutMs: 10_000, what: 'REMOVE to go up' },
        );
      } catch {
        ctx.fail(
          `The deletion of ${orderId} was not counted: after 10 s the metric changed by ${describeChange(seen)}. ` +
            'Lambda sends deletions as records with eventName REMOVE; count them too.',
          seen,
        );
      }
      const expected = { INSERT: 1, MODIFY: 0, REMOVE: 1, revenue: 0 };
      if (!sameChange(seen, expected)) {
        ctx.fail(
          `Creating and deleting an order of 12.34 changed the metric by ${describeChange(seen)}; expected ` +
            `${describeChange(expected)} (a deleted order's total comes off revenue: read it from the OldImage). ` +
            'If you wrote orders while the check ran, run it again.',
          seen,
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
          ctx.fail('The function failed on the batch.', ctx.describeInvocation(outcome));
        }
        const seen = change(before, await readMetric(ctx));
        const expected = { INSERT: 1, MODIFY: 1, REMOVE: 1, revenue: 0 };
        if (!sameChange(seen, expected)) {
          ctx.fail(
            `The batch changed the metric by ${describeChange(seen)}; expected ${describeChange(expected)}.`,
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
