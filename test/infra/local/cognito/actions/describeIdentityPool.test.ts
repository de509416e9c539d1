import { DescribeIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, failure, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('DescribeIdentityPool', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('answers ResourceNotFoundException for a pool that does not exist', async () => {
    // Act
    const error = await failure(
      cloud.cognito.send(
        new DescribeIdentityPoolCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' }),
      ),
    );

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe("IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found.");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers ValidationException for a user pool id (the recorded mistake)', async () => {
    // Act
    const error = await failure(
      cloud.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: 'us-east-1_8kOblFjg6' })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value 'us-east-1_8kOblFjg6' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
    );
  });
});
