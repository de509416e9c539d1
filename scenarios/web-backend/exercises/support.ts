// Helpers the web-backend exercises' checks share. Runs in the checker, never deployed.
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import type { CheckContext, HttpOutcome } from '../../../site/server/checks/types.ts';

/** A response as a learner reads it: status, content type and body. */
export const shown = (response: HttpOutcome) => ({
  status: response.status,
  'content-type': response.headers['content-type'],
  body: response.json ?? response.body,
});

/** Fails unless the response has `status` and a JSON body with a non-empty `message`. */
export function expectJsonError(ctx: CheckContext, response: HttpOutcome, status: number, request: string): void {
  if (response.status !== status) {
    ctx.fail(`${request} answered ${response.status}; expected ${status}.`, shown(response));
  }
  const message = (response.json as { message?: unknown } | undefined)?.message;
  if (
    !String(response.headers['content-type']).startsWith('application/json') ||
    typeof message !== 'string' ||
    !message
  ) {
    ctx.fail(
      `${request} answered ${status} as expected, but the body should be JSON with a "message" for the client ` +
        '(content-type application/json).',
      shown(response),
    );
  }
}

/** Creates an item through the API (POST /items) and answers its id. */
export async function createItem(ctx: CheckContext, name: string, price: number): Promise<string> {
  const response = await ctx.http('POST', '/items', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, price }),
  });
  const id = (response.json as { id?: unknown } | undefined)?.id;
  if (response.status !== 201 || typeof id !== 'string') {
    ctx.fail('Creating an item with POST /items did not answer 201 with the new item.', shown(response));
  }
  return id;
}

/** Deletes items a test created (best effort). */
export async function deleteItems(ctx: CheckContext, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    await ctx.clients.dynamodb
      .send(new DeleteItemCommand({ TableName: ctx.resources.itemsTable, Key: { id: { S: id } } }))
      .catch(() => undefined);
  }
}
