import { randomUUID } from 'node:crypto';
import { applyConfiguration, CONFIGURATION_RULES } from '../configuration.ts';
import { type Action, findFunction, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import { lastModified } from '../store.ts';
import { parseJsonBody, validate } from '../validation.ts';

/** UpdateFunctionConfiguration: PUT /2015-03-31/functions/{FunctionName}/configuration. New environments get the new configuration. */
export const updateFunctionConfiguration: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const input = parseJsonBody(request.body);
  validate(input, CONFIGURATION_RULES);
  if (typeof input.RevisionId === 'string' && input.RevisionId !== record.config.RevisionId) {
    throw new LambdaError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
  const config = {
    ...applyConfiguration(record.config, input),
    LastModified: lastModified(),
    RevisionId: randomUUID(),
  };
  context.store.put({ ...record, config });
  context.retire(config.FunctionName);
  context.trace.publish(
    'lambda.function.updated',
    { functionName: config.FunctionName, change: 'configuration' },
    request.requestId,
  );
  return json(200, config, request.requestId);
};
