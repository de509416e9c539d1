// Helpers the mobile-clicks exercises' checks share: acting as the app (an identity-pool guest)
// and cleaning up counts. Runs in the checker, never deployed.
import { CognitoIdentityClient, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CheckContext, InvocationOutcome } from '../../../site/server/checks/types.ts';

/** An app installation: a guest identity of the pool and a way to invoke the function with its credentials. */
export interface App {
  readonly identityId: string;
  invoke(payload: unknown): Promise<InvocationOutcome>;
  close(): void;
}

/**
 * Signs in as a new guest of the identity pool, as the app does — the basic flow: GetId,
 * GetOpenIdToken, then STS AssumeRoleWithWebIdentity of the pool's guest role. (The enhanced flow's
 * guest credentials carry a session policy that allows no lambda:InvokeFunction.)
 */
export async function newApp(ctx: CheckContext): Promise<App> {
  const cognito = new CognitoIdentityClient(ctx.config);
  const sts = new STSClient(ctx.config);
  try {
    const roleArn = ctx.resources.unauthenticatedRole;
    if (!roleArn) throw new Error('The stack has no UnauthenticatedRoleArn output: deploy the scenario again.');
    const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: ctx.resources.identityPool }));
    const { Token } = await cognito.send(new GetOpenIdTokenCommand({ IdentityId }));
    const { Credentials } = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'clicks-app',
        WebIdentityToken: Token,
      }),
    );
    if (!IdentityId || !Credentials?.AccessKeyId || !Credentials.SecretAccessKey) {
      throw new Error('The identity pool and STS gave no identity or credentials.');
    }
    const lambda = new LambdaClient({
      ...ctx.config,
      credentials: {
        accessKeyId: Credentials.AccessKeyId,
        secretAccessKey: Credentials.SecretAccessKey,
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
    sts.destroy();
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
