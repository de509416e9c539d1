import { DeleteIdentitiesCommand, DescribeIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, createPool, failure, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('DeleteIdentities', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('deletes identities; ids that do not exist are no failure', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));

    // Act
    const result = await cloud.cognito.send(
      new DeleteIdentitiesCommand({
        IdentityIdsToDelete: [IdentityId!, 'us-east-1:66666666-6666-6666-6666-666666666666'],
      }),
    );

    // Assess
    expect(result.UnprocessedIdentityIds).toEqual([]);
    const error = await failure(cloud.cognito.send(new DescribeIdentityCommand({ IdentityId })));
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('answers ValidationException for an empty list', async () => {
    // Act
    const error = await failure(cloud.cognito.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [] })));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(
      "at 'identityIdsToDelete' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });
});
