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
  | { readonly button: string; readonly count: number }
  | { readonly error: 'InvalidRequest'; readonly message: string };

/**
 * A mobile app invokes this function directly (RequestResponse) with temporary credentials from a
 * Cognito identity pool. It adds one to the button's count in CLICKS_TABLE and answers the new
 * count.
 */
export const handler = async (event: ClickRequest, context: Context): Promise<ClickResponse> => {
  const table = requireEnv('CLICKS_TABLE');

  const updated = await dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { button: { S: event.button } },
      UpdateExpression: 'ADD clicks :one SET lastClientId = :client, lastClickAt = :now',
      ExpressionAttributeValues: {
        ':one': { N: '1' },
        ':client': { S: event.clientId },
        ':now': { S: new Date().toISOString() },
      },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const count = Number(updated.Attributes?.clicks?.N ?? 0);
  // The Cognito identity of the caller, when the app invoked with identity-pool credentials.
  log('INFO', 'click recorded', { button: event.button, count, identityId: context.identity?.cognitoIdentityId });
  return { button: event.button, count };
};
