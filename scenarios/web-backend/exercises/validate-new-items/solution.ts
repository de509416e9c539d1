import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { requireEnv } from '../shared/env.ts';
import { describeError, log } from '../shared/log.ts';
import { PAGE } from './page.ts';

const dynamodb = new DynamoDBClient({});

/** An item of the API, as stored in ITEMS_TABLE and returned as JSON. */
export interface Item {
  readonly id: string;
  readonly name: string;
  readonly price: number;
  readonly createdAt: string;
}

/** Fields a client may send in `POST /items`, with their rules. */
const NEW_ITEM_RULES = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  price: { type: 'number', min: 0, max: 1_000_000 },
} as const;

/** The item a `POST /items` body describes, or the message of a 400 answer. */
export function validateNewItem(body: unknown): { name: string; price: number } | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: 'Body must be a JSON object like {"name": "Lamp", "price": 25}.' };
  }
  const input = body as Record<string, unknown>;
  const unknownFields = Object.keys(input).filter((field) => !(field in NEW_ITEM_RULES));
  if (unknownFields.length > 0) return { error: `Unknown field(s): ${unknownFields.join(', ')}.` };
  const { name, price } = input;
  const rules = NEW_ITEM_RULES;
  if (typeof name !== 'string' || name.trim().length < rules.name.minLength || name.length > rules.name.maxLength) {
    return { error: `"name" must be a string of ${rules.name.minLength} to ${rules.name.maxLength} characters.` };
  }
  if (typeof price !== 'number' || !Number.isFinite(price) || price < rules.price.min || price > rules.price.max) {
    return { error: `"price" must be a number from ${rules.price.min} to ${rules.price.max}.` };
  }
  return { name: name.trim(), price };
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) =>
  ({
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }) satisfies APIGatewayProxyStructuredResultV2;

const fromAttributes = (attributes: Record<string, { S?: string; N?: string }>): Item => ({
  id: attributes.id?.S ?? '',
  name: attributes.name?.S ?? '',
  price: Number(attributes.price?.N ?? 0),
  createdAt: attributes.createdAt?.S ?? '',
});

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return JSON.parse(text);
}

/**
 * API Gateway (HTTP API, payload format 2.0) invokes this function synchronously for each request
 * and turns the returned object into the HTTP response. Routes are declared in infra.ts; the
 * function dispatches on `routeKey`, which names the route that matched.
 */
export const handler = async (
  event: APIGatewayProxyEventV2,
  _context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const table = requireEnv('ITEMS_TABLE');
  try {
    switch (event.routeKey) {
      case 'GET /':
        return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE };
      case 'GET /items': {
        const page = await dynamodb.send(new ScanCommand({ TableName: table, Limit: 100 }));
        const items = (page.Items ?? []).map(fromAttributes).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        return json(200, { items });
      }
      case 'GET /items/{id}': {
        const id = event.pathParameters?.id ?? '';
        const found = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } } }));
        if (found.Item === undefined) return json(404, { message: `No item with id '${id}'.` });
        return json(200, fromAttributes(found.Item));
      }
      case 'POST /items': {
        let body: unknown;
        try {
          body = parseBody(event);
        } catch {
          return json(400, { message: 'Body is not valid JSON.' });
        }
        const input = validateNewItem(body);
        if ('error' in input) return json(400, { message: input.error });
        const item: Item = { id: randomUUID(), ...input, createdAt: new Date().toISOString() };
        await dynamodb.send(
          new PutItemCommand({
            TableName: table,
            Item: {
              id: { S: item.id },
              name: { S: item.name },
              price: { N: String(item.price) },
              createdAt: { S: item.createdAt },
            },
          }),
        );
        log('INFO', 'item created', { id: item.id });
        return json(201, item, { location: `/items/${item.id}` });
      }
      default:
        return json(404, { message: `No route for ${event.requestContext.http.method} ${event.rawPath}.` });
    }
  } catch (error) {
    // Log the details, answer a generic 500: internals are not for the browser.
    log('ERROR', 'request failed', { routeKey: event.routeKey, ...describeError(error) });
    return json(500, { message: 'Internal server error.' });
  }
};
