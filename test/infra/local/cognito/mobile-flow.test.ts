// The mobile-clicks lesson's app on the whole local cloud: a guest of an identity pool invokes a
// function directly. The enhanced flow (GetCredentialsForIdentity) scopes guests' credentials down
// with AmazonCognitoUnAuthedIdentitiesSessionPolicy, which allows no Lambda — so, as on AWS, the app
// must use the basic flow: GetId → GetOpenIdToken → STS AssumeRoleWithWebIdentity → Invoke.
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import type { TraceEvent } from '../../../../infra/local/trace/bus.ts';
import { cognitoTrust } from '../../../helpers/cognito-cloud.ts';
import { decode, localCode, ROLE } from '../../../helpers/lambda-cloud.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const noCredentials = () => Promise.reject(new Error('the app has no AWS credentials'));
const SESSION_POLICY = 'arn:aws:iam::aws:policy/AmazonCognitoUnAuthedIdentitiesSessionPolicy';

let cloud: LocalCloud;
let poolId: string;
let clickArn: string;
let reportArn: string;
let whoamiArn: string;
const seen: TraceEvent[] = [];
const clients: { destroy(): void }[] = [];
const config = () => ({ endpoint: cloud.endpoint, region: REGION, maxAttempts: 1 });
const track = <T extends { destroy(): void }>(client: T): T => {
  clients.push(client);
  return client;
};

const invokeOnly = (...arns: string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arns }],
  });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({
      name: error.name,
      message: error.message,
      status: error.$metadata?.httpStatusCode,
    }),
  );

/** The app's basic flow, unsigned: GetId, GetOpenIdToken, AssumeRoleWithWebIdentity of the guest role. */
async function basicFlowCredentials() {
  const cognito = track(new CognitoIdentityClient({ ...config(), credentials: noCredentials }));
  const sts = track(new STSClient({ ...config(), credentials: noCredentials }));
  const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: poolId }));
  const { Token } = await cognito.send(new GetOpenIdTokenCommand({ IdentityId }));
  const { Credentials } = await sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/mobile-unauth`,
      RoleSessionName: 'clicks-app',
      WebIdentityToken: Token,
    }),
  );
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}

const invokeClick = (client: LambdaClient, FunctionName = 'record-click') =>
  client.send(
    new InvokeCommand({ FunctionName, InvocationType: 'RequestResponse', Payload: JSON.stringify({ button: 'buy' }) }),
  );

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  cloud.trace.subscribe((event) => seen.push(event));
  const iam = track(new IAMClient({ ...config(), credentials: cloud.adminCredentials }));
  const cognito = track(new CognitoIdentityClient({ ...config(), credentials: cloud.adminCredentials }));
  const lambda = track(new LambdaClient({ ...config(), credentials: cloud.adminCredentials }));
  const arns: string[] = [];
  for (const FunctionName of ['record-click', 'admin-report', 'whoami']) {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: FunctionName === 'whoami' ? 'context.handler' : 'echo.handler',
        Code: localCode(),
      }),
    );
    arns.push(created.FunctionArn!);
  }
  [clickArn, reportArn, whoamiArn] = arns as [string, string, string];
  const pool = await cognito.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'mobile_flow',
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: true,
      DeveloperProviderName: 'login.clicks.example',
    }),
  );
  poolId = pool.IdentityPoolId!;
  // Both roles may invoke the click function, and nothing else.
  for (const [name, amr] of [
    ['mobile-unauth', 'unauthenticated'],
    ['mobile-auth', 'authenticated'],
  ] as const) {
    await iam.send(
      new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(cognitoTrust(poolId, amr)) }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: 'invoke',
        PolicyDocument: invokeOnly(clickArn, whoamiArn),
      }),
    );
  }
  await cognito.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: poolId,
      Roles: {
        unauthenticated: `arn:aws:iam::${ACCOUNT}:role/mobile-unauth`,
        authenticated: `arn:aws:iam::${ACCOUNT}:role/mobile-auth`,
      },
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await cloud?.close();
});

describe('enhanced flow (GetCredentialsForIdentity) for a guest', () => {
  it('is denied lambda:InvokeFunction by the session policy, though the role allows it — as on AWS', async () => {
    // Prepare
    const app = track(
      new LambdaClient({
        ...config(),
        credentials: fromCognitoIdentityPool({
          identityPoolId: poolId,
          clientConfig: { ...config(), credentials: noCredentials },
        }),
      }),
    );

    // Act
    const error = await failure(invokeClick(app));

    // Assess
    expect(error).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/mobile-unauth/CognitoIdentityCredentials is not authorized to perform: lambda:InvokeFunction on resource: ${clickArn} because no session policy allows the lambda:InvokeFunction action`,
    });
    const issued = seen.filter((e) => e.type === 'cognito.credentials').at(-1);
    expect(issued?.detail).toMatchObject({ poolId, sessionPolicy: SESSION_POLICY });
    const denied = seen.filter((e) => e.type === 'iam.denied').at(-1);
    expect(denied?.detail.reason).toBe('no session policy allows the lambda:InvokeFunction action');
  });

  it('still gets working credentials: what needs no permission works', async () => {
    const cognito = track(new CognitoIdentityClient({ ...config(), credentials: noCredentials }));
    const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: poolId }));
    const { Credentials } = await cognito.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    const sts = track(
      new STSClient({
        ...config(),
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretKey!,
          sessionToken: Credentials!.SessionToken!,
        },
      }),
    );
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/mobile-unauth/CognitoIdentityCredentials`,
    );
  });
});

describe('enhanced flow for an authenticated identity', () => {
  it('gets no session policy: the role alone decides', async () => {
    // Prepare: the app's backend signs the user in (developer-authenticated identities)
    const backend = track(new CognitoIdentityClient({ ...config(), credentials: cloud.adminCredentials }));
    const { IdentityId, Token } = await backend.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: poolId,
        Logins: { 'login.clicks.example': 'user-42' },
      }),
    );
    const cognito = track(new CognitoIdentityClient({ ...config(), credentials: noCredentials }));
    const { Credentials } = await cognito.send(
      new GetCredentialsForIdentityCommand({ IdentityId, Logins: { 'cognito-identity.amazonaws.com': Token! } }),
    );
    const app = track(
      new LambdaClient({
        ...config(),
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretKey!,
          sessionToken: Credentials!.SessionToken!,
        },
      }),
    );

    // Act
    const result = await invokeClick(app);

    // Assess
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(decode(result.Payload))).toEqual({ button: 'buy' });
    const issued = seen.filter((e) => e.type === 'cognito.credentials').at(-1);
    expect(issued?.detail).toMatchObject({ roleArn: `arn:aws:iam::${ACCOUNT}:role/mobile-auth` });
    expect(issued?.detail.sessionPolicy).toBeUndefined();
  });
});

describe('context.identity', () => {
  it("is the identity and pool whose credentials signed the Invoke (enhanced flow), as Lambda's Node.js context documents", async () => {
    // Prepare: a signed-in user's credentials (the guests' session policy denies Invoke)
    const backend = track(new CognitoIdentityClient({ ...config(), credentials: cloud.adminCredentials }));
    const { IdentityId, Token } = await backend.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: poolId,
        Logins: { 'login.clicks.example': 'user-7' },
      }),
    );
    const cognito = track(new CognitoIdentityClient({ ...config(), credentials: noCredentials }));
    const { Credentials } = await cognito.send(
      new GetCredentialsForIdentityCommand({ IdentityId, Logins: { 'cognito-identity.amazonaws.com': Token! } }),
    );
    const app = track(
      new LambdaClient({
        ...config(),
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretKey!,
          sessionToken: Credentials!.SessionToken!,
        },
      }),
    );
    const admin = track(new LambdaClient({ ...config(), credentials: cloud.adminCredentials }));

    // Act
    const asGuest = await invokeClick(app, 'whoami');
    const asAdmin = await invokeClick(admin, 'whoami');

    // Assess
    expect(asGuest.FunctionError).toBeUndefined();
    expect(JSON.parse(decode(asGuest.Payload)).context.identity).toEqual({
      cognitoIdentityId: IdentityId,
      cognitoIdentityPoolId: poolId,
    });
    // Credentials that are not an identity pool's leave it unset.
    expect(JSON.parse(decode(asAdmin.Payload)).context.identity).toBeNull();
  });

  it("is the identity and pool of the Cognito token behind the basic flow's AssumeRoleWithWebIdentity credentials", async () => {
    // Prepare: a guest's basic-flow credentials (the same kind of STS web-identity session Cognito's
    // enhanced flow makes for the app: the token's sub is the identity, its aud the pool)
    const cognito = track(new CognitoIdentityClient({ ...config(), credentials: noCredentials }));
    const sts = track(new STSClient({ ...config(), credentials: noCredentials }));
    const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: poolId }));
    const { Token } = await cognito.send(new GetOpenIdTokenCommand({ IdentityId }));
    const { Credentials } = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/mobile-unauth`,
        RoleSessionName: 'clicks-app',
        WebIdentityToken: Token,
      }),
    );
    const app = track(
      new LambdaClient({
        ...config(),
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretAccessKey!,
          sessionToken: Credentials!.SessionToken!,
        },
      }),
    );

    // Act
    const result = await invokeClick(app, 'whoami');

    // Assess
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(decode(result.Payload)).context.identity).toEqual({
      cognitoIdentityId: IdentityId,
      cognitoIdentityPoolId: poolId,
    });
  });
});

describe('basic flow (GetId → GetOpenIdToken → AssumeRoleWithWebIdentity) for a guest', () => {
  let app: LambdaClient;
  beforeAll(async () => {
    app = track(new LambdaClient({ ...config(), credentials: await basicFlowCredentials() }));
  });

  it('invokes the function and gets its answer', async () => {
    // Act
    const result = await invokeClick(app);

    // Assess
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(decode(result.Payload))).toEqual({ button: 'buy' });
    // The app's Cognito calls went unsigned, as the SDK sends them.
    const calls = seen
      .filter((e) => e.type === 'cognito.request' && ['GetId', 'GetOpenIdToken'].includes(String(e.detail.operation)))
      .slice(-2);
    expect(calls.map((e) => [e.detail.operation, e.detail.signed, e.detail.status])).toEqual([
      ['GetId', false, 200],
      ['GetOpenIdToken', false, 200],
    ]);
  });

  it("is denied another function: the pool's role decides what the app may do", async () => {
    const error = await failure(invokeClick(app, 'admin-report'));
    expect(error).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/mobile-unauth/clicks-app is not authorized to perform: lambda:InvokeFunction on resource: ${reportArn} because no identity-based policy allows the lambda:InvokeFunction action`,
    });
  });
});
