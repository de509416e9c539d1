import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../scenarios/mobile-clicks/handler.ts';
import { fakeContext } from '../helpers/context.ts';
import { fakeClient } from '../helpers/fake-aws.ts';

let dynamodb: ReturnType<typeof fakeClient>;
const counts = new Map<string, number>();

beforeEach(() => {
  vi.stubEnv('CLICKS_TABLE', 'clicks');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  counts.clear();
  dynamodb = fakeClient(DynamoDBClient, {
    [UpdateItemCommand.name]: (input) => {
      const button = (input.Key as { button: { S: string } }).button.S;
      counts.set(button, (counts.get(button) ?? 0) + 1);
      return { Attributes: { clicks: { N: String(counts.get(button)) } } };
    },
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('mobile-clicks handler', () => {
  it('records a click with UpdateItem ADD and answers the new count', async () => {
    expect(await handler({ button: 'like', clientId: 'device-1' }, fakeContext())).toEqual({
      button: 'like',
      count: 1,
    });
    expect(await handler({ button: 'like', clientId: 'device-2' }, fakeContext())).toEqual({
      button: 'like',
      count: 2,
    });
    expect(dynamodb.inputsOf(UpdateItemCommand.name)[0]).toMatchObject({
      TableName: 'clicks',
      Key: { button: { S: 'like' } },
      UpdateExpression: expect.stringMatching(/^ADD clicks :one/),
      ReturnValues: 'UPDATED_NEW',
    });
  });

  it.each([
    ['null', null, 'must be a JSON object'],
    ['a string', 'like', 'must be a JSON object'],
    ['no button', { clientId: 'd' }, '"button" must be'],
    ['a long button', { button: 'x'.repeat(33), clientId: 'd' }, '"button" must be'],
    ['a button with spaces', { button: 'drop table', clientId: 'd' }, '"button" must be'],
    ['no clientId', { button: 'like' }, '"clientId" must be'],
  ])('answers InvalidRequest for %s, writing nothing', async (_case, event, message) => {
    const response = await handler(event, fakeContext());
    expect(response).toEqual({ error: 'InvalidRequest', message: expect.stringContaining(message) });
    expect(dynamodb.sent).toEqual([]);
  });
});
