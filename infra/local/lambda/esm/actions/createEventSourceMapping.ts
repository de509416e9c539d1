import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID } from '../../../edge/types.ts';
import { LambdaError } from '../../errors.ts';
import { describe, functionNameOf, json, type MappingAction, parseBody, requireFunction } from '../context.ts';
import type { MappingRecord, StartingPositionName } from '../types.ts';
import {
  CREATE_RULES,
  checkRecordAge,
  checkStartingPosition,
  parseDestinationConfig,
  parseFilterCriteria,
  streamKind,
  validate,
} from '../validation.ts';

/**
 * CreateEventSourceMapping: POST /2015-03-31/event-source-mappings/. Answers 202 with State
 * 'Creating' and AWS's stream defaults (BatchSize 100, no batching window, retries and record age
 * infinite); a second mapping of the same stream and function is a 409
 * (recorded: test/recordings/aws/lambda-esm-dynamodb-*.json).
 */
export const createEventSourceMapping: MappingAction = async (context, request) => {
  const input = parseBody(request.body);
  const kind = streamKind(input.EventSourceArn);
  validate(input, CREATE_RULES);
  const eventSourceArn = input.EventSourceArn as string;
  const functionArn = requireFunction(context, input.FunctionName);
  checkStartingPosition(kind, eventSourceArn, input.StartingPosition, input.StartingPositionTimestamp);
  checkRecordAge(input.MaximumRecordAgeInSeconds);
  const destinationConfig = parseDestinationConfig(input.DestinationConfig);
  const filterCriteria = parseFilterCriteria(input.FilterCriteria);
  context.requireStream(kind, eventSourceArn);

  const existing = context.store
    .list()
    .find((m) => !m.deleting && m.config.EventSourceArn === eventSourceArn && m.config.FunctionArn === functionArn);
  if (existing) {
    throw new LambdaError(
      'ResourceConflictException',
      `The event source arn (" ${eventSourceArn} ") and function (" ${functionNameOf(functionArn)} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.config.UUID}`,
    );
  }

  const uuid = randomUUID();
  const startingPosition = input.StartingPosition as StartingPositionName;
  const timestamp = input.StartingPositionTimestamp as number | undefined;
  const mapping: MappingRecord = {
    kind,
    checkpoints: {},
    initialPosition: context.initialPosition(kind, eventSourceArn, startingPosition, timestamp),
    enabled: (input.Enabled as boolean | undefined) ?? true,
    deleting: false,
    config: {
      BatchSize: (input.BatchSize as number | undefined) ?? 100,
      BisectBatchOnFunctionError: (input.BisectBatchOnFunctionError as boolean | undefined) ?? false,
      DestinationConfig: destinationConfig,
      EventSourceArn: eventSourceArn,
      EventSourceMappingArn: `arn:aws:lambda:${context.region}:${ACCOUNT_ID}:event-source-mapping:${uuid}`,
      ...(filterCriteria ? { FilterCriteria: filterCriteria } : {}),
      FunctionArn: functionArn,
      FunctionResponseTypes: (input.FunctionResponseTypes as string[] | undefined) ?? [],
      LastModified: Date.now() / 1000,
      LastProcessingResult: 'No records processed',
      MaximumBatchingWindowInSeconds: (input.MaximumBatchingWindowInSeconds as number | undefined) ?? 0,
      MaximumRecordAgeInSeconds: (input.MaximumRecordAgeInSeconds as number | undefined) ?? -1,
      MaximumRetryAttempts: (input.MaximumRetryAttempts as number | undefined) ?? -1,
      ParallelizationFactor: (input.ParallelizationFactor as number | undefined) ?? 1,
      StartingPosition: startingPosition,
      ...(timestamp !== undefined ? { StartingPositionTimestamp: timestamp } : {}),
      State: 'Creating',
      StateTransitionReason: 'User action',
      TumblingWindowInSeconds: 0,
      UUID: uuid,
    },
  };
  context.store.put(mapping);
  context.transition(mapping, 'Creating');
  return json(202, describe(mapping), request.requestId);
};
