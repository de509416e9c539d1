// Calls GET /items/{id} through the HTTP API for an existing item, an unknown id and a malformed id.
import { randomUUID } from 'node:crypto';
import type { CheckTest } from '../../../../site/server/checks/types.ts';
import { createItem, deleteItems, expectJsonError, shown } from '../support.ts';

export const tests: CheckTest[] = [
  {
    name: 'GET /items/{id} of an existing item answers 200 with the item',
    async run(ctx) {
      const name = `Check lamp ${ctx.runId}`;
      const id = await createItem(ctx, name, 25);
      try {
        const response = await ctx.http('GET', `/items/${id}`);
        const item = response.json as { id?: unknown; name?: unknown } | undefined;
        if (response.status !== 200 || item?.id !== id || item?.name !== name) {
          ctx.fail(`GET /items/${id} should answer 200 with the item just created.`, shown(response));
        }
        return { output: shown(response) };
      } finally {
        await deleteItems(ctx, [id]);
      }
    },
  },
  {
    name: 'GET /items/{id} of an id that does not exist answers 404 with a JSON message',
    async run(ctx) {
      const id = randomUUID();
      const response = await ctx.http('GET', `/items/${id}`);
      expectJsonError(ctx, response, 404, `GET /items/${id} (no such item)`);
      return { output: shown(response) };
    },
  },
  {
    name: 'GET /items/{id} of a malformed id answers 400 with a JSON message',
    async run(ctx) {
      for (const id of ['not-an-id', `${randomUUID()}x`]) {
        const response = await ctx.http('GET', `/items/${encodeURIComponent(id)}`);
        expectJsonError(ctx, response, 400, `GET /items/${id} (not a UUID)`);
      }
    },
  },
];
