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
        const input = JSON.parse(event.body ?? '{}');
        const item: Item = {
          id: randomUUID(),
          name: input.name,
          price: input.price,
          createdAt: new Date().toISOString(),
        };
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
