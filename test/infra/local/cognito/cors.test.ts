import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoTestCloud, createPool, startCognitoCloud } from '../../../helpers/cognito-cloud.ts';

// The mobile-clicks phone runs in the workbook's page and calls GetId unsigned, cross-origin: the
// browser reads the answer only when it carries Access-Control-Allow-Origin, as AWS's does.
describe('Cognito public operations from a browser page (CORS)', () => {
  let cloud: CognitoTestCloud;
  let poolId: string;
  let origin: string;
  beforeAll(async () => {
    cloud = await startCognitoCloud();
    poolId = await createPool(cloud.cognito);
    // The edge allows pages served on its own port (tools/start.ts adds the site's origin too).
    origin = `http://localhost:${new URL(cloud.endpoint).port}`;
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

  it('still refuses a foreign page', async () => {
    const response = await getId({ origin: 'https://attacker.example' });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
