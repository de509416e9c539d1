import { ACCOUNT_ID } from '../edge/types.ts';
import { LambdaError } from './errors.ts';

/**
 * AWS's pattern for a function reference (name, partial ARN or full ARN, optionally qualified),
 * as quoted in the recorded error (test/recordings/aws/lambda-invoke-invalid-function-name.json).
 */
export const FUNCTION_REF_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';

const FUNCTION_REF = new RegExp(`^${FUNCTION_REF_PATTERN}$`);

/** Names a function may have: letters, digits, `-` and `_`, at most 64 characters. */
export const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;

export interface FunctionRef {
  readonly name: string;
  /** From the ARN suffix or the `Qualifier` parameter. */
  readonly qualifier?: string;
}

function validationError(value: string, constraint: string, member = 'functionName'): LambdaError {
  return new LambdaError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** Parses `my-fn`, `my-fn:$LATEST`, `000000000000:function:my-fn`, `arn:aws:lambda:…:function:my-fn[:qualifier]`. */
export function parseFunctionRef(value: string, qualifierParam?: string | null): FunctionRef {
  if (value.length < 1 || value.length > 170) {
    throw validationError(
      value,
      `Member must have length ${value.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 170'}`,
    );
  }
  const match = FUNCTION_REF.exec(value);
  if (!match) throw validationError(value, `Member must satisfy regular expression pattern: ${FUNCTION_REF_PATTERN}`);
  const name = match[11] ?? '';
  const fromArn = match[13];
  if (!FUNCTION_NAME.test(name))
    throw validationError(value, `Member must satisfy regular expression pattern: ${FUNCTION_REF_PATTERN}`);
  const qualifier = qualifierParam ?? undefined;
  if (qualifier !== undefined && fromArn !== undefined && qualifier !== fromArn) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return { name, qualifier: qualifier ?? fromArn };
}

export function functionArn(region: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}
