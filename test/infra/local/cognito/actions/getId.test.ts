import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, createPool, failure, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('GetId', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('gives an app without credentials a new unauthenticated identity each time, unsigned', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);

    // Act
    const first = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));
    const second = await cloud.app.send(new GetIdCommand({ IdentityPoolId, AccountId: '000000000000' }));

    // Assess
    expect(first.IdentityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(second.IdentityId).not.toBe(first.IdentityId);
    const calls = cloud
      .events('cognito.request')
      .filter((e) => e.detail.operation === 'GetId' && e.detail.poolId === IdentityPoolId);
    expect(calls.map((e) => e.detail.signed)).toEqual([false, false]);
    const identities = cloud.events('cognito.identity').filter((e) => e.detail.poolId === IdentityPoolId);
    expect(identities.map((e) => e.detail)).toEqual([
      { poolId: IdentityPoolId, identityId: first.IdentityId, new: true, authenticated: false },
      { poolId: IdentityPoolId, identityId: second.IdentityId, new: true, authenticated: false },
    ]);
  });

  it('answers a signed GetId too (as AWS does)', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);

    // Act
    const { IdentityId } = await cloud.cognito.send(new GetIdCommand({ IdentityPoolId }));

    // Assess
    expect(IdentityId).toMatch(/^us-east-1:/);
  });

  it('answers NotAuthorizedException when the pool allows no unauthenticated identities', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { AllowUnauthenticatedIdentities: false });

    // Act
    const error = await failure(cloud.app.send(new GetIdCommand({ IdentityPoolId })));

    // Assess
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('Unauthenticated access is not supported for this identity pool.');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it.each([
    { IdentityPoolId: 'us-east-1:33333333-3333-3333-3333-333333333333', AccountId: undefined },
    { IdentityPoolId: undefined, AccountId: '123456789012' },
  ])(
    'answers ResourceNotFoundException for a pool not in this account ($IdentityPoolId, $AccountId)',
    async (input) => {
      // Prepare
      const IdentityPoolId = input.IdentityPoolId ?? (await createPool(cloud.cognito));

      // Act
      const error = await failure(cloud.app.send(new GetIdCommand({ IdentityPoolId, AccountId: input.AccountId })));

      // Assess
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.message).toBe(`IdentityPool '${IdentityPoolId}' not found.`);
    },
  );

  it('answers ValidationException for a user pool id, unsigned', async () => {
    // Act
    const error = await failure(cloud.app.send(new GetIdCommand({ IdentityPoolId: 'eu-west-1_abcdefghi' })));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value 'eu-west-1_abcdefghi' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
    );
  });

  it.each([
    { provider: 'graph.facebook.com', name: 'NotImplemented' },
    { provider: 'accounts.google.com', name: 'NotAuthorizedException' },
    { provider: 'login.workbook.clicks', name: 'NotAuthorizedException' },
  ])('answers $name for a login of $provider', async ({ provider, name }) => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, {
      DeveloperProviderName: 'login.workbook.clicks',
      SupportedLoginProviders: { 'graph.facebook.com': '7346241598935552' },
    });

    // Act
    const error = await failure(cloud.app.send(new GetIdCommand({ IdentityPoolId, Logins: { [provider]: 'token' } })));

    // Assess
    expect(error.name).toBe(name);
  });
});
