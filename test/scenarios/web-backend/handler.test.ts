import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../scenarios/web-backend/handler.ts';
import { fakeContext } from '../helpers/context.ts';
import { httpApiEvent } from '../helpers/events.ts';
import { fakeClient } from '../helpers/fake-aws.ts';

type Attributes = Record<string, { S?: string; N?: string }>;
let items: Map<string, Attributes>;
let dynamodb: ReturnType<typeof fakeClient>;

const call = async (...args: Parameters<typeof httpApiEvent>) =>
  (await handler(httpApiEvent(...args), fakeContext())) as APIGatewayProxyStructuredResultV2 & { body: string };

beforeEach(() => {
  vi.stubEnv('ITEMS_TABLE', 'items');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  items = new Map();
  dynamodb = fakeClient(DynamoDBClient, {
    [ScanCommand.name]: () => ({ Items: [...items.values()] }),
    [GetItemCommand.name]: (input) => ({ Item: items.get((input.Key as { id: { S: string } }).id.S) }),
    [PutItemCommand.name]: (input) => {
      const item = input.Item as Attributes;
      items.set(item.id?.S ?? '', item);
      return {};
    },
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('web-backend handler', () => {
  it('serves the HTML page at GET /', async () => {
    const response = await call('GET /');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain("fetch('items'");
  });

  it('creates an item with POST /items (201, Location) and finds it with GET /items/{id}', async () => {
    const created = await call('POST /items', { body: JSON.stringify({ name: ' Lamp ', price: 25 }) });
    expect(created.statusCode).toBe(201);
    const item = JSON.parse(created.body);
    expect(item).toMatchObject({ name: 'Lamp', price: 25, id: expect.any(String) });
    expect(created.headers?.location).toBe(`/items/${item.id}`);

    const found = await call('GET /items/{id}', { path: `/items/${item.id}`, pathParameters: { id: item.id } });
    expect(found.statusCode).toBe(200);
    expect(JSON.parse(found.body)).toEqual(item);

    const list = await call('GET /items');
    expect(JSON.parse(list.body)).toEqual({ items: [item] });
  });

  it('decodes a base64-encoded body', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'Mug', price: 8 })).toString('base64');
    const created = await call('POST /items', { body, isBase64Encoded: true });
    expect(created.statusCode).toBe(201);
  });

  it.each([
    ['not JSON', '{name:', 'Body is not valid JSON.'],
    ['no body', undefined, 'Body must be a JSON object'],
    ['an array', '[]', 'Body must be a JSON object'],
    ['no name', '{"price": 1}', '"name" must be a string'],
    ['an empty name', '{"name": "  ", "price": 1}', '"name" must be a string'],
    ['a negative price', '{"name": "x", "price": -1}', '"price" must be a number'],
    ['a price as text', '{"name": "x", "price": "1"}', '"price" must be a number'],
    ['an unknown field', '{"name": "x", "price": 1, "admin": true}', 'Unknown field(s): admin'],
  ])('answers 400 with a clear message for %s', async (_case, body, message) => {
    const response = await call('POST /items', { body });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).message).toContain(message);
    expect(dynamodb.inputsOf(PutItemCommand.name)).toEqual([]);
  });

  it('answers 404 for an unknown id', async () => {
    const response = await call('GET /items/{id}', { path: '/items/nope', pathParameters: { id: 'nope' } });
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ message: "No item with id 'nope'." });
  });

  it('answers 404 for a route it does not serve', async () => {
    const response = await call('$default', { path: '/nowhere' });
    expect(response.statusCode).toBe(404);
  });

  it('answers a generic 500 and logs the cause when DynamoDB fails', async () => {
    dynamodb.on(ScanCommand.name, () => {
      throw new Error('Requested resource not found');
    });
    const response = await call('GET /items');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Requested resource');
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('Requested resource not found'));
  });
});
