import { GetIdentityPoolRolesCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CognitoTestCloud,
  createPool,
  failure,
  startCognitoCloud,
  UNAUTH_ROLE,
} from '../../../../helpers/cognito-cloud.ts';

describe('SetIdentityPoolRoles / GetIdentityPoolRoles', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('attaches roles and answers them back; a new set replaces the old', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { roles: null });
    const before = await cloud.cognito.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }));

    // Act
    await cloud.cognito.send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId,
        Roles: { unauthenticated: UNAUTH_ROLE, authenticated: 'arn:aws:iam::000000000000:role/other' },
      }),
    );
    await cloud.cognito.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { unauthenticated: UNAUTH_ROLE } }),
    );
    const after = await cloud.cognito.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }));

    // Assess
    expect(before.Roles).toEqual({});
    expect(after).toMatchObject({ IdentityPoolId, Roles: { unauthenticated: UNAUTH_ROLE } });
  });

  it.each<{ Roles: Record<string, string>; name: string; message: string }>([
    {
      Roles: { admin: UNAUTH_ROLE },
      name: 'ValidationException',
      message:
        "at 'roles' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: (un)?authenticated]",
    },
    {
      Roles: { unauthenticated: 'arn:short' },
      name: 'ValidationException',
      message: 'Map value must satisfy constraint: [Member must have length greater than or equal to 20]',
    },
    {
      Roles: { unauthenticated: 'arn:aws:s3:::not-a-role-at-all' },
      name: 'InvalidParameterException',
      message: 'Invalid role ARN: arn:aws:s3:::not-a-role-at-all',
    },
  ])('answers $name for $Roles', async ({ Roles, name, message }) => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { roles: null });

    // Act
    const error = await failure(cloud.cognito.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles })));

    // Assess
    expect(error.name).toBe(name);
    expect(error.message).toContain(message);
  });

  it('answers ResourceNotFoundException for a pool that does not exist', async () => {
    // Act
    const error = await failure(
      cloud.cognito.send(
        new GetIdentityPoolRolesCommand({ IdentityPoolId: 'us-east-1:22222222-2222-2222-2222-222222222222' }),
      ),
    );

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
