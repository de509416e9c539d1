import {
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  LookupDeveloperIdentityCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, createPool, failure, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('LookupDeveloperIdentity', () => {
  let cloud: CognitoTestCloud;
  let IdentityPoolId: string;
  let IdentityId: string;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
    IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: 'login.dev' });
    const registered = await cloud.cognito.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId, Logins: { 'login.dev': 'alice' } }),
    );
    IdentityId = registered.IdentityId!;
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it.each([{ by: 'user' }, { by: 'identity' }, { by: 'both' }])('finds the pair by $by', async ({ by }) => {
    // Act
    const found = await cloud.cognito.send(
      new LookupDeveloperIdentityCommand({
        IdentityPoolId,
        ...(by !== 'identity' ? { DeveloperUserIdentifier: 'alice' } : {}),
        ...(by !== 'user' ? { IdentityId } : {}),
      }),
    );

    // Assess
    expect(found).toMatchObject({ IdentityId, DeveloperUserIdentifierList: ['alice'] });
  });

  it('answers ResourceNotFoundException for an unknown user and ResourceConflictException for a mismatch', async () => {
    // Prepare
    const { IdentityId: other } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));

    // Act
    const missing = await failure(
      cloud.cognito.send(new LookupDeveloperIdentityCommand({ IdentityPoolId, DeveloperUserIdentifier: 'bob' })),
    );
    const conflict = await failure(
      cloud.cognito.send(
        new LookupDeveloperIdentityCommand({ IdentityPoolId, DeveloperUserIdentifier: 'alice', IdentityId: other }),
      ),
    );

    // Assess
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(conflict.name).toBe('ResourceConflictException');
  });
});
