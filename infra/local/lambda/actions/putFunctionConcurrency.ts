import { LAMBDA_UNRESERVED_MINIMUM as UNRESERVED_MINIMUM } from '../../quotas/aws-quotas.ts';
import { type Action, findFunction, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import { parseJsonBody, validate } from '../validation.ts';

/**
 * PutFunctionConcurrency: PUT /2017-10-31/functions/{FunctionName}/concurrency. Reserved concurrency
 * caps the function's simultaneous invocations; 0 throttles every invocation (recorded:
 * test/recordings/aws/lambda-invoke-throttled-zero-reserved-concurrency.json).
 */
export const putFunctionConcurrency: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const input = parseJsonBody(request.body);
  validate(input, { ReservedConcurrentExecutions: { type: 'integer', required: true, min: 0 } });
  const value = input.ReservedConcurrentExecutions as number;
  const reservedElsewhere = context.store
    .list()
    .filter((other) => other.config.FunctionName !== record.config.FunctionName)
    .reduce((sum, other) => sum + (other.reservedConcurrency ?? 0), 0);
  if (context.accountConcurrency - reservedElsewhere - value < UNRESERVED_MINIMUM) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${UNRESERVED_MINIMUM}].`,
    );
  }
  context.store.put({ ...record, reservedConcurrency: value });
  context.trace.publish(
    'lambda.concurrency.reserved',
    { functionName: record.config.FunctionName, reservedConcurrentExecutions: value },
    request.requestId,
  );
  return json(200, { ReservedConcurrentExecutions: value }, request.requestId);
};
