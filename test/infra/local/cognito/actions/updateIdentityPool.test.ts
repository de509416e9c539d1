import {
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_ROLE,
  type CognitoTestCloud,
  createPool,
  failure,
  startCognitoCloud,
  UNAUTH_ROLE,
} from '../../../../helpers/cognito-cloud.ts';

describe('UpdateIdentityPool', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('replaces the configuration and keeps the roles', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { AllowClassicFlow: true });

    // Act
    const updated = await cloud.cognito.send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId,
        IdentityPoolName: 'renamed',
        AllowUnauthenticatedIdentities: false,
      }),
    );
    const described = await cloud.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId }));
    const roles = await cloud.cognito.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }));

    // Assess
    expect(updated).toMatchObject({
      IdentityPoolId,
      IdentityPoolName: 'renamed',
      AllowUnauthenticatedIdentities: false,
    });
    expect(described.AllowClassicFlow).toBeUndefined();
    expect(described.IdentityPoolName).toBe('renamed');
    expect(roles.Roles).toEqual({ unauthenticated: UNAUTH_ROLE, authenticated: AUTH_ROLE });
  });

  it('keeps the developer provider name and refuses to change it', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: 'login.first' });
    const base = { IdentityPoolId, IdentityPoolName: 'pool', AllowUnauthenticatedIdentities: true };

    // Act
    const kept = await cloud.cognito.send(new UpdateIdentityPoolCommand(base));
    const error = await failure(
      cloud.cognito.send(new UpdateIdentityPoolCommand({ ...base, DeveloperProviderName: 'login.second' })),
    );

    // Assess
    expect(kept.DeveloperProviderName).toBe('login.first');
    expect(error.name).toBe('InvalidParameterException');
  });

  it('answers ResourceNotFoundException for a pool that does not exist', async () => {
    // Act
    const error = await failure(
      cloud.cognito.send(
        new UpdateIdentityPoolCommand({
          IdentityPoolId: 'us-east-1:11111111-1111-1111-1111-111111111111',
          IdentityPoolName: 'gone',
          AllowUnauthenticatedIdentities: true,
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
