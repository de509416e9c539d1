import { randomUUID } from 'node:crypto';
import { LambdaError } from './errors.ts';
import { parseFunctionRef } from './names.ts';

/**
 * Where asynchronous invocation records go (Lambda developer guide, "Capturing records of Lambda
 * asynchronous invocations"): SQS, SNS, S3 (on failure only), Lambda, EventBridge. The local cloud
 * delivers to Lambda functions and S3 buckets; the others are refused by name until modelled.
 */
export type Destination =
  | { readonly kind: 'lambda'; readonly arn: string }
  | { readonly kind: 's3'; readonly arn: string; readonly bucket: string };

const NOT_MODELLED: Readonly<Record<string, string>> = {
  sqs: 'Amazon SQS queues',
  sns: 'Amazon SNS topics',
  events: 'Amazon EventBridge event buses',
};

/** Reads `DestinationConfig.<member>.Destination`, refusing what AWS refuses and what is not modelled. */
export function parseDestination(
  arn: string,
  member: 'OnSuccess' | 'OnFailure',
  self: { readonly functionName: string },
): Destination {
  const service = /^arn:aws[a-zA-Z-]*:([a-z0-9-]+):/.exec(arn)?.[1];
  const notModelled = service === undefined ? undefined : NOT_MODELLED[service];
  if (notModelled !== undefined) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `DestinationConfig.${member}.Destination ${arn}: the local cloud does not deliver to ${notModelled} (not modelled yet). Use a Lambda function${member === 'OnFailure' ? ' or an S3 bucket' : ''}.`,
    );
  }
  if (service === 's3') {
    const bucket = /^arn:aws[a-zA-Z-]*:s3:::([a-z0-9.-]{3,63})$/.exec(arn)?.[1];
    if (bucket === undefined) throw invalid(arn, member);
    if (member === 'OnSuccess') {
      // AWS: "S3 buckets are supported only for on-failure destinations" (PutFunctionEventInvokeConfig).
      throw new LambdaError(
        'InvalidParameterValueException',
        `DestinationConfig.OnSuccess.Destination ${arn}: S3 buckets are supported only for on-failure destinations.`,
      );
    }
    return { kind: 's3', arn, bucket };
  }
  if (service === 'lambda') {
    let name: string;
    try {
      name = parseFunctionRef(arn).name;
    } catch {
      throw invalid(arn, member);
    }
    if (name === self.functionName) {
      throw new LambdaError(
        'InvalidParameterValueException',
        "You can't specify the function as a destination for itself.",
      );
    }
    return { kind: 'lambda', arn };
  }
  throw invalid(arn, member);
}

function invalid(arn: string, member: string): LambdaError {
  return new LambdaError(
    'InvalidParameterValueException',
    `The provided destination config DestinationConfig.${member}.Destination (${arn}) is invalid: expected the ARN of a Lambda function, SQS queue, SNS topic, S3 bucket or EventBridge event bus.`,
  );
}

/** Why an asynchronous event ended (the record's `requestContext.condition`, as recorded). */
export type InvocationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

/**
 * The invocation record Lambda sends to a destination (recorded: test/recordings/aws/lambda-async-onsuccess.json,
 * lambda-async-onfailure-*.json, lambda-invoke-throttled-zero-reserved-concurrency.json): no
 * `responseContext`/`responsePayload` when the function never ran.
 */
export function invocationRecord({
  requestId,
  functionArn,
  condition,
  approximateInvokeCount,
  requestPayload,
  response,
}: {
  readonly requestId: string;
  /** The qualified ARN that was invoked (`:$LATEST` when unqualified). */
  readonly functionArn: string;
  readonly condition: InvocationCondition;
  readonly approximateInvokeCount: number;
  /** The event as JSON text. */
  readonly requestPayload: string;
  readonly response?: { readonly executedVersion: string; readonly payload?: string; readonly functionError?: string };
}): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId, functionArn, condition, approximateInvokeCount },
    requestPayload: parseOr(requestPayload),
    ...(response
      ? {
          responseContext: {
            statusCode: 200,
            executedVersion: response.executedVersion,
            ...(response.functionError ? { functionError: response.functionError } : {}),
          },
          responsePayload: parseOr(response.payload ?? 'null'),
        }
      : {}),
  };
}

function parseOr(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The object key of a record in an S3 destination: `aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`
 * (Lambda developer guide, "Capturing records of Lambda asynchronous invocations", Amazon S3).
 */
export function s3RecordKey(functionName: string, at = new Date()): string {
  const iso = at.toISOString();
  const [date] = iso.split('T') as [string];
  const time = iso.slice(11, 19).replaceAll(':', '.');
  return `aws/lambda/async/${functionName}/${date.replaceAll('-', '/')}/${date}T${time}-${randomUUID()}`;
}
