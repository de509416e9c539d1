import { ListIdentityPoolsCommand, paginateListIdentityPools } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, createPool, failure, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('ListIdentityPools', () => {
  let cloud: CognitoTestCloud;
  let pools: string[];
  beforeAll(async () => {
    cloud = await startCognitoCloud();
    pools = [];
    for (let i = 0; i < 5; i += 1) pools.push(await createPool(cloud.cognito, { roles: null }));
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('pages through every pool, MaxResults at a time, oldest first', async () => {
    // Act
    const pages: string[][] = [];
    for await (const page of paginateListIdentityPools({ client: cloud.cognito }, { MaxResults: 2 })) {
      pages.push((page.IdentityPools ?? []).map((p) => p.IdentityPoolId!));
    }

    // Assess
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(pools);
  });

  it('names each pool', async () => {
    // Act
    const page = await cloud.cognito.send(new ListIdentityPoolsCommand({ MaxResults: 1 }));

    // Assess
    expect(page.IdentityPools).toEqual([
      { IdentityPoolId: pools[0], IdentityPoolName: expect.stringMatching(/^pool_/) },
    ]);
    expect(page.NextToken).toEqual(expect.any(String));
  });

  it.each([
    {
      input: {},
      name: 'ValidationException',
      message: "Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
    },
    {
      input: { MaxResults: 61 },
      name: 'ValidationException',
      message:
        "Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    },
    {
      input: { MaxResults: 10, NextToken: 'not-a-token' },
      name: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    },
  ])('answers $name for $input', async ({ input, name, message }) => {
    // Act
    const error = await failure(cloud.cognito.send(new ListIdentityPoolsCommand(input as never)));

    // Assess
    expect(error.name).toBe(name);
    expect(error.message).toContain(message);
  });
});
