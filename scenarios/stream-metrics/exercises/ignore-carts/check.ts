// Writes carts (cart-…) and orders (o-…) to the orders table of the learner's own stack and
// expects only the orders to be counted: the event source mapping must filter the carts out.
// The stack is new for this check, so its metrics start at zero and the counts are exact.
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CheckContext, CheckTest } from '../../../../site/server/checks/types.ts';
import { type Counters, describeChange, readMetric } from '../support.ts';

const put = (table: string, orderId: string, total: string) =>
  new PutItemCommand({ TableName: table, Item: { orderId: { S: orderId }, total: { N: total } } });

/** Waits until `done(counters)` holds, and returns the counters then. */
async function metricUntil(ctx: CheckContext, done: (counters: Counters) => boolean, what: string): Promise<Counters> {
  return ctx.waitFor(
    async () => {
      const counters = await readMetric(ctx);
      return done(counters) ? counters : undefined;
    },
    { timeoutMs: 20_000, what },
  );
}

export const tests: CheckTest[] = [
  {
    name: 'carts never reach the function; the order written after them is counted alone',
    async run(ctx) {
      const table = ctx.resources.ordersTable ?? '';
      const cart = `cart-${ctx.runId}`;
      const order = `o-${ctx.runId}`;
      // The cart's changes come first on the stream: unfiltered, they are counted before the order.
      await ctx.clients.dynamodb.send(put(table, cart, '99'));
      await ctx.clients.dynamodb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { orderId: { S: cart } },
          UpdateExpression: 'SET #t = :t',
          ExpressionAttributeNames: { '#t': 'total' },
          ExpressionAttributeValues: { ':t': { N: '120' } },
        }),
      );
      await ctx.clients.dynamodb.send(put(table, order, '40'));
      const seen = await metricUntil(
        ctx,
        (c) => c.revenue === 40 || c.INSERT >= 2,
        `the order ${order} to be counted`,
      ).catch(async (error: Error) =>
        ctx.fail(
          `Nothing was counted: ${error.message} The filter drops the orders too — match the keys that begin with 'o-' (a prefix rule on dynamodb.Keys.orderId.S).`,
          await readMetric(ctx),
        ),
      );
      if (seen.INSERT !== 1 || seen.MODIFY !== 0 || seen.revenue !== 40) {
        ctx.fail(
          `The metric counted ${describeChange(seen)}; only the order (one INSERT, revenue 40) should count. ` +
            'The cart was handed to the function: filter the event source mapping so that it is not.',
          seen,
        );
      }
      return { output: seen };
    },
  },
  {
    name: 'a deleted order is still counted (REMOVE records carry no NewImage)',
    async run(ctx) {
      const table = ctx.resources.ordersTable ?? '';
      const order = `o-${ctx.runId}-gone`;
      const before = await readMetric(ctx);
      await ctx.clients.dynamodb.send(put(table, order, '15'));
      await ctx.clients.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { orderId: { S: order } } }));
      const seen = await metricUntil(
        ctx,
        (c) => c.REMOVE > before.REMOVE,
        `the deletion of ${order} to be counted (REMOVE)`,
      ).catch(async () => {
        const now = await readMetric(ctx);
        return ctx.fail(
          'The order was deleted but no REMOVE was counted: the filter drops REMOVE records. ' +
            'A REMOVE has Keys and OldImage, no NewImage — filter on the key.',
          now,
        );
      });
      return { output: seen };
    },
  },
];
