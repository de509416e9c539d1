import { LambdaError } from '../../errors.ts';
import { describe, findMapping, json, type MappingAction, parseBody, requireFunction } from '../context.ts';
import type { MappingConfiguration } from '../types.ts';
import { checkRecordAge, parseDestinationConfig, parseFilterCriteria, UPDATE_RULES, validate } from '../validation.ts';

/** Members UpdateEventSourceMapping copies as they are. */
const PLAIN_MEMBERS = [
  'BatchSize',
  'BisectBatchOnFunctionError',
  'MaximumBatchingWindowInSeconds',
  'MaximumRecordAgeInSeconds',
  'MaximumRetryAttempts',
  'ParallelizationFactor',
  'FunctionResponseTypes',
] as const;

/**
 * UpdateEventSourceMapping: PUT /2015-03-31/event-source-mappings/{UUID} → 202. `Enabled: false`
 * answers State 'Disabling' (recorded: test/recordings/aws/lambda-esm-dynamodb-disable.json), then
 * 'Disabled'; enabling again resumes each shard from its checkpoint. Other changes answer
 * 'Updating' and apply from the next batch.
 */
export const updateEventSourceMapping: MappingAction = async (context, request) => {
  const mapping = findMapping(context, request.params.UUID);
  const input = parseBody(request.body);
  if (input.StartingPosition !== undefined || input.EventSourceArn !== undefined) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'StartingPosition and EventSourceArn cannot be updated; create a new mapping.',
    );
  }
  validate(input, UPDATE_RULES);
  checkRecordAge(input.MaximumRecordAgeInSeconds);
  const functionArn = input.FunctionName === undefined ? undefined : requireFunction(context, input.FunctionName);
  const destinationConfig =
    input.DestinationConfig === undefined ? undefined : parseDestinationConfig(input.DestinationConfig);
  const filterCriteria = input.FilterCriteria === undefined ? undefined : parseFilterCriteria(input.FilterCriteria);

  const config: MappingConfiguration = mapping.config;
  for (const member of PLAIN_MEMBERS) {
    if (input[member] !== undefined && input[member] !== null)
      (config as unknown as Record<string, unknown>)[member] = input[member];
  }
  if (functionArn !== undefined) config.FunctionArn = functionArn;
  if (destinationConfig !== undefined) config.DestinationConfig = destinationConfig;
  if (input.FilterCriteria !== undefined) {
    if (filterCriteria) config.FilterCriteria = filterCriteria;
    else delete config.FilterCriteria;
  }
  config.LastModified = Date.now() / 1000;

  const enabled = input.Enabled as boolean | undefined;
  const wasEnabled = mapping.enabled;
  if (enabled !== undefined) mapping.enabled = enabled;
  const state =
    enabled === false && wasEnabled ? 'Disabling' : enabled === true && !wasEnabled ? 'Enabling' : 'Updating';
  context.store.save();
  context.transition(mapping, state);
  return json(202, describe(mapping), request.requestId);
};
