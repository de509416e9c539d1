import {
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CognitoTestCloud,
  createPool,
  failure,
  startCognitoCloud,
  UNAUTH_ROLE,
} from '../../../../helpers/cognito-cloud.ts';

describe('GetOpenIdToken', () => {
  let cloud: CognitoTestCloud;
  let clock = Date.now();
  beforeAll(async () => {
    cloud = await startCognitoCloud({ now: () => clock });
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('gives an unauthenticated identity a 10-minute token, unsigned, that GetId and GetCredentialsForIdentity accept', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));

    // Act
    const { Token } = await cloud.app.send(new GetOpenIdTokenCommand({ IdentityId }));
    const Logins = { 'cognito-identity.amazonaws.com': Token! };
    const again = await cloud.app.send(new GetIdCommand({ IdentityPoolId, Logins }));
    const { Credentials } = await cloud.app.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));

    // Assess
    const claims = JSON.parse(Buffer.from(Token!.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: IdentityId, aud: IdentityPoolId, amr: ['unauthenticated'] });
    expect(claims.exp - claims.iat).toBe(600);
    expect(again.IdentityId).toBe(IdentityId);
    expect(cloud.credentials.lookup(Credentials!.AccessKeyId!)).toMatchObject({ roleArn: UNAUTH_ROLE });
  });

  it('refuses the token once it expired', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));
    const { Token } = await cloud.app.send(new GetOpenIdTokenCommand({ IdentityId }));
    clock += 601_000;

    // Act
    const error = await failure(
      cloud.app.send(
        new GetCredentialsForIdentityCommand({ IdentityId, Logins: { 'cognito-identity.amazonaws.com': Token! } }),
      ),
    );

    // Assess
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('Invalid login token. Token expired.');
  });

  it("refuses a token for another pool's GetId", async () => {
    // Prepare
    const first = await createPool(cloud.cognito);
    const second = await createPool(cloud.cognito);
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId: first }));
    const { Token } = await cloud.app.send(new GetOpenIdTokenCommand({ IdentityId }));

    // Act
    const error = await failure(
      cloud.app.send(
        new GetIdCommand({ IdentityPoolId: second, Logins: { 'cognito-identity.amazonaws.com': Token! } }),
      ),
    );

    // Assess
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('Invalid login token. Incorrect audience.');
  });
});
