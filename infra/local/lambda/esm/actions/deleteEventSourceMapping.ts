import { describe, findMapping, json, type MappingAction } from '../context.ts';

/**
 * DeleteEventSourceMapping: DELETE /2015-03-31/event-source-mappings/{UUID} → 202 with State
 * 'Deleting' (recorded: test/recordings/aws/lambda-esm-dynamodb-create-get-delete.json); the mapping is
 * gone once its poller has stopped.
 */
export const deleteEventSourceMapping: MappingAction = async (context, request) => {
  const mapping = findMapping(context, request.params.UUID);
  mapping.deleting = true;
  context.transition(mapping, 'Deleting');
  return json(202, describe(mapping), request.requestId);
};
