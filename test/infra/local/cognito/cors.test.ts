import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CognitoTestCloud,
  createPool,
  startCognitoCloud,
  WORKBOOK_ORIGIN,
} from '../../../helpers/cognito-cloud.ts';

// The mobile-clicks phone runs in the workbook's page and calls GetId unsigned, cross-origin: the
// browser reads the answer only when it carries Access-Control-Allow-Origin, as AWS's does.
describe('Cognito public operations from a browser page (CORS)', () => {
  let cloud: CognitoTestCloud;
  let poolId: string;
  const origin = WORKBOOK_ORIGIN;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
    poolId = await createPool(cloud.cognito);
  });
  afterAll(() => cloud?.close());

  const getId = (headers: Record<string, string>) =>
    fetch(`${cloud.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityService.GetId',
        ...headers,
      },
      body: JSON.stringify({ IdentityPoolId: poolId }),
    });

  it('answers an unsigned GetId from an allowed page with CORS headers', async () => {
    const response = await getId({ origin });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-expose-headers')).toContain('x-amzn-requestid');
    expect(((await response.json()) as { IdentityId: string }).IdentityId).toMatch(/^us-east-1:/);
  });

  it.each([
    ['a foreign page', 'https://attacker.example'],
    ['a page the cloud serves itself', 'http://localhost:PORT'],
  ])('still refuses %s', async (_what, page) => {
    const response = await getId({ origin: page.replace('PORT', new URL(cloud.endpoint).port) });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
