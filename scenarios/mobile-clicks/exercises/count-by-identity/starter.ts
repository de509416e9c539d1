import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { requireEnv } from '../shared/env.ts';
import { log } from '../shared/log.ts';

const dynamodb = new DynamoDBClient({});

/** What the app sends with `Invoke` (InvocationType RequestResponse). */
export interface ClickRequest {
  readonly button: string;
  readonly clientId: string;
}

/** What the function answers. */
export type ClickResponse =
  | { readonly button: string; readonly count: number; readonly yourCount: number }
  | { readonly error: 'InvalidRequest'; readonly message: string };

const BUTTON = /^[A-Za-z0-9_-]{1,32}$/;
const CLIENT_ID = /^[A-Za-z0-9:_-]{1,128}$/;

/** The request in `event`, or the message explaining why it is not one. */
export function validateClick(event: unknown): ClickRequest | { readonly message: string } {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { message: 'The payload must be a JSON object like {"button": "like", "clientId": "…"}.' };
  }
  const { button, clientId } = event as Record<string, unknown>;
  if (typeof button !== 'string' || !BUTTON.test(button)) {
    return { message: `"button" must be 1–32 letters, digits, '-' or '_', got ${JSON.stringify(button)}.` };
  }
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
    return {
      message: `"clientId" must be 1–128 letters, digits, ':', '-' or '_', got ${JSON.stringify(clientId)}.`,
    };
  }
  return { button, clientId };
}

/**
 * A mobile app invokes this function directly (RequestResponse) with temporary credentials from a
 * Cognito identity pool. It adds one to the button's count and to the caller's own count of that
 * button in CLICKS_TABLE, and answers both. Bad input gets an error answer (not a thrown error: a
 * thrown error would come back as a FunctionError the app cannot tell apart from a bug).
 */
export const handler = async (event: unknown, context: Context): Promise<ClickResponse> => {
  const table = requireEnv('CLICKS_TABLE');
  const request = validateClick(event);
  if ('message' in request) {
    log('WARN', 'invalid click request', { message: request.message });
    return { error: 'InvalidRequest', message: request.message };
  }

  const updated = await dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { button: { S: request.button } },
      UpdateExpression: 'ADD clicks :one SET lastClientId = :client, lastClickAt = :now',
      ExpressionAttributeValues: {
        ':one': { N: '1' },
        ':client': { S: request.clientId },
        ':now': { S: new Date().toISOString() },
      },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const count = Number(updated.Attributes?.clicks?.N ?? 0);

  // The caller's own count: one item per button and client, keyed `<button>#<clientId>`. A button
  // name cannot contain '#' (see BUTTON), so these keys never collide with a button's own item.
  const own = await dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { button: { S: `${request.button}#${request.clientId}` } },
      UpdateExpression: 'ADD clicks :one SET lastClickAt = :now',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { S: new Date().toISOString() } },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const yourCount = Number(own.Attributes?.clicks?.N ?? 0);
  // The Cognito identity of the caller, when the app invoked with identity-pool credentials.
  log('INFO', 'click recorded', {
    button: request.button,
    count,
    yourCount,
    identityId: context.identity?.cognitoIdentityId,
  });
  return { button: request.button, count, yourCount };
};
