import { describe, expect, it } from 'vitest';
import { LambdaError } from '../../../../infra/local/lambda/errors.ts';
import { functionArn, parseFunctionRef } from '../../../../infra/local/lambda/names.ts';

describe('parseFunctionRef', () => {
  it.each([
    ['my-function', undefined, { name: 'my-function', qualifier: undefined }],
    ['my-function:$LATEST', undefined, { name: 'my-function', qualifier: '$LATEST' }],
    ['000000000000:function:my-function', undefined, { name: 'my-function', qualifier: undefined }],
    [
      'arn:aws:lambda:us-east-1:000000000000:function:my-function',
      undefined,
      { name: 'my-function', qualifier: undefined },
    ],
    ['arn:aws:lambda:eu-west-1:000000000000:function:my_fn:prod', undefined, { name: 'my_fn', qualifier: 'prod' }],
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

  it('builds ARNs in the local account', () => {
    expect(functionArn('us-east-1', 'f', '$LATEST')).toBe('arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST');
  });
});
