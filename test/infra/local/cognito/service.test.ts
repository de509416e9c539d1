import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoIdentityService } from '../../../../infra/local/cognito/service.ts';
import type { CredentialIssuer } from '../../../../infra/local/edge/credentials.ts';
import type { ServiceRequest } from '../../../../infra/local/edge/types.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';
import { type CognitoTestCloud, createPool, startCognitoCloud, UNAUTH_ROLE } from '../../../helpers/cognito-cloud.ts';

const issuer: CredentialIssuer = {
  issueForRole: ({ roleArn, sessionName }) => ({
    accessKeyId: 'ASIATESTTESTTESTTEST',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: Date.now() + 3600_000,
    assumedRoleArn: `${roleArn}/${sessionName}`,
  }),
};

function request(operation: string | undefined, body: string, extra: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(operation === undefined ? {} : { 'x-amz-target': `AWSCognitoIdentityService.${operation}` }),
    },
    body: Buffer.from(body),
    service: 'cognito-identity',
    region: 'us-east-1',
    requestId: 'request-1',
    caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
    ...extra,
  };
}

async function answer(service: CognitoIdentityService, req: ServiceRequest) {
  const response = await service.handle(req);
  return { status: response.status, headers: response.headers, body: JSON.parse(String(response.body)) };
}

describe('CognitoIdentityService (without sockets)', () => {
  const service = new CognitoIdentityService({ trace: new TraceBus(), issuer });

  it.each([
    { operation: 'Frobnicate', body: '{}', status: 400, type: 'UnknownOperationException' },
    { operation: undefined, body: '{}', status: 400, type: 'UnknownOperationException' },
    { operation: 'CreateIdentityPool', body: '{"IdentityPoolName": ', status: 400, type: 'SerializationException' },
    { operation: 'CreateIdentityPool', body: '[1, 2]', status: 400, type: 'SerializationException' },
    {
      operation: 'CreateIdentityPool',
      body: '{"IdentityPoolName": "p", "AllowUnauthenticatedIdentities": "yes"}',
      status: 400,
      type: 'SerializationException',
    },
    { operation: 'MergeDeveloperIdentities', body: '{}', status: 501, type: 'NotImplemented' },
    { operation: 'TagResource', body: '{}', status: 501, type: 'NotImplemented' },
  ])('answers $type ($status) for $operation with $body', async ({ operation, body, status, type }) => {
    // Act
    const response = await answer(service, request(operation, body));

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers).toMatchObject({ 'x-amzn-errortype': type, 'content-type': 'application/x-amz-json-1.1' });
    expect(response.body).toEqual({ __type: type, message: expect.any(String) });
  });

  it('refuses a control-plane operation that reached it unsigned', async () => {
    // Act
    const response = await answer(
      service,
      request('ListIdentityPools', '{"MaxResults": 1}', {
        caller: { accessKeyId: '', accountId: '', principalArn: 'anonymous', anonymous: true },
      }),
    );

    // Assess
    expect(response.body.__type).toBe('NotAuthorizedException');
  });

  it.each([
    { operation: 'GetId', method: 'POST', claimed: true },
    { operation: 'GetCredentialsForIdentity', method: 'POST', claimed: true },
    { operation: 'GetOpenIdToken', method: 'POST', claimed: true },
    { operation: 'GetId', method: 'GET', claimed: false },
    { operation: 'CreateIdentityPool', method: 'POST', claimed: false },
    { operation: 'GetOpenIdTokenForDeveloperIdentity', method: 'POST', claimed: false },
  ])('claims an unsigned $method $operation: $claimed', ({ operation, method, claimed }) => {
    // Act
    const allowed = service.allowsAnonymous({
      method,
      rawPath: '/',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': `AWSCognitoIdentityService.${operation}` },
    });

    // Assess
    expect(allowed).toBe(claimed);
  });

  it('asks IAM for cognito-identity:<Operation> on the pool ARN, and for nothing on public operations', async () => {
    // Prepare
    const created = await answer(
      service,
      request('CreateIdentityPool', '{"IdentityPoolName": "p", "AllowUnauthenticatedIdentities": true}'),
    );
    const poolId = created.body.IdentityPoolId as string;
    const arn = `arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${poolId}`;

    // Act
    const cases = [
      service.authorization(request('CreateIdentityPool', '{}')),
      service.authorization(request('ListIdentityPools', '{"MaxResults": 5}')),
      service.authorization(request('SetIdentityPoolRoles', JSON.stringify({ IdentityPoolId: poolId }))),
      service.authorization(request('DescribeIdentityPool', 'not json')),
      service.authorization(request('GetId', JSON.stringify({ IdentityPoolId: poolId }))),
    ];

    // Assess
    expect(cases).toEqual([
      { action: 'cognito-identity:CreateIdentityPool', resources: ['*'] },
      { action: 'cognito-identity:ListIdentityPools', resources: ['*'] },
      { action: 'cognito-identity:SetIdentityPoolRoles', resources: [arn] },
      { action: 'cognito-identity:DescribeIdentityPool', resources: ['*'] },
      undefined,
    ]);
  });
});

describe('CognitoIdentityService behind the edge', () => {
  let cloud: CognitoTestCloud;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('leaves an unsigned control-plane request to the edge, which refuses it', async () => {
    // Act
    const response = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityService.CreateIdentityPool',
      },
      body: JSON.stringify({ IdentityPoolName: 'sneaky', AllowUnauthenticatedIdentities: true }),
    });

    // Assess
    expect(response.status).toBe(403);
    expect(cloud.events('cognito.request')).toEqual([]);
  });

  it('answers a raw unsigned GetId the way the SDK sends it', async () => {
    // Prepare
    const IdentityPoolId = await createPool(cloud.cognito);

    // Act
    const response = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
      body: JSON.stringify({ IdentityPoolId }),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({ IdentityId: expect.stringMatching(/^us-east-1:/) });
  });
});

describe('CognitoIdentityService persistence', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cognito-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps pools, roles and identities in <dataDir>/cognito across a restart', async () => {
    // Prepare
    const before = await startCognitoCloud({ dataDir });
    const IdentityPoolId = await createPool(before.cognito);
    const { IdentityId } = await before.app.send(new GetIdCommand({ IdentityPoolId }));
    await before.close();

    // Act
    const after = await startCognitoCloud({ dataDir });
    const { Credentials } = await after.app.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    await after.close();

    // Assess
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(after.events('cognito.credentials')[0]?.detail).toMatchObject({
      poolId: IdentityPoolId,
      roleArn: UNAUTH_ROLE,
    });
  });
});
