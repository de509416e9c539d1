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

/** One click of a check, as it saw it: who clicked, the answer, and what the exercise expects. */
export interface SeenClick {
  readonly who: string;
  readonly identityId: string;
  readonly answer: unknown;
  readonly expected: { readonly count: number; readonly yourCount: number };
}

/**
 * What to do about yourCount, fitted to the clicks seen: no yourCount at all, yourCount always the
 * total (counted under the button's key), or one that follows the clientId the app sent instead of
 * the caller's Cognito identity.
 */
export function yourCountHint<C extends SeenClick>(clicks: readonly C[], clientIdOf: (click: C) => string): string {
  const answers = clicks.map((click) => (click.answer ?? {}) as { count?: unknown; yourCount?: unknown });
  if (answers.every((answer) => answer.yourCount === undefined)) {
    return "The answers have no yourCount: count each app's clicks under a key of its own (the button and the caller's identity) and answer that count too.";
  }
  const followsClientId = clicks.some((click) => clientIdOf(click) !== click.identityId);
  if (followsClientId) {
    return 'yourCount followed the clientId the app wrote, which any app can fake: count under the identity Lambda gives you (context.identity.cognitoIdentityId), the one the credentials were issued for.';
  }
  if (answers.every((answer) => answer.yourCount === answer.count)) {
    return "yourCount is always the button's total: it was counted under the button's key, not under the caller's identity.";
  }
  return 'count is every click on the button, yourCount only the clicks made with this app’s credentials.';
}
