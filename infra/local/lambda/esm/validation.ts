import { type Rules, validator } from '../../shared/validation.ts';
import { LambdaError } from '../errors.ts';
import { compileFilters } from './filter.ts';
import type { Filter, StreamKind } from './types.ts';

/**
 * Request rules of CreateEventSourceMapping / UpdateEventSourceMapping, as data (the shared engine:
 * ../../shared/validation.ts): member types and the Lambda API reference's constraints for stream sources.
 * Breaking a constraint is a ValidationException listing every broken rule; the custom steps below
 * answer InvalidParameterValueException with AWS's recorded messages.
 */
/** Function names, partial ARNs and ARNs (qualified or not), at most 140 characters. */
const FUNCTION_NAME_PATTERN =
  /(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?/;
const ARN_PATTERN = /arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)/;

/** Members both operations share (Lambda API reference, stream sources). */
const SHARED: Rules = {
  FunctionName: { type: 'string', minLength: 1, maxLength: 140, pattern: FUNCTION_NAME_PATTERN },
  Enabled: { type: 'boolean' },
  BatchSize: { type: 'integer', min: 1, max: 10_000 },
  MaximumBatchingWindowInSeconds: { type: 'integer', min: 0, max: 300 },
  ParallelizationFactor: { type: 'integer', min: 1, max: 10 },
  MaximumRecordAgeInSeconds: { type: 'integer', min: -1, max: 604_800 },
  BisectBatchOnFunctionError: { type: 'boolean' },
  MaximumRetryAttempts: { type: 'integer', min: -1, max: 10_000 },
  TumblingWindowInSeconds: { type: 'integer', min: 0, max: 900 },
  FunctionResponseTypes: { type: 'array', maxLength: 1, enum: ['ReportBatchItemFailures'] },
  DestinationConfig: { type: 'object' },
  FilterCriteria: { type: 'object' },
};

export const CREATE_RULES: Rules = {
  ...SHARED,
  EventSourceArn: { type: 'string', minLength: 12, maxLength: 1024, pattern: ARN_PATTERN },
  // Enum in the order AWS lists it (recorded: test/recordings/aws/lambda-esm-dynamodb-starting-position-validation.json).
  StartingPosition: { type: 'string', enum: ['LATEST', 'AT_TIMESTAMP', 'TRIM_HORIZON'] },
  StartingPositionTimestamp: { type: 'number' },
};

export const UPDATE_RULES: Rules = SHARED;

function typeError(path: string, expected: string): LambdaError {
  return new LambdaError(
    'InvalidRequestContentException',
    `Could not parse request body into json: '${path}' must be ${expected}`,
  );
}

/** Lambda's wording for objects and lists; the rest in plain English ("an integer"). */
const validateRules = validator({
  expected: { object: 'an object', array: 'a list', integer: 'an integer', number: 'a number' },
  typeError,
  validationError: (message) => new LambdaError('ValidationException', message),
});

/** Applies a rule table; throws one ValidationException naming every broken constraint. */
export function validate(input: Readonly<Record<string, unknown>>, rules: Rules): void {
  validateRules(input, rules);
}

/** What kind of stream an event source ARN names; anything else is not polled locally. */
export function streamKind(arn: unknown): StreamKind {
  // No EventSourceArn at all (recorded: test/recordings/aws/lambda-esm-errors-not-found-and-invalid.json).
  if (typeof arn !== 'string') throw new LambdaError('InvalidParameterValueException', 'Unrecognized event source.');
  if (/^arn:aws[a-zA-Z-]*:dynamodb:[^:]+:\d{12}:table\/[^/]+\/stream\/.+$/.test(arn)) return 'dynamodb';
  if (/^arn:aws[a-zA-Z-]*:kinesis:[^:]+:\d{12}:stream\/[^/]+$/.test(arn)) return 'kinesis';
  const service = arn.split(':')[2];
  if (service === 'sqs' || service === 'kafka' || service === 'mq' || service === 'rds' || service === 'kinesis') {
    throw new LambdaError(
      'InvalidParameterValueException',
      `The local cloud polls DynamoDB streams and Kinesis data streams only; it cannot map ${arn}.`,
    );
  }
  throw new LambdaError('InvalidParameterValueException', 'Unrecognized event source.');
}

/**
 * StartingPosition is required for streams; AT_TIMESTAMP is Kinesis-only
 * (recorded: test/recordings/aws/lambda-esm-dynamodb-starting-position-validation.json).
 */
export function checkStartingPosition(kind: StreamKind, arn: string, position: unknown, timestamp: unknown): void {
  if (position === undefined || position === null) {
    throw new LambdaError(
      'InvalidParameterValueException',
      "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
    );
  }
  if (position === 'AT_TIMESTAMP' && kind === 'dynamodb') {
    throw new LambdaError('InvalidParameterValueException', `Unsupported starting position for arn type: ${arn}`);
  }
  if (position === 'AT_TIMESTAMP' && timestamp === undefined) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'StartingPositionTimestamp must be provided with AT_TIMESTAMP starting position.',
    );
  }
  if (position !== 'AT_TIMESTAMP' && timestamp !== undefined) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'StartingPositionTimestamp is only valid with the AT_TIMESTAMP starting position.',
    );
  }
}

/** MaximumRecordAgeInSeconds is -1 (infinite) or 60–604,800 (the API's range alone allows 0–59). */
export function checkRecordAge(value: unknown): void {
  if (typeof value === 'number' && value >= 0 && value < 60) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `MaximumRecordAgeInSeconds must be -1 (infinite) or between 60 and 604800 seconds; got ${value}.`,
    );
  }
}

/**
 * DestinationConfig for streams: OnFailure only. The local cloud has S3 but no SQS or SNS, so an
 * S3 bucket ARN is the only destination it can write to.
 */
export function parseDestinationConfig(value: unknown): { OnFailure: { Destination?: string } } {
  if (value === undefined || value === null) return { OnFailure: {} };
  const config = value as { OnFailure?: { Destination?: unknown }; OnSuccess?: { Destination?: unknown } };
  if (config.OnSuccess?.Destination !== undefined && config.OnSuccess.Destination !== null) {
    // Recorded wording: test/recordings/aws/lambda-esm-errors-not-found-and-invalid.json.
    throw new LambdaError(
      'InvalidParameterValueException',
      'Unsupported DestinationConfig parameter for given event source mapping type.',
    );
  }
  const destination = config.OnFailure?.Destination;
  if (destination === undefined || destination === null || destination === '') return { OnFailure: {} };
  if (typeof destination !== 'string') throw typeError('destinationConfig.onFailure.destination', 'a string');
  if (/^arn:aws[a-zA-Z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(destination))
    return { OnFailure: { Destination: destination } };
  const service = destination.split(':')[2];
  if (service === 'sqs' || service === 'sns') {
    throw new LambdaError(
      'InvalidParameterValueException',
      `The local cloud has no ${service.toUpperCase()}: use an S3 bucket (arn:aws:s3:::bucket-name) as the on-failure destination instead of ${destination}.`,
    );
  }
  throw new LambdaError(
    'InvalidParameterValueException',
    `Unsupported on-failure destination ${destination}: the local cloud supports S3 bucket ARNs (arn:aws:s3:::bucket-name).`,
  );
}

/** FilterCriteria `{Filters: [{Pattern}]}`; every pattern must compile. Empty → none. */
export function parseFilterCriteria(value: unknown): { Filters: Filter[] } | undefined {
  if (value === undefined || value === null) return undefined;
  const filters = (value as { Filters?: unknown }).Filters;
  if (filters === undefined || filters === null) return undefined;
  if (!Array.isArray(filters)) throw typeError('filterCriteria.filters', 'a list');
  if (filters.length > 10) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'The number of filters exceeds the limit of 10 per event source mapping.',
    );
  }
  const parsed = filters.map((filter) => ({ Pattern: (filter as { Pattern?: unknown } | null)?.Pattern as string }));
  compileFilters(parsed);
  return parsed.length === 0 ? undefined : { Filters: parsed };
}
