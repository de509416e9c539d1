import { CreateIdentityPoolCommand, DescribeIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, failure, poolName, startCognitoCloud } from '../../../../helpers/cognito-cloud.ts';

describe('CreateIdentityPool', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('creates a pool us-east-1:<uuid> with every configuration member, described back', async () => {
    // Prepare
    const configuration = {
      IdentityPoolName: poolName('Mobile clicks'),
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: false,
      DeveloperProviderName: 'login.workbook.clicks',
      SupportedLoginProviders: { 'graph.facebook.com': '7346241598935552' },
      CognitoIdentityProviders: [
        {
          ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_123456789',
          ClientId: '3n4b5urk1ft4fl3mg5e62d9ado',
          ServerSideTokenCheck: false,
        },
      ],
      OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/accounts.example.com'],
      IdentityPoolTags: { lesson: 'mobile-clicks' },
    };

    // Act
    const created = await cloud.cognito.send(new CreateIdentityPoolCommand(configuration));
    const described = await cloud.cognito.send(
      new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }),
    );

    // Assess
    expect(created.IdentityPoolId).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const { $metadata: _created, ...createdShape } = created;
    const { $metadata: _described, ...describedShape } = described;
    expect(createdShape).toEqual({ IdentityPoolId: created.IdentityPoolId, ...configuration });
    expect(describedShape).toEqual(createdShape);
  });

  it('allows two pools of one name, with different ids', async () => {
    // Prepare
    const IdentityPoolName = poolName();

    // Act
    const first = await cloud.cognito.send(
      new CreateIdentityPoolCommand({ IdentityPoolName, AllowUnauthenticatedIdentities: false }),
    );
    const second = await cloud.cognito.send(
      new CreateIdentityPoolCommand({ IdentityPoolName, AllowUnauthenticatedIdentities: false }),
    );

    // Assess
    expect(second.IdentityPoolId).not.toBe(first.IdentityPoolId);
  });

  it.each([
    {
      input: { IdentityPoolName: 'no/slashes', AllowUnauthenticatedIdentities: true },
      message:
        "1 validation error detected: Value 'no/slashes' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
    },
    {
      input: { IdentityPoolName: 'x'.repeat(129), AllowUnauthenticatedIdentities: true },
      message: "at 'identityPoolName' failed to satisfy constraint: Member must have length less than or equal to 128",
    },
    {
      input: { IdentityPoolName: 'pool' },
      message:
        "1 validation error detected: Value null at 'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null",
    },
    {
      input: { IdentityPoolName: 'pool', AllowUnauthenticatedIdentities: true, DeveloperProviderName: 'no spaces' },
      message:
        "Value 'no spaces' at 'developerProviderName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w._-]+",
    },
    {
      input: {
        IdentityPoolName: 'pool',
        AllowUnauthenticatedIdentities: true,
        SupportedLoginProviders: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}.example.com`, 'app'])),
      },
      message:
        "at 'supportedLoginProviders' failed to satisfy constraint: Member must have length less than or equal to 10",
    },
  ])('answers ValidationException: $message', async ({ input, message }) => {
    // Act
    const error = await failure(cloud.cognito.send(new CreateIdentityPoolCommand(input as never)));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(message);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});
