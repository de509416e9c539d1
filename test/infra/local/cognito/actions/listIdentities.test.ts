import { GetIdCommand, ListIdentitiesCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, createPool, failure, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('ListIdentities', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it("pages through a pool's identities, oldest first, and only that pool's", async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    const otherPool = await createPool(cloud.cognito);
    await cloud.app.send(new GetIdCommand({ IdentityPoolId: otherPool }));
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await cloud.app.send(new GetIdCommand({ IdentityPoolId }))).IdentityId!);

    // Act
    const first = await cloud.cognito.send(new ListIdentitiesCommand({ IdentityPoolId, MaxResults: 2 }));
    const second = await cloud.cognito.send(
      new ListIdentitiesCommand({ IdentityPoolId, MaxResults: 2, NextToken: first.NextToken }),
    );

    // Assess
    expect(first.IdentityPoolId).toBe(IdentityPoolId);
    expect([...(first.Identities ?? []), ...(second.Identities ?? [])].map((i) => i.IdentityId)).toEqual(ids);
    expect(second.NextToken).toBeUndefined();
    expect(first.Identities?.[0]?.CreationDate).toBeInstanceOf(Date);
  });

  it('answers ValidationException without MaxResults', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);

    // Act
    const error = await failure(cloud.cognito.send(new ListIdentitiesCommand({ IdentityPoolId } as never)));

    // Assess
    expect(error.name).toBe('ValidationException');
  });
});
