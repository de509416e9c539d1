import {
  DescribeIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, createPool, failure, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('DescribeIdentity', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('describes an unauthenticated identity without logins and a developer one with its provider', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { DeveloperProviderName: 'login.dev' });
    const before = Date.now();
    const unauthenticated = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));
    const developer = await cloud.cognito.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId, Logins: { 'login.dev': 'user-1' } }),
    );

    // Act
    const first = await cloud.cognito.send(new DescribeIdentityCommand({ IdentityId: unauthenticated.IdentityId }));
    const second = await cloud.cognito.send(new DescribeIdentityCommand({ IdentityId: developer.IdentityId }));

    // Assess
    expect(first.IdentityId).toBe(unauthenticated.IdentityId);
    expect(first.Logins).toBeUndefined();
    expect(first.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(first.LastModifiedDate).toEqual(first.CreationDate);
    expect(second.Logins).toEqual(['login.dev']);
  });

  it('answers ResourceNotFoundException for an identity that does not exist', async () => {
    // Act
    const error = await failure(
      cloud.cognito.send(new DescribeIdentityCommand({ IdentityId: 'us-east-1:55555555-5555-5555-5555-555555555555' })),
    );

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
