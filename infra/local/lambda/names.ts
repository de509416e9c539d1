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

/** A version (`1`, `$LATEST`) or an alias name (API reference: Qualifier, `(|[a-zA-Z0-9$_-]+)`, 1–128). */
const QUALIFIER = /^[a-zA-Z0-9$_-]{1,128}$/;

export interface FunctionRef {
  readonly name: string;
  /** From the ARN suffix or the `Qualifier` parameter. */
  readonly qualifier?: string;
  /** What the ARN or partial ARN named, when it named them. */
  readonly partition?: string;
  readonly region?: string;
  readonly account?: string;
}

function validationError(value: string, constraint: string, member = 'functionName'): LambdaError {
  return new LambdaError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/**
 * Parses `my-fn`, `my-fn:$LATEST`, `000000000000:function:my-fn`, `arn:aws:lambda:…:function:my-fn[:qualifier]`.
 * Only the syntax: {@link locateFunction} also checks that the function is in this region and account.
 */
export function parseFunctionRef(value: string, qualifierParam?: string | null): FunctionRef {
  // Every request names its function at least twice (the edge's policy check, then the action):
  // references parsed well are remembered (a bounded set: a flood of new names only refills it).
  const key = qualifierParam == null ? value : `${value}\u0000${qualifierParam}`;
  let ref = parsedRefs.get(key);
  if (ref === undefined) {
    ref = parseRef(value, qualifierParam);
    if (parsedRefs.size >= MAX_PARSED_REFS) parsedRefs.clear();
    parsedRefs.set(key, ref);
  }
  return ref;
}

const parsedRefs = new Map<string, FunctionRef>();
const MAX_PARSED_REFS = 1024;

function parseRef(value: string, qualifierParam?: string | null): FunctionRef {
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
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) {
    throw validationError(qualifier, 'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)', 'qualifier');
  }
  if (qualifier !== undefined && fromArn !== undefined && qualifier !== fromArn) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return Object.freeze({
    name,
    qualifier: qualifier ?? fromArn,
    ...(match[1] !== undefined ? { partition: match[2] ?? '' } : {}),
    ...(match[3] !== undefined ? { region: match[3].slice(0, -1) } : {}),
    ...(match[9] !== undefined ? { account: match[9].slice(0, -1) } : {}),
  });
}

export interface LocateOptions {
  readonly region: string;
  /** The `Qualifier` query parameter, when the action takes one. */
  readonly qualifier?: string | null;
  /** Who asks, and for which IAM action: named in the AccessDeniedException for another account's function. */
  readonly principalArn?: string;
  readonly iamAction?: string;
}

/**
 * The one reader of a function reference for every action, event source mapping, permission and
 * API integration: the syntax ({@link parseFunctionRef}), then the checks AWS applies to an ARN —
 * another region is a 404 "Functions from '<region>' are not reachable in this region ('<region>')"
 * (AWS's wording, as quoted by SDK users); another account (or partition) is an AccessDeniedException,
 * as a function of an account without a policy for the caller is on AWS. The local cloud has one account.
 */
export function locateFunction(value: string, options: LocateOptions): FunctionRef {
  const ref = parseFunctionRef(value, options.qualifier);
  if (ref.region !== undefined && ref.region !== options.region) {
    throw new LambdaError(
      'ResourceNotFoundException',
      `Functions from '${ref.region}' are not reachable in this region ('${options.region}')`,
    );
  }
  const foreignAccount = ref.account !== undefined && ref.account !== ACCOUNT_ID;
  const foreignPartition = ref.partition !== undefined && ref.partition !== 'aws';
  if (foreignAccount || foreignPartition) {
    const action = options.iamAction ?? 'lambda:InvokeFunction';
    const resource = `arn:${ref.partition || 'aws'}:lambda:${ref.region ?? options.region}:${ref.account ?? ACCOUNT_ID}:function:${ref.name}${ref.qualifier ? `:${ref.qualifier}` : ''}`;
    throw new LambdaError(
      'AccessDeniedException',
      `User: ${options.principalArn ?? `arn:aws:iam::${ACCOUNT_ID}:root`} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
    );
  }
  return ref;
}

export function functionArn(region: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}
