// Posts good and bad bodies to POST /items through the HTTP API: bad ones get 400 and store nothing.
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { CheckContext, CheckTest } from '../../../../site/server/checks/types.ts';
import { deleteItems, expectJsonError, shown } from '../support.ts';

const post = (ctx: CheckContext, body: string) =>
  ctx.http('POST', '/items', { headers: { 'content-type': 'application/json' }, body });

/** Ids of stored items whose name contains `marker`. */
async function storedWith(ctx: CheckContext, marker: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await ctx.clients.dynamodb.send(
      new ScanCommand({ TableName: ctx.resources.itemsTable, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      if (JSON.stringify(item).includes(marker) && item.id?.S) ids.push(item.id.S);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

export const tests: CheckTest[] = [
  {
    name: 'a valid item is created: 201, the item with its id, and a location header',
    async run(ctx) {
      const name = `Check lamp ${ctx.runId}`;
      const response = await post(ctx, JSON.stringify({ name, price: 25 }));
      const item = response.json as { id?: unknown; name?: unknown; price?: unknown } | undefined;
      try {
        if (response.status !== 201 || typeof item?.id !== 'string' || item.name !== name || item.price !== 25) {
          return ctx.fail(
            'POST /items with {"name", "price"} should answer 201 with the stored item.',
            shown(response),
          );
        }
        if (response.headers.location !== `/items/${item.id}`) {
          ctx.fail(`The answer should carry the header location: /items/${item.id}.`, shown(response));
        }
        return { output: shown(response) };
      } finally {
        await deleteItems(ctx, await storedWith(ctx, ctx.runId));
      }
    },
  },
  {
    name: 'a body that is not JSON answers 400 with a JSON message, not 500',
    async run(ctx) {
      const response = await post(ctx, `name=Lamp ${ctx.runId}&price=25`);
      try {
        expectJsonError(ctx, response, 400, 'POST /items with a body that is not JSON');
      } finally {
        await deleteItems(ctx, await storedWith(ctx, ctx.runId));
      }
    },
  },
  {
    name: 'missing or invalid fields answer 400 with a JSON message, and nothing is stored',
    async run(ctx) {
      const marker = `Lamp ${ctx.runId}`;
      const bodies: [string, unknown][] = [
        ['no price', { name: marker }],
        ['an empty name', { name: '', price: 5, note: marker }],
        ['a negative price', { name: marker, price: -1 }],
        ['a price that is a string', { name: marker, price: '25' }],
        ['a list instead of an object', [marker, 25]],
      ];
      try {
        for (const [what, body] of bodies) {
          const response = await post(ctx, JSON.stringify(body));
          expectJsonError(ctx, response, 400, `POST /items with ${what} (${JSON.stringify(body)})`);
        }
        const stored = await storedWith(ctx, marker);
        if (stored.length > 0) ctx.fail(`Invalid items were stored anyway: ${stored.join(', ')}.`);
      } finally {
        await deleteItems(ctx, await storedWith(ctx, ctx.runId));
      }
    },
  },
];
