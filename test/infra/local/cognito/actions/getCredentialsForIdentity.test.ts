import {
  CognitoIdentityClient,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { LambdaClient, ListFunctionsCommand, type ListFunctionsCommandOutput } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CognitoTestCloud,
  createPool,
  failure,
  startCognitoCloud,
  UNAUTH_ROLE,
} from '../../../../helpers/cognito-cloud.ts';

describe('GetCredentialsForIdentity', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud({ withLambda: true, credentialsDurationSeconds: 900 });
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it("issues the unauthenticated role's credentials, unsigned, and they verify at the edge", async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));
    const before = Date.now();

    // Act
    const result = await cloud.app.send(new GetCredentialsForIdentityCommand({ IdentityId }));

    // Assess
    expect(result.IdentityId).toBe(IdentityId);
    const { AccessKeyId, SecretKey, SessionToken, Expiration } = result.Credentials ?? {};
    expect(AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Expiration).toBeInstanceOf(Date);
    // credentialsDurationSeconds: 900
    expect(Expiration!.getTime() - before).toBeGreaterThan(890_000);
    expect(Expiration!.getTime() - before).toBeLessThan(910_000);
    expect(cloud.credentials.lookup(AccessKeyId!)).toMatchObject({ roleArn: UNAUTH_ROLE, sessionToken: SessionToken });
    const credentials = { accessKeyId: AccessKeyId!, secretAccessKey: SecretKey!, sessionToken: SessionToken! };
    const lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', maxAttempts: 1, credentials });
    const listed: ListFunctionsCommandOutput = await lambda.send(new ListFunctionsCommand({}));
    lambda.destroy();
    expect(listed.$metadata.httpStatusCode).toBe(200);
    const issued = cloud.events('cognito.credentials').find((e) => e.detail.identityId === IdentityId);
    expect(issued?.detail).toMatchObject({ poolId: IdentityPoolId, roleArn: UNAUTH_ROLE, accessKeyId: AccessKeyId });
  });

  it('issued credentials fail at the edge without their session token', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));
    const { Credentials } = await cloud.app.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    const client = new CognitoIdentityClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretKey! },
    });

    // Act
    const error = await client.send(new DescribeIdentityPoolCommand({ IdentityPoolId })).then(
      () => undefined,
      (e: Error) => e,
    );
    client.destroy();

    // Assess
    expect(error?.name).toBe('UnrecognizedClientException');
  });

  it('answers ResourceNotFoundException for an identity that does not exist', async () => {
    // Act
    const error = await failure(
      cloud.app.send(
        new GetCredentialsForIdentityCommand({ IdentityId: 'us-east-1:44444444-4444-4444-4444-444444444444' }),
      ),
    );

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe("Identity 'us-east-1:44444444-4444-4444-4444-444444444444' not found.");
  });

  it('answers InvalidIdentityPoolConfigurationException when the pool has no unauthenticated role', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito, { roles: { authenticated: UNAUTH_ROLE } });
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));

    // Act
    const error = await failure(cloud.app.send(new GetCredentialsForIdentityCommand({ IdentityId })));

    // Assess
    expect(error.name).toBe('InvalidIdentityPoolConfigurationException');
    expect(error.message).toBe('Invalid identity pool configuration. Check assigned IAM roles for this pool.');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers NotAuthorizedException once the pool stops allowing unauthenticated identities', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);
    const { IdentityId } = await cloud.app.send(new GetIdCommand({ IdentityPoolId }));
    await cloud.cognito.send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId,
        IdentityPoolName: 'closed',
        AllowUnauthenticatedIdentities: false,
      }),
    );

    // Act
    const error = await failure(cloud.app.send(new GetCredentialsForIdentityCommand({ IdentityId })));

    // Assess
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('Unauthenticated access is not supported for this identity pool.');
  });
});
