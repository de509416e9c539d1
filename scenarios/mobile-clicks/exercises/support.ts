// Helpers the mobile-clicks exercises' checks share: acting as the app (an identity-pool guest)
// and cleaning up counts. Runs in the checker, never deployed.
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CheckContext, InvocationOutcome } from '../../../site/server/checks/types.ts';

/** An app installation: a guest identity of the pool and a way to invoke the function with its credentials. */
export interface App {
  readonly identityId: string;
  invoke(payload: unknown): Promise<InvocationOutcome>;
  close(): void;
}

/** Signs in as a new guest of the identity pool (GetId, GetCredentialsForIdentity), as the app does. */
export async function newApp(ctx: CheckContext): Promise<App> {
  const cognito = new CognitoIdentityClient(ctx.config);
  try {
    const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: ctx.resources.identityPool }));
    const { Credentials } = await cognito.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    if (!IdentityId || !Credentials?.AccessKeyId || !Credentials.SecretKey) {
      throw new Error('The identity pool gave no identity or credentials.');
    }
    const lambda = new LambdaClient({
      ...ctx.config,
      credentials: {
        accessKeyId: Credentials.AccessKeyId,
        secretAccessKey: Credentials.SecretKey,
        sessionToken: Credentials.SessionToken,
      },
    });
    return {
      identityId: IdentityId,
      async invoke(payload) {
        const response = await lambda.send(
          new InvokeCommand({
            FunctionName: ctx.functionName,
            Payload: new TextEncoder().encode(JSON.stringify(payload)),
          }),
        );
        const text = new TextDecoder().decode(response.Payload ?? new Uint8Array());
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
        return {
          statusCode: response.StatusCode ?? 0,
          ...(response.FunctionError ? { functionError: response.FunctionError } : {}),
          payload: parsed,
          logs: '',
        };
      },
      close: () => lambda.destroy(),
    };
  } finally {
    cognito.destroy();
  }
}

/** The clicks item stored under `key`, or undefined. */
export async function clicksItem(ctx: CheckContext, key: string) {
  const { Item } = await ctx.clients.dynamodb.send(
    new GetItemCommand({ TableName: ctx.resources.clicksTable, Key: { button: { S: key } }, ConsistentRead: true }),
  );
  return Item;
}

/** Deletes count items a test created (best effort: a sandbox learner may only read the table). */
export async function deleteCounts(ctx: CheckContext, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    await ctx.clients.dynamodb
      .send(new DeleteItemCommand({ TableName: ctx.resources.clicksTable, Key: { button: { S: key } } }))
      .catch(() => undefined);
  }
}
