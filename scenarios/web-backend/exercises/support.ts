// Helpers the web-backend exercises' checks share. Runs in the checker, never deployed.
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import type { CheckContext, HttpOutcome } from '../../../site/server/checks/types.ts';

/** A response as a learner reads it: status, content type and body. */
export const shown = (response: HttpOutcome) => ({
  status: response.status,
  'content-type': response.headers['content-type'],
  body: response.json ?? response.body,
});

/**
 * What to do when an error answer has the wrong status, fitted to the status the attempt gave:
 * 500 (the function threw), a success (the bad request went through), or 400 and 404 swapped.
 */
export function statusHint(answered: number, expected: number): string {
  if (answered === 500 || answered === 502) {
    return `API Gateway answers ${answered} when the function throws: catch the bad input and answer ${expected} yourself.`;
  }
  if (answered >= 200 && answered < 300) {
    return expected === 404
      ? 'The item does not exist, yet the answer is a success: GetItem answers no Item for an unknown id — answer 404 then.'
      : 'The request went through as it is: check it before you use it, and answer 400 when it is wrong.';
  }
  if (answered === 404 && expected === 400) {
    return 'The malformed id was looked up (404): check that it is a UUID first, and answer 400 without asking the table.';
  }
  if (answered === 400 && expected === 404) {
    return 'A well-formed id that no item has is not a bad request: answer 404.';
  }
  return '';
}

/** Fails unless the response has `status` and a JSON body with a non-empty `message`. */
export function expectJsonError(ctx: CheckContext, response: HttpOutcome, status: number, request: string): void {
  if (response.status !== status) {
    ctx.fail(
      `${request} answered ${response.status}; expected ${status}. ${statusHint(response.status, status)}`.trim(),
      shown(response),
    );
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
