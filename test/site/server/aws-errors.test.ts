import { describe, expect, it } from 'vitest';
import { explainAwsError } from '../../../site/server/aws-errors.ts';

const sdkError = (name: string, message: string, status?: number) =>
  Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

const aws = { target: 'aws' as const, region: 'eu-west-1', doing: 'deploying your edit' };

describe('explainAwsError', () => {
  it('says how to sign in when there are no credentials', () => {
    const explained = explainAwsError(
      sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
      aws,
    );
    expect(explained).toMatchObject({ status: 401, error: 'NoCredentials' });
    expect(explained.message).toContain('aws sso login');
    expect(explained.message).toContain('while deploying your edit');
  });

  it('tells an expired SSO session from expired temporary credentials', () => {
    expect(
      explainAwsError(sdkError('TokenProviderError', 'The SSO session associated with this profile has expired.'), aws),
    ).toMatchObject({ error: 'SsoSessionExpired' });
    expect(
      explainAwsError(
        sdkError('ExpiredTokenException', 'The security token included in the request is expired', 403),
        aws,
      ),
    ).toMatchObject({
      status: 401,
      error: 'CredentialsExpired',
    });
  });

  it('names the missing permission and the resource of an AccessDenied', () => {
    const explained = explainAwsError(
      sdkError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/ada/ada is not authorized to perform: lambda:UpdateFunctionCode on resource: arn:aws:lambda:eu-west-1:123456789012:function:grace-fn because no identity-based policy allows the lambda:UpdateFunctionCode action',
        403,
      ),
      aws,
    );
    expect(explained).toMatchObject({
      status: 403,
      error: 'AccessDenied',
      missingPermission: 'lambda:UpdateFunctionCode',
      resource: 'arn:aws:lambda:eu-west-1:123456789012:function:grace-fn',
    });
    expect(explained.message).toContain('--learner');
  });

  it('reads S3’s AccessDenied, which has no action in its message', () => {
    expect(explainAwsError(sdkError('AccessDenied', 'Access Denied', 403), { target: 'local' })).toMatchObject({
      status: 403,
      error: 'AccessDenied',
      message: 'Access denied: Access Denied',
    });
  });

  it('points at the region or the deployment when a resource is missing', () => {
    expect(
      explainAwsError(
        sdkError(
          'PermanentRedirect',
          'The bucket you are attempting to access must be addressed using the specified endpoint.',
          301,
        ),
        aws,
      ),
    ).toMatchObject({
      error: 'WrongRegion',
    });
    const missing = explainAwsError(
      sdkError('ResourceNotFoundException', 'Function not found: arn:aws:lambda:eu-west-1:1:function:x', 404),
      aws,
    );
    expect(missing).toMatchObject({ status: 404, error: 'NotDeployed' });
    expect(missing.message).toContain('in this region');
  });

  it('says the local cloud is down when the connection is refused', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    expect(explainAwsError(refused, { target: 'local' })).toMatchObject({
      status: 502,
      error: 'Unreachable',
      message: expect.stringContaining('npm start'),
    });
  });

  it('keeps the code and message of anything else, with a 4xx kept and a 5xx turned into 502', () => {
    expect(explainAwsError(sdkError('ValidationException', 'bad key', 400), aws)).toMatchObject({
      status: 400,
      error: 'ValidationException',
    });
    expect(explainAwsError(sdkError('ServiceException', 'boom', 500), aws)).toMatchObject({
      status: 502,
      error: 'ServiceException',
    });
    expect(explainAwsError('plain string', aws)).toMatchObject({
      status: 502,
      message: expect.stringContaining('plain string'),
    });
  });
});
