import {
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
} from '@aws-sdk/client-cognito-identity';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_ROLE,
  type CognitoTestCloud,
  createPool,
  failure,
  startCognitoCloud,
} from '../../../../helpers/cognito-cloud.ts';

const PROVIDER = 'login.workbook.clicks';

// Developer-authenticated identities, enhanced flow: the backend (developer credentials) registers
// its user and gets a Cognito token; the app trades that token for authenticated-role credentials.
describe('GetOpenIdTokenForDeveloperIdentity', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  const register = (
    IdentityPoolId: string,
    user: string,
    extra: { IdentityId?: string; TokenDuration?: number } = {},
  ) =>
    cloud.cognito.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId, Logins: { [PROVIDER]: user }, ...extra }),
    );

  it('registers a user once: the same identity each time, with a token', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: PROVIDER });

    // Act
    const first = await register(IdentityPoolId, 'user-1');
    const again = await register(IdentityPoolId, 'user-1');
    const other = await register(IdentityPoolId, 'user-2');

    // Assess
    expect(again.IdentityId).toBe(first.IdentityId);
    expect(other.IdentityId).not.toBe(first.IdentityId);
    const [, payload] = first.Token!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      iss: 'https://cognito-identity.amazonaws.com',
      aud: IdentityPoolId,
      sub: first.IdentityId,
      amr: ['authenticated', PROVIDER, `${PROVIDER}:${IdentityPoolId}:user-1`],
    });
    // "If you don't provide an expiration time, the token is valid for 15 minutes."
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('gives the app authenticated-role credentials for the token, through fromCognitoIdentityPool', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: PROVIDER });
    const { IdentityId, Token } = await register(IdentityPoolId, 'user-3', { TokenDuration: 60 });
    const provider = fromCognitoIdentityPool({
      identityPoolId: IdentityPoolId,
      logins: { 'cognito-identity.amazonaws.com': Token! },
      clientConfig: { endpoint: cloud.endpoint, region: 'us-east-1', maxAttempts: 1 },
    });

    // Act
    const credentials = await provider();

    // Assess
    expect(credentials).toMatchObject({ identityId: IdentityId });
    expect(cloud.credentials.lookup(credentials.accessKeyId)).toMatchObject({ roleArn: AUTH_ROLE });
  });

  it("refuses the authenticated identity's credentials without its token", async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: PROVIDER });
    const { IdentityId } = await register(IdentityPoolId, 'user-4');

    // Act
    const error = await failure(cloud.app.send(new GetCredentialsForIdentityCommand({ IdentityId })));

    // Assess
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe(
      "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
  });

  it('refuses a tampered token, and a token of another identity', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: PROVIDER });
    const mine = await register(IdentityPoolId, 'user-5');
    const theirs = await register(IdentityPoolId, 'user-6');
    const [header, payload, signature] = mine.Token!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400 })).toString('base64url'),
      signature,
    ].join('.');
    const send = (IdentityId: string, token: string) =>
      failure(
        cloud.app.send(
          new GetCredentialsForIdentityCommand({ IdentityId, Logins: { 'cognito-identity.amazonaws.com': token } }),
        ),
      );

    // Act
    const tampered = await send(mine.IdentityId!, forged);
    const swapped = await send(mine.IdentityId!, theirs.Token!);

    // Assess
    expect(tampered.name).toBe('NotAuthorizedException');
    expect(tampered.message).toBe('Invalid login token. Token signature invalid.');
    expect(swapped.name).toBe('NotAuthorizedException');
  });

  it('links the user to an existing unauthenticated identity', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: PROVIDER });
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));

    // Act
    const linked = await register(IdentityPoolId, 'user-7', { IdentityId });
    const found = await register(IdentityPoolId, 'user-7');

    // Assess
    expect(linked.IdentityId).toBe(IdentityId);
    expect(found.IdentityId).toBe(IdentityId);
  });

  it('answers DeveloperUserAlreadyRegisteredException when the user belongs to another identity', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: PROVIDER });
    await register(IdentityPoolId, 'user-8');
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));

    // Act
    const error = await failure(register(IdentityPoolId, 'user-8', { IdentityId }));

    // Assess
    expect(error.name).toBe('DeveloperUserAlreadyRegisteredException');
  });

  it("answers NotAuthorizedException for a provider other than the pool's developer provider", async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: PROVIDER });

    // Act
    const error = await failure(
      cloud.cognito.send(
        new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId, Logins: { 'login.other': 'user' } }),
      ),
    );

    // Assess
    expect(error.name).toBe('NotAuthorizedException');
  });
});
