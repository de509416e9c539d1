// STS AssumeRoleWithWebIdentity with Cognito OpenID tokens (the identity pools' basic flow), on the
// whole local cloud as `npm start` wires it: Cognito signs the tokens, STS checks them and the role's
// trust policy, the credentials it issues act as the role.
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AssumeRoleWithWebIdentityCommand,
  type AssumeRoleWithWebIdentityCommandInput,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { COGNITO_ISSUER, signOpenIdToken } from '../../../../infra/local/cognito/token.ts';
import type { TraceEvent } from '../../../../infra/local/trace/bus.ts';
import { cognitoTrust } from '../../../helpers/cognito-cloud.ts';
import { decode, localCode, ROLE } from '../../../helpers/lambda-cloud.ts';

const REGION = 'us-east-1';
/** An app has no AWS credentials: every call it makes must go unsigned. */
const noCredentials = () => Promise.reject(new Error('the app has no AWS credentials'));

let cloud: LocalCloud;
let iam: IAMClient;
let adminCognito: CognitoIdentityClient;
let lambdaAdmin: LambdaClient;
let app: { cognito: CognitoIdentityClient; sts: STSClient };
let poolId: string;
let guestRole: string;
let functionArn: string;
const clients: { destroy(): void }[] = [];
const issued: TraceEvent[] = [];

async function createRole(name: string, trust: object, policy?: object): Promise<string> {
  const { Role } = await iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  if (policy !== undefined) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: `${name}-policy`,
        PolicyDocument: JSON.stringify(policy),
      }),
    );
  }
  return Role!.Arn!;
}

async function createPool(settings: { AllowClassicFlow?: boolean } = { AllowClassicFlow: true }): Promise<string> {
  const { IdentityPoolId } = await adminCognito.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: `web_identity_${Math.random().toString(36).slice(2, 8)}`,
      AllowUnauthenticatedIdentities: true,
      ...settings,
    }),
  );
  return IdentityPoolId!;
}

/** GetId then GetOpenIdToken, unsigned, as the app does: a guest's Cognito OpenID token. */
async function guestToken(pool = poolId): Promise<{ identityId: string; token: string }> {
  const { IdentityId } = await app.cognito.send(new GetIdCommand({ IdentityPoolId: pool }));
  const { Token } = await app.cognito.send(new GetOpenIdTokenCommand({ IdentityId }));
  return { identityId: IdentityId!, token: Token! };
}

const assume = (input: Partial<AssumeRoleWithWebIdentityCommandInput> & { WebIdentityToken: string }) =>
  app.sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: guestRole, RoleSessionName: 'phone', ...input }));

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

function lambdaWith(credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) {
  const client = new LambdaClient({
    endpoint: cloud.endpoint,
    region: REGION,
    maxAttempts: 1,
    credentials: {
      accessKeyId: credentials.AccessKeyId!,
      secretAccessKey: credentials.SecretAccessKey!,
      sessionToken: credentials.SessionToken!,
    },
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  cloud.trace.subscribe((event) => {
    if (event.type === 'sts.credentials') issued.push(event);
  });
  const config = { endpoint: cloud.endpoint, region: REGION, maxAttempts: 1 };
  iam = new IAMClient({ ...config, credentials: cloud.adminCredentials });
  adminCognito = new CognitoIdentityClient({ ...config, credentials: cloud.adminCredentials });
  lambdaAdmin = new LambdaClient({ ...config, credentials: cloud.adminCredentials });
  app = {
    cognito: new CognitoIdentityClient({ ...config, credentials: noCredentials }),
    sts: new STSClient({ ...config, credentials: noCredentials }),
  };
  clients.push(iam, adminCognito, lambdaAdmin, app.cognito, app.sts);
  const created = await lambdaAdmin.send(
    new CreateFunctionCommand({
      FunctionName: 'record-click',
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'echo.handler',
      Code: localCode(),
    }),
  );
  functionArn = created.FunctionArn!;
  poolId = await createPool();
  guestRole = await createRole('web-identity-guest', cognitoTrust(poolId, 'unauthenticated'), {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: functionArn }],
  });
  const authRole = await createRole('web-identity-member', cognitoTrust(poolId, 'authenticated'));
  await adminCognito.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: poolId,
      Roles: { unauthenticated: guestRole, authenticated: authRole },
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await cloud?.close();
});

describe('AssumeRoleWithWebIdentity with a Cognito OpenID token', () => {
  it('issues credentials of the role, unsigned, and answers as AWS does for Cognito tokens', async () => {
    // Prepare
    const { identityId, token } = await guestToken();

    // Act
    const out = await assume({ WebIdentityToken: token, DurationSeconds: 900 });

    // Assess
    expect(out).toMatchObject({
      SubjectFromWebIdentityToken: identityId,
      Provider: 'cognito-identity.amazonaws.com',
      Audience: poolId,
      AssumedRoleUser: {
        Arn: 'arn:aws:sts::000000000000:assumed-role/web-identity-guest/phone',
        AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:phone$/),
      },
      Credentials: { AccessKeyId: expect.stringMatching(/^ASIA/) },
    });
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(800_000);
    expect(lifetime).toBeLessThanOrEqual(900_000);
    const sts = new STSClient({
      endpoint: cloud.endpoint,
      region: REGION,
      maxAttempts: 1,
      credentials: {
        accessKeyId: out.Credentials!.AccessKeyId!,
        secretAccessKey: out.Credentials!.SecretAccessKey!,
        sessionToken: out.Credentials!.SessionToken!,
      },
    });
    clients.push(sts);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      'arn:aws:sts::000000000000:assumed-role/web-identity-guest/phone',
    );
    expect(cloud.credentials.lookup(out.Credentials!.AccessKeyId!)?.sessionPolicies).toBeUndefined();
    expect(issued.at(-1)?.detail).toMatchObject({
      poolId,
      identityId,
      roleArn: guestRole,
      sessionName: 'phone',
      accessKeyId: out.Credentials!.AccessKeyId,
    });
  });

  it("gives credentials the role's permissions, with no session policy in the way", async () => {
    // Prepare
    const { token } = await guestToken();
    const { Credentials } = await assume({ WebIdentityToken: token });

    // Act
    const result = await lambdaWith(Credentials!).send(
      new InvokeCommand({ FunctionName: 'record-click', Payload: JSON.stringify({ button: 'like' }) }),
    );

    // Assess
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(decode(result.Payload))).toEqual({ button: 'like' });
  });

  it('scopes the credentials down with a Policy the caller passes (a session policy)', async () => {
    // Prepare
    const { token } = await guestToken();
    const onlyS3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
    const { Credentials } = await assume({ WebIdentityToken: token, Policy: JSON.stringify(onlyS3) });

    // Act
    const denied = await failure(
      lambdaWith(Credentials!).send(new InvokeCommand({ FunctionName: 'record-click', Payload: '{}' })),
    );

    // Assess
    expect(denied).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: arn:aws:sts::000000000000:assumed-role/web-identity-guest/phone is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn} because no session policy allows the lambda:InvokeFunction action`,
    });
  });

  it('is refused a role whose trust policy names another pool (aud): AccessDenied', async () => {
    // Prepare
    const otherPool = `${REGION}:00000000-0000-4000-8000-000000000000`;
    const roleArn = await createRole('web-identity-other-pool', cognitoTrust(otherPool, 'unauthenticated'));
    const { token } = await guestToken();

    // Act
    const error = await failure(assume({ RoleArn: roleArn, WebIdentityToken: token }));

    // Assess
    expect(error).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    });
  });

  it('is refused the authenticated role with a guest token (amr): AccessDenied', async () => {
    // Prepare
    const { token } = await guestToken();
    const memberRole = 'arn:aws:iam::000000000000:role/web-identity-member';

    // Act
    const error = await failure(assume({ RoleArn: memberRole, WebIdentityToken: token }));

    // Assess
    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('is refused a role that does not exist, the same way (STS does not say which)', async () => {
    const { token } = await guestToken();
    const error = await failure(
      assume({ RoleArn: 'arn:aws:iam::000000000000:role/no-such-role', WebIdentityToken: token }),
    );
    expect(error).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    });
  });

  it('refuses an expired token with ExpiredTokenException', async () => {
    // Prepare: a token Cognito signed, whose ten minutes are over
    const { identityId } = await guestToken();
    const issuedAt = Math.floor(Date.now() / 1000) - 1200;
    const expired = signOpenIdToken(
      {
        iss: COGNITO_ISSUER,
        sub: identityId,
        aud: poolId,
        amr: ['unauthenticated'],
        iat: issuedAt,
        exp: issuedAt + 600,
      },
      cloud.cognito.store.signingKey,
    );

    // Act
    const error = await failure(assume({ WebIdentityToken: expired }));

    // Assess
    expect(error).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
    expect(error.message).toMatch(
      new RegExp(`^Token expired: current date/time \\d+ must be before the expiration date/time ${issuedAt + 600}$`),
    );
  });

  it.each([
    [
      'garbage',
      'not-a-token',
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    ],
    [
      'a JWT of an issuer the account does not trust',
      'foreign',
      'No OpenIDConnect provider found in your account for https://accounts.example.com',
    ],
    [
      'a Cognito token whose signature was tampered with',
      'tampered',
      /^The web identity token is not valid: .*signature/i,
    ],
  ])('refuses %s with InvalidIdentityToken', async (_what, kind, message) => {
    // Prepare
    const { token } = await guestToken();
    const [header, payload] = token.split('.');
    const forged = (claims: object) =>
      `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${token.split('.')[2]}`;
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const tokens: Record<string, string> = {
      'not-a-token': 'not-a-token',
      foreign: forged({ ...claims, iss: 'https://accounts.example.com' }),
      // A guest promoting itself: the claims change, the signature does not.
      tampered: forged({ ...claims, amr: ['authenticated'] }),
    };

    // Act
    const error = await failure(assume({ WebIdentityToken: tokens[kind]! }));

    // Assess
    // The SDK's name for the wire code InvalidIdentityToken.
    expect(error).toMatchObject({ name: 'InvalidIdentityTokenException', status: 400 });
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ RoleSessionName: 'x' }, "Value 'x' at 'roleSessionName' failed to satisfy constraint"],
    [
      { RoleSessionName: 'has space' },
      "at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular",
    ],
    [{ DurationSeconds: 60 }, "at 'durationSeconds' failed to satisfy constraint"],
    [{ DurationSeconds: 7200 }, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'],
  ])('answers bad parameters %j with ValidationError', async (input, message) => {
    const { token } = await guestToken();
    const error = await failure(assume({ WebIdentityToken: token, ...input }));
    expect(error).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(error.message).toContain(message);
  });

  it('serves only AssumeRoleWithWebIdentity unsigned: other STS actions need a signature', async () => {
    // Act
    const response = await fetch(`${cloud.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

describe('basic (classic) flow switch of the pool (AllowClassicFlow)', () => {
  it('refuses GetOpenIdToken when the pool disables the basic flow, as AWS does', async () => {
    // Prepare
    const pool = await createPool({ AllowClassicFlow: false });
    const { IdentityId } = await app.cognito.send(new GetIdCommand({ IdentityPoolId: pool }));

    // Act
    const error = await failure(app.cognito.send(new GetOpenIdTokenCommand({ IdentityId })));

    // Assess
    expect(error).toEqual({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Basic (classic) flow is not enabled, please use enhanced flow.',
    });
  });

  it('hands out tokens for a pool created without the setting, as AWS was seen to do', async () => {
    const pool = await createPool({});
    const { token } = await guestToken(pool);
    expect(token.split('.')).toHaveLength(3);
  });
});
