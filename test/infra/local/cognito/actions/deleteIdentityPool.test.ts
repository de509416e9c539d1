import {
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, createPool, failure, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('DeleteIdentityPool', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('deletes the pool and its identities', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));

    // Act
    await cloud.cognito.send(new DeleteIdentityPoolCommand({ IdentityPoolId }));

    // Assess
    const described = await failure(cloud.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId })));
    expect(described.name).toBe('ResourceNotFoundException');
    const credentials = await failure(cloud.app.send(new GetCredentialsForIdentityCommand({ IdentityId })));
    expect(credentials.message).toBe(`Identity '${IdentityId}' not found.`);
  });

  it('answers ResourceNotFoundException the second time', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    await cloud.cognito.send(new DeleteIdentityPoolCommand({ IdentityPoolId }));

    // Act
    const error = await failure(cloud.cognito.send(new DeleteIdentityPoolCommand({ IdentityPoolId })));

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe(`IdentityPool '${IdentityPoolId}' not found.`);
  });
});
