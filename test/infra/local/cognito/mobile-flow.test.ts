import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  type LambdaServiceException,
} from '@aws-sdk/client-lambda';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../../../infra/local/iam/document.ts';
import type { RoleDirectory } from '../../../../infra/local/iam/store.ts';
import { type CognitoTestCloud, createPool, startCognitoCloud, UNAUTH_ROLE } from '../../../helpers/cognito-cloud.ts';
import { decode, localCode, ROLE } from '../../../helpers/lambda-cloud.ts';

const CLICK_FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:record-click';

/** The unauthenticated role may invoke the click function, and nothing else (the lesson's role). */
const roles: RoleDirectory = {
  policiesFor: (roleArn) =>
    roleArn === UNAUTH_ROLE
      ? [
          {
            name: 'invoke-record-click',
            document: parsePolicyDocument(
              JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: CLICK_FUNCTION }],
              }),
              'identity',
            ),
          },
        ]
      : undefined,
};

// The mobile-clicks lesson: an app with no AWS credentials gets an identity from an identity pool,
// receives temporary credentials of the pool's unauthenticated role and invokes a function directly.
describe('mobile app flow: identity pool credentials → Lambda Invoke (RequestResponse)', () => {
  let cloud: CognitoTestCloud;
  let app: LambdaClient;
  beforeAll(async () => {
    cloud = await startCognitoCloud({ withLambda: true, roles });
    for (const FunctionName of ['record-click', 'admin-report']) {
      await cloud.lambdaAdmin!.send(
        new CreateFunctionCommand({
          FunctionName,
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'echo.handler',
          Code: localCode(),
        }),
      );
    }
    const identityPoolId = await createPool(cloud.cognito);
    app = new LambdaClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: fromCognitoIdentityPool({
        identityPoolId,
        clientConfig: { endpoint: cloud.endpoint, region: 'us-east-1', maxAttempts: 1 },
      }),
    });
  });
  afterAll(async () => {
    app?.destroy();
    await cloud?.close();
  });

  it('invokes a function with credentials from fromCognitoIdentityPool and gets its answer', async () => {
    // Act
    const result = await app.send(
      new InvokeCommand({
        FunctionName: 'record-click',
        InvocationType: 'RequestResponse',
        Payload: JSON.stringify({ button: 'buy', count: 3 }),
      }),
    );

    // Assess
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(decode(result.Payload))).toEqual({ button: 'buy', count: 3 });
    // GetId and GetCredentialsForIdentity went unsigned, as the SDK sends them.
    const publicCalls = cloud
      .events('cognito.request')
      .filter((e) => e.detail.operation === 'GetId' || e.detail.operation === 'GetCredentialsForIdentity');
    expect(publicCalls.map((e) => [e.detail.operation, e.detail.signed, e.detail.status])).toEqual([
      ['GetId', false, 200],
      ['GetCredentialsForIdentity', false, 200],
    ]);
    const [identity] = cloud.events('cognito.identity');
    expect(identity?.detail).toMatchObject({ new: true, authenticated: false });
    const [issued] = cloud.events('cognito.credentials');
    expect(issued?.detail).toMatchObject({ identityId: identity?.detail.identityId, roleArn: UNAUTH_ROLE });
    // The edge knows the caller as the role's session.
    expect(cloud.credentials.lookup(issued?.detail.accessKeyId as string)).toMatchObject({
      roleArn: UNAUTH_ROLE,
      principalArn: 'arn:aws:sts::000000000000:assumed-role/mobile-unauth/CognitoIdentityCredentials',
    });
  });

  it("is denied another function: the pool's role decides what the app may do", async () => {
    // Act
    const error = (await app
      .send(new InvokeCommand({ FunctionName: 'admin-report', InvocationType: 'RequestResponse', Payload: '{}' }))
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as LambdaServiceException | undefined;

    // Assess
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.$metadata.httpStatusCode).toBe(403);
    expect(error?.message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/mobile-unauth/CognitoIdentityCredentials is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:admin-report because no identity-based policy allows the lambda:InvokeFunction action',
    );
  });
});
