import { describe, expect, it } from 'vitest';
import { LambdaError } from '../../../../infra/local/lambda/errors.ts';
import { functionArn, locateFunction, parseFunctionRef } from '../../../../infra/local/lambda/names.ts';

describe('parseFunctionRef', () => {
  it.each([
    ['my-function', undefined, { name: 'my-function', qualifier: undefined }],
    ['my-function:$LATEST', undefined, { name: 'my-function', qualifier: '$LATEST' }],
    [
      '000000000000:function:my-function',
      undefined,
      { name: 'my-function', qualifier: undefined, account: '000000000000' },
    ],
    [
      'arn:aws:lambda:us-east-1:000000000000:function:my-function',
      undefined,
      { name: 'my-function', qualifier: undefined, partition: 'aws', region: 'us-east-1', account: '000000000000' },
    ],
    [
      'arn:aws:lambda:eu-west-1:000000000000:function:my_fn:prod',
      undefined,
      { name: 'my_fn', qualifier: 'prod', partition: 'aws', region: 'eu-west-1', account: '000000000000' },
    ],
    ['us-west-2:my-fn', undefined, { name: 'my-fn', qualifier: undefined, region: 'us-west-2' }],
    ['my-function', '$LATEST', { name: 'my-function', qualifier: '$LATEST' }],
  ])('reads %s (Qualifier %s)', (value, qualifier, expected) => {
    expect(parseFunctionRef(value, qualifier)).toEqual(expected);
  });

  it.each([['arn:aws:lambda:us-east-1:123400000000@function:myfn'], ['has space'], ['a/b'], ['x'.repeat(171)], ['']])(
    'refuses %s with ValidationException',
    (value) => {
      expect(() => parseFunctionRef(value)).toThrow(expect.objectContaining({ code: 'ValidationException' }));
    },
  );

  it('refuses a Qualifier that contradicts the ARN', () => {
    const attempt = () => parseFunctionRef('my-fn:prod', 'dev');
    expect(attempt).toThrow(LambdaError);
    expect(attempt).toThrow(/does not match the specified qualifier/);
  });

  it('refuses a Qualifier that is not a version or alias name', () => {
    expect(() => parseFunctionRef('my-fn', 'a/b')).toThrow(
      "1 validation error detected: Value 'a/b' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)",
    );
  });

  it('builds ARNs in the local account', () => {
    expect(functionArn('us-east-1', 'f', '$LATEST')).toBe('arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST');
  });
});

describe('locateFunction: the region, account and partition checks of every action', () => {
  it.each([
    [
      'arn:aws:lambda:eu-central-1:000000000000:function:f',
      "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')",
    ],
    [
      'eu-central-1:000000000000:function:f',
      "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')",
    ],
    [
      'arn:aws-cn:lambda:cn-north-1:000000000000:function:f',
      "Functions from 'cn-north-1' are not reachable in this region ('us-east-1')",
    ],
  ])('answers 404 ResourceNotFoundException for %s', (value, message) => {
    const attempt = () => locateFunction(value, { region: 'us-east-1' });
    expect(attempt).toThrow(expect.objectContaining({ code: 'ResourceNotFoundException', status: 404, message }));
  });

  it.each([
    ['arn:aws:lambda:us-east-1:111122223333:function:f', 'arn:aws:lambda:us-east-1:111122223333:function:f'],
    ['111122223333:function:f:prod', 'arn:aws:lambda:us-east-1:111122223333:function:f:prod'],
    ['arn:aws-cn:lambda:us-east-1:000000000000:function:f', 'arn:aws-cn:lambda:us-east-1:000000000000:function:f'],
  ])('answers AccessDeniedException naming the caller, action and resource for %s', (value, resource) => {
    const attempt = () =>
      locateFunction(value, {
        region: 'us-east-1',
        principalArn: 'arn:aws:iam::000000000000:root',
        iamAction: 'lambda:GetFunction',
      });
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'AccessDeniedException',
        message: `User: arn:aws:iam::000000000000:root is not authorized to perform: lambda:GetFunction on resource: ${resource} because no resource-based policy allows the lambda:GetFunction action`,
      }),
    );
  });

  it('accepts its own region and account, and the Qualifier parameter', () => {
    expect(
      locateFunction('arn:aws:lambda:us-east-1:000000000000:function:f', { region: 'us-east-1', qualifier: '3' }),
    ).toMatchObject({ name: 'f', qualifier: '3' });
  });
});
