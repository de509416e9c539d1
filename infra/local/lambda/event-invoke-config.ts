import { type ActionRequest, findQualified, type LambdaContext } from './context.ts';
import { parseDestination } from './destinations.ts';
import { LambdaError } from './errors.ts';
import { functionArn } from './names.ts';
import type { EventInvokeConfig, FunctionRecord } from './store.ts';
import { parseJsonBody, type Rules, validate } from './validation.ts';

/** Members of Put/UpdateFunctionEventInvokeConfig (API reference: ranges 0–2 and 60–21600). */
const RULES: Rules = {
  MaximumRetryAttempts: { type: 'integer', min: 0, max: 2 },
  MaximumEventAgeInSeconds: { type: 'integer', min: 60, max: 21600 },
  DestinationConfig: {
    type: 'object',
    members: {
      OnSuccess: { type: 'object', members: { Destination: { type: 'string', minLength: 0, maxLength: 350 } } },
      OnFailure: { type: 'object', members: { Destination: { type: 'string', minLength: 0, maxLength: 350 } } },
    },
  },
};

/** The record and the qualifier key (`$LATEST` for the unqualified function) a request's config belongs to. */
export function configTarget(
  context: LambdaContext,
  request: ActionRequest,
): { record: FunctionRecord; key: string; arn: string } {
  const target = findQualified(context, request);
  const key = target.qualifier ?? '$LATEST';
  return { record: target.record, key, arn: functionArn(context.region, target.record.config.FunctionName, key) };
}

/** "The function <ARN> doesn't have an EventInvokeConfig" (404). */
export function noConfig(arn: string): LambdaError {
  return new LambdaError('ResourceNotFoundException', `The function ${arn} doesn't have an EventInvokeConfig`);
}

/** Validates a Put/Update body and merges it over `base` (Update) or nothing (Put). */
export function eventInvokeConfigFrom(
  request: ActionRequest,
  record: FunctionRecord,
  arn: string,
  base?: EventInvokeConfig,
): EventInvokeConfig {
  const input = parseJsonBody(request.body);
  validate(input, RULES);
  const destinations = input.DestinationConfig as
    | { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } }
    | undefined;
  if (
    base === undefined &&
    input.MaximumRetryAttempts === undefined &&
    input.MaximumEventAgeInSeconds === undefined &&
    destinations?.OnSuccess?.Destination === undefined &&
    destinations?.OnFailure?.Destination === undefined
  ) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'You must specify at least one of error handling or destination setting.',
    );
  }
  const destination = (member: 'OnSuccess' | 'OnFailure') => {
    const given = destinations?.[member];
    if (given === undefined) return base?.DestinationConfig[member] ?? {};
    const value = given.Destination;
    if (value === undefined || value === '') return {};
    parseDestination(value, member, { functionName: record.config.FunctionName });
    return { Destination: value };
  };
  const retries = (input.MaximumRetryAttempts as number | undefined) ?? base?.MaximumRetryAttempts;
  const age = (input.MaximumEventAgeInSeconds as number | undefined) ?? base?.MaximumEventAgeInSeconds;
  return {
    FunctionArn: arn,
    LastModified: Date.now() / 1000,
    ...(retries !== undefined ? { MaximumRetryAttempts: retries } : {}),
    ...(age !== undefined ? { MaximumEventAgeInSeconds: age } : {}),
    DestinationConfig: { OnSuccess: destination('OnSuccess'), OnFailure: destination('OnFailure') },
  };
}
